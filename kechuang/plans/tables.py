"""List and export columns of plan monitoring."""

from django.utils.translation import gettext_lazy as _

from kechuang.core.tables import Column, Table

from .explain import percent, status_label
from .method import display


class PlanTable(Table):
    title = _("规划")
    columns = (
        Column("code", _("规划代码"), link=True),
        Column("name", _("规划名称"), link=True),
        Column("region.name", _("所属区划")),
        Column("baseline_year", _("基期年")),
        Column("target_year", _("目标年")),
        Column("get_status_display", _("状态")),
    )


class ObservationTable(Table):
    title = _("统计数据")
    columns = (
        Column("indicator.plan.code", _("规划代码")),
        Column("indicator.name", _("指标"), link=True),
        Column("region.name", _("区划")),
        Column("year", _("年份")),
        Column("value", _("数值"), value=lambda o: display(o.value, o.indicator.precision)),
        Column("indicator.unit", _("单位")),
        Column("source", _("来源文件")),
        Column("get_vintage_display", _("数据版本")),
        Column("get_status_display", _("审核状态")),
        Column("approved_at", _("审核时间")),
    )


def _number(value, result) -> str:
    """A value at the indicator's precision without its unit (the unit has its own column)."""
    return display(value, result.indicator.precision)


class ResultTable(Table):
    """The 专栏-style table of an assessment (also the xlsx export of the assessment page)."""

    title = _("评估结果")
    columns = (
        Column("indicator.group", _("分组")),
        Column("indicator.name", _("指标")),
        Column("indicator.unit", _("单位")),
        Column("baseline", _("基期值"), value=lambda r: _number(r.baseline, r)),
        Column("target", _("目标值"), value=lambda r: _number(r.target, r)),
        Column(
            "planned_growth",
            _("年均增长"),
            value=lambda r: percent(r.planned_growth, r.indicator.growth_precision),
        ),
        Column("actual", _("实际值"), value=lambda r: _number(r.actual, r)),
        Column("completion", _("完成率"), value=lambda r: percent(r.completion)),
        Column(
            "expected",
            _("序时进度"),
            value=lambda r: _number(r.expected, r),
        ),
        Column("progress", _("进度比"), value=lambda r: display(r.progress, 2)),
        Column("status", _("状态"), value=lambda r: status_label(r.status, r.reason)),
        Column("indicator.get_attribute_display", _("指标属性")),
        Column("explanation", _("说明")),
    )


class RecordTable(Table):
    """A plain list of the records behind a value, for models without a list of their own."""

    title = _("数据明细")
    columns = (Column("str", _("记录"), str, link=True),)
