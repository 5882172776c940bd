"""The navigation shows only what the signed-in user's role may use."""

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.core.access import permitted

# Groups of (label, url name, icon, model label that must be viewable); a group with one visible entry
# shows as a plain link, with more as a dropdown.
NAV = (
    (_("首页"), "bi-house", (
        (_("首页"), "core:home", "bi-house", None),
    )),
    (_("单位档案"), "bi-buildings", (
        (_("单位档案"), "orgs:list", "bi-buildings", "orgs.organisation"),
        (_("年度数据"), "orgs:figures_list", "bi-table", "orgs.annualfigures"),
        (_("资质证书"), "orgs:certificate_list", "bi-award", "orgs.certificate"),
        (_("培育库"), "orgs:membership_list", "bi-diagram-3", "orgs.poolmembership"),
        (_("服务记录"), "orgs:service_list", "bi-chat-square-text", "orgs.servicerecord"),
    )),
    (_("科技资源"), "bi-collection", (
        # Each registry adds its lists here.
    )),
    (_("通知公告"), "bi-megaphone", (
        (_("通知公告"), "notices:list", "bi-megaphone", "notices.notice"),
    )),
    (_("系统管理"), "bi-gear", (
        (_("行政区划与人口"), "regions:list", "bi-geo-alt", "regions.population"),
        (_("用户管理"), "accounts:user_list", "bi-people", "accounts.user"),
    )),
    (_("日志"), "bi-journal-text", (
        (_("登录日志"), "accounts:loginlog_list", "bi-box-arrow-in-right", "accounts.loginlog"),
        (_("操作日志"), "accounts:operationlog_list", "bi-journal-text", "accounts.operationlog"),
        (_("审计日志"), "core:audit_list", "bi-shield-check", "core.auditlog"),
    )),
)  # fmt: skip


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from kechuang.notices.models import Message

    groups = []
    for label, icon, entries in NAV:
        items = [
            {"label": text, "url": reverse(name), "icon": item_icon}
            for text, name, item_icon, model in entries
            if model is None or permitted(user, apps.get_model(model), "view")
        ]
        if items:
            groups.append({"label": label, "icon": icon, "items": items})
    return {"nav_groups": groups, "unread_count": Message.objects.filter(user=user, read_at__isnull=True).count()}
