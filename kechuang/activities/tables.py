"""List and export columns of the activities registry."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from kechuang.core.tables import Column, Table

__all__ = ["ActivityTable", "SpendingTable"]


def _per_resident(spending) -> Decimal | None:
    """The region's own spending over its population, rounded for display only."""
    population = getattr(spending, "population", None)
    if not population:
        return None
    return (spending.amount / population).quantize(Decimal("0.01"), ROUND_HALF_UP)


class ActivityTable(Table):
    title = _("科技活动")
    columns = (
        Column("title", _("活动名称"), link=True),
        Column("kind", _("活动类型"), value=lambda a: a.get_kind_display()),
        Column("start_date", _("开始日期")),
        Column("end_date", _("结束日期")),
        Column("region", _("举办地区划"), value=lambda a: a.region.name),
        Column("organiser", _("主办单位")),
        Column("participants", _("参与人次")),
        Column("entries", _("参赛项目数")),
        Column("awards", _("获奖项目数")),
        Column("trainees", _("培训人数")),
        Column("spending", _("活动经费"), money=True),
    )


class SpendingTable(Table):
    title = _("科普经费")
    columns = (
        Column("region", _("行政区划"), value=lambda s: s.region.name, link=True),
        Column("code", _("区划代码"), value=lambda s: s.region.code),
        Column("year", _("年度")),
        Column("amount", _("科普经费"), money=True),
        Column("population", _("常住人口（人）"), value=lambda s: getattr(s, "population", None)),
        Column("per_resident", _("本级人均（元/人）"), value=_per_resident),
        Column("source", _("资料来源")),
    )
