"""Status labels and the words that explain an assessment, for the screen, the API and the report."""

from decimal import Decimal

from django.utils.translation import gettext

from kechuang.core.i18n import join_list

from .choices import Attribute, Kind, Status
from .method import Thresholds, display

__all__ = ["explanation", "percent", "status_label", "value_text"]


def status_label(status: str, reason: str = "") -> str:
    """The Chinese label users see: 提前完成 for a target met before the target year, else the status's label."""
    if status == Status.ACHIEVED and reason == "met_early":
        return gettext("提前完成")
    return str(Status(status).label)


def value_text(value: Decimal | None, indicator) -> str:
    """A value in the indicator's unit at its display precision, e.g. "29.9亿元", "0.91%"."""
    if value is None:
        return "—"
    text = display(value, indicator.precision)
    return f"{text}{indicator.unit}"


def percent(rate: Decimal | None, places: int = 2) -> str:
    return display(rate, places, percent=True)


def _required(indicator, result) -> str:
    if result.required_growth is None:
        return ""
    target_year = indicator.plan.target_year
    need = result.required_growth
    if indicator.kind == Kind.LEVEL:
        text = gettext("要在{year}年达到目标，今后每年还需增长 {rate}。")
        if need < 0:
            text, need = gettext("要在{year}年达到目标，今后每年还需下降 {rate}。"), -need
        return text.format(year=target_year, rate=percent(need))
    text = gettext("要在{year}年达到目标，今后每年还需增加 {amount}。")
    if need < 0:
        text, need = gettext("要在{year}年达到目标，今后每年还需减少 {amount}。"), -need
    return text.format(year=target_year, amount=value_text(need, indicator))


def _projection(indicator, result) -> str:
    if result.projection is None or result.assessment.year == indicator.plan.target_year:
        return ""
    return gettext("按目前的速度，{year}年预计达到 {value}（预计完成率 {rate}）。").format(
        year=indicator.plan.target_year,
        value=value_text(result.projection, indicator),
        rate=percent(result.projected_completion),
    )


def explanation(indicator, result, thresholds: Thresholds) -> str:
    """Why the status: the values compared, the rule that decided, and what it still takes."""
    year, reason = result.assessment.year, result.reason
    actual, target = value_text(result.actual, indicator), value_text(result.target, indicator)
    label = status_label(result.status, reason)
    if reason == "no_value":
        missing = join_list(result.inputs.get("missing_years", []))
        where = gettext("登记数据") if indicator.metric else gettext("已审核的统计数据")
        return gettext("{where}中没有 {years} 年的数值，无法评估。").format(where=where, years=missing)
    head = gettext("{year}年实际值 {actual}，目标值 {target}").format(year=year, actual=actual, target=target)
    if result.completion is not None:
        head += gettext("，完成率 {rate}").format(rate=percent(result.completion))
    head += gettext("。")
    if reason in ("met", "met_early"):
        return head + gettext("已达到目标，判定为{label}。").format(label=label)
    if reason == "missed":
        return head + gettext("目标年未达到目标，判定为未完成。")
    if reason == "hold_not_met":
        return (
            head
            + gettext("目标为保持基期水平，当前未达到，判定为{label}。").format(label=label)
            + _required(indicator, result)
        )
    if reason == "no_baseline":
        return head + gettext("没有基期值，无法计算序时进度和进度比，达到目标前不作进度判定。")
    if reason == "no_progress":
        return head + gettext("序时进度值等于基期值，进度比无法计算。")
    on_track = thresholds.on_track_binding if indicator.attribute == Attribute.BINDING else thresholds.on_track
    rule = gettext(
        "序时进度应达 {expected}，进度比 P = {progress}"
        "（快于预期 ≥ {ahead}，符合预期 ≥ {on_track}，滞后 ≥ {lagging}），判定为{label}。"
    ).format(
        expected=value_text(result.expected, indicator),
        progress=display(result.progress, 2),
        ahead=thresholds.ahead,
        on_track=on_track,
        lagging=thresholds.lagging,
        label=label,
    )
    if reason == "backwards":
        rule += gettext("实际值与基期值相比向目标的反方向变化，指标在倒退。")
    return head + rule + _required(indicator, result) + _projection(indicator, result)
