"""The navigation shows only what the signed-in user's role may use."""

import functools

from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.roles import role_allows

# Groups of (label, url name, icon, model label that must be viewable); a group with one visible entry
# shows as a plain link, with more as a dropdown.
NAV = (
    (_("首页"), "bi-house", (
        (_("首页"), "core:home", "bi-house", None),
    )),
    (_("单位档案"), "bi-buildings", (
        (_("单位档案"), "orgs:list", "bi-buildings", "orgs.organisation"),
        (_("年度数据"), "orgs:figures_list", "bi-table", "orgs.annualfigures"),
        (_("年报填报"), "orgs:round_list", "bi-calendar-check", "orgs.reportinground"),
        (_("资质证书"), "orgs:certificate_list", "bi-award", "orgs.certificate"),
        (_("培育库"), "orgs:membership_list", "bi-diagram-3", "orgs.poolmembership"),
        (_("年度筛选"), "screening:overview", "bi-funnel", "screening.screeningrun"),
        (_("服务记录"), "orgs:service_list", "bi-chat-square-text", "orgs.servicerecord"),
        (_("月度职工人数"), "orgs:monthlyheadcount_list", "bi-people", "orgs.monthlyheadcount"),
        (_("研发组织管理佐证"), "orgs:rdmanagementevidence_list", "bi-journal-richtext", "orgs.rdmanagementevidence"),
        (_("违法失信记录"), "orgs:integrityrecord_list", "bi-exclamation-octagon", "orgs.integrityrecord"),
        (_("政策计算器"), "evaluation:calculator", "bi-calculator", "orgs.annualfigures"),
        (_("评价模型"), "scoring:list", "bi-sliders", "scoring.scoringmodel"),
        (_("免申即享名单"), "scoring:candidates", "bi-check2-square", "scoring.scoringmodel"),
    )),
    (_("科技资源"), "bi-collection", (
        # Each registry adds its lists here.
        (_("专利"), "ip:patent_list", "bi-lightbulb", "ip.patent"),
        (_("其他知识产权"), "ip:otherip_list", "bi-file-earmark-code", "ip.otherip"),
        (_("科技人才"), "talent:list", "bi-person-badge", "talent.person"),
        (_("科技特派员"), "talent:commissioner_list", "bi-person-walking", "talent.commissioner"),
        (_("特派员服务记录"), "talent:servicelog_list", "bi-journal-check", "talent.servicelog"),
        (_("创新载体"), "carriers:list", "bi-building-gear", "carriers.carrier"),
        (_("入驻企业"), "carriers:tenant_list", "bi-door-open", "carriers.tenant"),
        (_("科技成果"), "achievements:list", "bi-journal-bookmark", "achievements.achievement"),
        (_("成果转化"), "achievements:conversion_list", "bi-arrow-repeat", "achievements.conversion"),
        (_("技术合同"), "achievements:contract_list", "bi-file-earmark-text", "achievements.techcontract"),
        (_("科技奖励"), "achievements:award_list", "bi-trophy", "achievements.award"),
        (_("科技活动"), "activities:list", "bi-calendar-event", "activities.activity"),
        (_("科普经费"), "activities:spending_list", "bi-cash-coin", "activities.popularisationspending"),
    )),
    (_("规划监测"), "bi-graph-up-arrow", (
        (_("领导驾驶舱"), "plans:cockpit", "bi-speedometer2", "plans.assessment"),
        (_("下级区划对比排名"), "plans:cockpit_comparison", "bi-bar-chart-steps", "plans.assessment"),
        (_("规划与指标"), "plans:list", "bi-list-check", "plans.plan"),
        (_("统计数据填报"), "plans:observations", "bi-clipboard-data", "plans.observation"),
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
    from kechuang.notices.selectors import unread_count

    menu = _menu(user.role, get_language(), get_script_prefix())
    # A menu entry that is a plain link is marked when it is the page shown.
    link = f'<a class="nav-link text-nowrap" href="{escape(request.path)}">'
    return {
        "nav_groups": nav_groups(user.role, get_script_prefix()),
        "nav_menu": mark_safe(menu.replace(link, link.replace('text-nowrap"', 'text-nowrap active"'), 1)),
        "unread_count": unread_count(user=user),
    }


@functools.cache
def _menu(role: str, language: str, script_prefix: str) -> str:
    """The menu's HTML, rendered once per process for each role and language (``language`` is the active one)."""
    return render_to_string("_nav_menu.html", {"nav_groups": nav_groups(role, script_prefix)})


@functools.cache
def nav_groups(role: str, script_prefix: str) -> list[dict]:
    """The menu of a role: worked out once per process (the roles' rights and the URLs are fixed while it runs);
    the labels stay lazy, so each page shows them in its own language. ``script_prefix`` is part of the key because
    the URLs include it."""
    groups = []
    for label, icon, entries in NAV:
        items = [
            {"label": text, "url": reverse(name), "icon": item_icon}
            for text, name, item_icon, model in entries
            if model is None or role_allows(role, model, "view")
        ]
        if items:
            groups.append({"label": label, "icon": icon, "items": items})
    return groups
