"""The Chinese names of the evaluations' verdicts, conditions and score items, shared by the command's table and
the calculator page."""

from django.utils.translation import gettext_lazy as _

from kechuang.core.i18n import join_list

VERDICTS = {
    "likely": _("很可能通过（每项条件符合，最低得分高于 70 分）"),
    "borderline": _("待定（条件符合，但得分取决于专家评分）"),
    "fails": _("不符合"),
    "qualifies": _("符合"),
}
CONDITIONS = {
    "hte": {
        "registered_1y": _("注册成立满一年（天）"),
        "core_ip": _("拥有核心知识产权（项）"),
        "domain": _("属于国家重点支持的高新技术领域"),
        "st_staff_ratio": _("科技人员占职工总数比例"),
        "rd_ratio": _("近三年研发费用占销售收入比例"),
        "rd_domestic_ratio": _("境内研发费用占研发费用比例"),
        "hitech_revenue_ratio": _("近一年高新技术产品（服务）收入占总收入比例"),
        "no_violation": _("申请前一年内无重大安全、质量事故或严重环境违法"),
        "innovation_score": _("企业创新能力评价高于 70 分"),
    },
    "tsme": {
        "resident": _("居民企业"),
        "audit_taxation": _("查账征收"),
        "size": _("职工≤500人、销售收入≤2亿元、资产总额≤2亿元"),
        "not_excluded_industry": _("不属于不适用研发费用加计扣除的行业"),
        "no_violation": _("上一年度至今无重大事故、严重违法失信"),
        "score": _("评价得分不低于 60 分"),
        "st_staff_nonzero": _("科技人员指标得分不为 0"),
    },
}
ITEMS = {
    "hte": {
        "ip_advancement": _("知识产权：技术的先进程度"),
        "ip_core_support": _("知识产权：对主要产品（服务）的核心支持作用"),
        "ip_quantity": _("知识产权：数量"),
        "ip_acquisition": _("知识产权：获得方式"),
        "ip_standards_bonus": _("知识产权：参与标准制定（加分）"),
        "ip": _("知识产权合计（不超过 30 分）"),
        "conversion": _("科技成果转化能力"),
        "rd_management": _("研究开发组织管理水平"),
        "growth_net_assets": _("净资产增长率"),
        "growth_sales": _("销售收入增长率"),
        "growth": _("企业成长性合计"),
    },
    "tsme": {
        "st_staff": _("科技人员"),
        "rd": _("研发投入"),
        "ip": _("科技成果（知识产权）"),
    },
}
TITLES = {"hte": _("高新技术企业认定"), "tsme": _("科技型中小企业评价")}
# Input fields, for the data a result names as missing.
FIELDS = {
    "registration_date": _("注册成立日期"),
    "application_date": _("申请日期"),
    "domain": _("技术领域"),
    "staff_total": _("职工总数"),
    "st_staff": _("科技人员数"),
    "hitech_revenue_last_year": _("近一年高新技术产品（服务）收入"),
    "class1_ip": _("Ⅰ类知识产权数量"),
    "class2_ip": _("Ⅱ类知识产权数量"),
    "own_rd_ip": _("是否有自主研发的知识产权"),
    "conversions_3y": _("近三年科技成果转化数"),
    "standards_drafted": _("是否参与制定标准"),
    "rd_management": _("研究开发组织管理情况"),
    "violation_last_year": _("申请前一年内有无重大事故或严重环境违法"),
    "years": _("近三个会计年度的财务数据"),
    "resident": _("是否居民企业"),
    "audit_taxation": _("是否查账征收"),
    "excluded_industry": _("所属行业"),
    "violation": _("有无重大事故、严重违法失信"),
    "sales_revenue": _("销售收入"),
    "total_assets": _("资产总额"),
    "rd_expense": _("研发费用"),
    "total_costs": _("成本费用支出总额"),
    "hte_valid": _("有无有效的高新技术企业证书"),
    "national_award_top3_5y": _("近五年国家级科技奖励（前三名）"),
    "provincial_rd_institution": _("有无省部级以上研发机构"),
    "led_standard_5y": _("近五年主导制定标准"),
}
ROUTES = {
    "score": _("评价得分"),
    "hte": _("有效期内的高新技术企业证书"),
    "national_award": _("近五年国家级科技奖励（前三名）"),
    "rd_institution": _("省部级以上研发机构"),
    "standard": _("近五年主导制定国际、国家或行业标准"),
}


def shown(code: str, value) -> str:
    """A condition's value or bound as people read it: ratios in per cent, ranges with a dash, amounts with
    thousands separators; nothing for a yes/no condition, whose mark says it all."""
    if value is None or isinstance(value, bool):
        return "—"
    if code.endswith("_ratio"):
        return f"{value:.2%}"
    if isinstance(value, dict):
        return join_list("—" if v is None else f"{v:,}" for v in value.values())
    if isinstance(value, list):
        return f"{value[0]}–{value[-1]}"
    return f"{value:,}" if isinstance(value, int | float) else str(value)
