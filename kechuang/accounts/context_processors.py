"""The navigation shows only what the signed-in user's role may use."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.core.access import permitted

# (label, url name, icon, model label that must be viewable)
NAV = (
    (_("首页"), "core:home", "bi-house", None),
    (_("单位档案"), "orgs:list", "bi-buildings", "orgs.organisation"),
    (_("年度数据"), "orgs:figures_list", "bi-table", "orgs.annualfigures"),
    (_("资质证书"), "orgs:certificate_list", "bi-award", "orgs.certificate"),
    (_("培育库"), "orgs:membership_list", "bi-diagram-3", "orgs.poolmembership"),
    (_("服务记录"), "orgs:service_list", "bi-chat-square-text", "orgs.servicerecord"),
    (_("通知公告"), "notices:list", "bi-megaphone", "notices.notice"),
    (_("行政区划"), "regions:list", "bi-geo-alt", "regions.population"),
    (_("用户管理"), "accounts:user_list", "bi-people", "accounts.user"),
    (_("登录日志"), "accounts:loginlog_list", "bi-box-arrow-in-right", "accounts.loginlog"),
    (_("操作日志"), "accounts:operationlog_list", "bi-journal-text", "accounts.operationlog"),
    (_("审计日志"), "core:audit_list", "bi-shield-check", "core.auditlog"),
)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from django.apps import apps

    from kechuang.notices.models import Message

    items = [
        {"label": label, "url": reverse(name), "icon": icon}
        for label, name, icon, model in NAV
        if model is None or permitted(user, apps.get_model(model), "view")
    ]
    return {"nav_items": items, "unread_count": Message.objects.filter(user=user, read_at__isnull=True).count()}
