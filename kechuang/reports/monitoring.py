"""The annual monitoring report of a plan (年度监测评估报告), built from a stored assessment: a Word document in the
style of an official report (title, summary of statuses, the 专栏-style table, a chart per indicator group, a
paragraph for each lagging indicator, notes on missing data and on the method) and the same tables as xlsx.

Nothing is computed here that the assessment has not stored: the report prints the stored components rounded half
up at each indicator's precision, and the words the assessment wrote (IndicatorResult.explanation).
"""

import datetime
import io
import math
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.tables import formula_safe
from kechuang.plans.choices import Status
from kechuang.plans.explain import status_label
from kechuang.plans.method import completion, display
from kechuang.plans.models import Assessment, Indicator, IndicatorResult, TargetRevision
from kechuang.plans.selectors import assessment_results

from .fonts import cjk_font

__all__ = [
    "COLUMNS",
    "LAGGING",
    "MonitoringReport",
    "Row",
    "monitoring_docx",
    "monitoring_report",
    "monitoring_xlsx",
    "report_filename",
]

LAGGING = (Status.LAGGING, Status.SERIOUS, Status.MISSED)
# The order statuses are counted in: finished first, then on the way, then behind, then unknown.
SUMMARY_ORDER = (
    "met_early",
    Status.ACHIEVED,
    Status.AHEAD,
    Status.ON_TRACK,
    Status.LAGGING,
    Status.SERIOUS,
    Status.MISSED,
    Status.NO_DATA,
)
BARS_PER_CHART = 10  # beyond this a group's completion chart is split in parts, as the seed's 图1 and 图2
CHART_WIDTH_CM = 15.5


@dataclass
class Row:
    """One indicator of the report: its stored result, and the target revision in force if the target changed."""

    result: IndicatorResult
    revision: TargetRevision | None = None

    @property
    def indicator(self) -> Indicator:
        return self.result.indicator

    @property
    def status_label(self) -> str:
        return status_label(self.result.status, self.result.reason)

    def value(self, name: str) -> str:
        return display(getattr(self.result, name), self.indicator.precision)

    def rate(self, name: str, places: int = 2) -> str:
        return display(getattr(self.result, name), places, percent=True)

    @property
    def expected_completion(self) -> Decimal | None:
        """The completion rate the planned path (序时进度) stands for, drawn as the chart's tick."""
        return completion(self.indicator.spec(), self.result.expected, self.result.target)


@dataclass(frozen=True)
class Column:
    """A column of the 专栏-style table: its heading, width in the Word table, text, and xlsx cell."""

    label: str
    width: float
    text: object  # Row → str
    cell: object = None  # Row → (value, number format) for xlsx; defaults to the text


def _number(name: str):
    def cell(row: Row):
        return _rounded(getattr(row.result, name), row.indicator.precision), _format(row.indicator.precision)

    return cell


def _fraction(name: str, places):
    def cell(row: Row):
        digits = places(row)
        return _rounded(getattr(row.result, name), digits + 2), _format(digits) + "%"

    return cell


def _rounded(value: Decimal | None, places: int):
    if value is None:
        return "—"
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _format(places: int) -> str:
    return "0." + "0" * places if places else "0"


def _growth_places(row: Row) -> int:
    return row.indicator.growth_precision


COLUMNS = (
    Column(_("指标"), 3.7, lambda r: r.indicator.name),
    Column(_("单位"), 1.2, lambda r: r.indicator.unit),
    Column(_("基期值"), 1.3, lambda r: r.value("baseline"), _number("baseline")),
    Column(_("目标值"), 1.3, lambda r: r.value("target"), _number("target")),
    Column(
        _("年均增长"),
        1.3,
        lambda r: r.rate("planned_growth", r.indicator.growth_precision),
        _fraction("planned_growth", _growth_places),
    ),
    Column(_("实际值"), 1.3, lambda r: r.value("actual"), _number("actual")),
    Column(_("完成率"), 1.5, lambda r: r.rate("completion"), _fraction("completion", lambda r: 2)),
    Column(_("序时进度"), 1.3, lambda r: r.value("expected"), _number("expected")),
    Column(_("状态"), 1.5, lambda r: r.status_label),
    Column(_("指标属性"), 1.2, lambda r: r.indicator.get_attribute_display()),
)


@dataclass
class Group:
    """The indicators of one group (专栏), in the plan's order."""

    name: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class MonitoringReport:
    """Everything the report prints, read once from the stored assessment."""

    assessment: Assessment
    groups: list[Group]
    counts: list[tuple[str, str, int]]  # (key, label, count) in SUMMARY_ORDER, zero counts left out

    @property
    def plan(self):
        return self.assessment.plan

    @property
    def region(self):
        return self.assessment.region

    @property
    def year(self) -> int:
        return self.assessment.year

    @property
    def rows(self) -> list[Row]:
        return [row for group in self.groups for row in group.rows]

    @property
    def title_lines(self) -> list[str]:
        """The title in its two lines: the plan; the region (when not the plan's own), year and 年度监测评估报告."""
        where = "" if self.region.pk == self.plan.region_id else self.region.name
        return [self.plan.name, gettext("{region}{year}年度监测评估报告").format(region=where, year=self.year)]

    @property
    def title(self) -> str:
        return " ".join(self.title_lines)

    def count(self, *keys: str) -> int:
        return sum(n for key, _label, n in self.counts if key in keys)


def monitoring_report(assessment: Assessment) -> MonitoringReport:
    results = list(
        assessment_results(assessment).select_related("indicator__plan").prefetch_related("indicator__annual_targets")
    )
    revisions = _revisions_in_force(assessment, [r for r in results if r.target != r.indicator.target])
    groups: dict[str, Group] = {}
    for result in results:
        name = result.indicator.group or gettext("主要指标")
        groups.setdefault(name, Group(name)).rows.append(Row(result, revisions.get(result.indicator_id)))
    return MonitoringReport(assessment, list(groups.values()), _counts(assessment))


def _revisions_in_force(assessment: Assessment, revised: list[IndicatorResult]) -> dict[int, TargetRevision]:
    """For each revised indicator, the last revision approved by 31 December of the year assessed."""
    if not revised:
        return {}
    found = TargetRevision.objects.filter(
        indicator__in=[r.indicator_id for r in revised], date__lte=datetime.date(assessment.year, 12, 31)
    ).order_by("indicator", "date", "pk")
    return {revision.indicator_id: revision for revision in found}  # the last one of each indicator wins


def _counts(assessment: Assessment) -> list[tuple[str, str, int]]:
    rows = (
        IndicatorResult.objects.filter(assessment=assessment)
        .values("status")
        .annotate(n=Count("pk"), early=Count("pk", filter=Q(reason="met_early")))
    )
    counts = {}
    for row in rows:
        if row["status"] == Status.ACHIEVED:
            counts["met_early"] = row["early"]
            counts[Status.ACHIEVED] = row["n"] - row["early"]
        else:
            counts[row["status"]] = row["n"]
    labels = {"met_early": status_label(Status.ACHIEVED, "met_early")}
    return [(key, labels.get(key) or str(Status(key).label), counts[key]) for key in SUMMARY_ORDER if counts.get(key)]


# ------------------------------------------------------------------------------------------------------- wording


def summary(report: MonitoringReport) -> list[str]:
    """The opening paragraphs: what was assessed, the count per status, and the overall picture."""
    plan, total = report.plan, len(report.rows)
    elapsed, span = report.year - plan.baseline_year, plan.target_year - plan.baseline_year
    opening = gettext(
        "根据《{plan}》确定的主要指标，对{region}{year}年各项指标的完成情况进行了监测评估。"
        "{year}年是规划实施的第{elapsed}年（规划期{first}—{last}年，共{span}年）。"
        "本次共评估指标{total}项，其中{counts}。"
    ).format(
        plan=plan.name,
        region=report.region.name,
        year=report.year,
        elapsed=elapsed,
        first=plan.baseline_year + 1,
        last=plan.target_year,
        span=span,
        total=total,
        counts=pgettext("clause separator", "，").join(
            gettext("{label}{count}项").format(label=label, count=n) for _key, label, n in report.counts
        ),
    )
    return [opening, _picture(report)]


def _picture(report: MonitoringReport) -> str:
    assessable = len(report.rows) - report.count(Status.NO_DATA)
    if not assessable:
        return gettext("本年度尚无可评估的指标：请责任部门报送并审核统计数据后重新评估。")
    good = report.count("met_early", Status.ACHIEVED, Status.AHEAD, Status.ON_TRACK)
    behind = report.count(*LAGGING)
    text = gettext("总体来看，在可评估的{assessable}项指标中，{good}项已完成或进度符合、快于预期，占{share}").format(
        assessable=assessable, good=good, share=display(Decimal(good) / Decimal(assessable), 1, percent=True)
    )
    if not behind:
        return text + gettext("；没有滞后的指标，规划实施总体顺利。")
    serious = report.count(Status.SERIOUS, Status.MISSED)
    text += gettext("；{behind}项滞后或未完成").format(behind=behind)
    if serious:
        text += gettext("（其中严重滞后或未完成{serious}项）").format(serious=serious)
    return text + gettext("，需要加快推进，具体见第三部分。")


def lagging_paragraph(row: Row) -> tuple[str, str]:
    """The lead (the indicator's name) and the text: the stored explanation, which says what the indicator still
    requires (倒逼: the growth or increase per year to reach the target), and who is responsible."""
    text = row.result.explanation
    if row.indicator.department:
        text += gettext("责任部门：{department}。").format(department=row.indicator.department)
    return gettext("{name}。").format(name=row.indicator.name), text


def missing_data(report: MonitoringReport) -> list[str]:
    """One sentence per indicator without an assessable value: which years lack an approved value, or why not."""
    lines = []
    for row in report.rows:
        if row.result.status != Status.NO_DATA:
            continue
        who = gettext("（责任部门：{department}）").format(department=row.indicator.department)
        text = gettext("{name}：{explanation}").format(name=row.indicator.name, explanation=row.result.explanation)
        lines.append(text + (who if row.indicator.department else ""))
    return lines


def method_note(report: MonitoringReport) -> str:
    thresholds = report.assessment.thresholds or {}
    return gettext(
        "完成率为实际值与目标值之比（越小越好的指标为实际下降幅度与计划下降幅度之比）；序时进度为按规划路径"
        "{year}年应达到的数值（有年度目标的取年度目标）；进度比为实际进展与序时进展之比。进度比不低于{ahead}"
        "为快于预期，不低于{on_track}为符合预期（约束性指标须不低于{binding}），不低于{lagging}为滞后，"
        "低于{lagging}为严重滞后；已达到目标的为提前完成（目标年为已完成）。表中数值按各指标的小数位四舍五入，"
        "状态按未经舍入的数值判定。"
    ).format(
        year=report.year,
        ahead=thresholds.get("ahead", "1.10"),
        on_track=thresholds.get("on_track", "0.90"),
        binding=thresholds.get("on_track_binding", "1.00"),
        lagging=thresholds.get("lagging", "0.60"),
    )


def revision_notes(report: MonitoringReport) -> list[str]:
    return [
        gettext("{name}的目标值已于{date}由{old}调整为{new}{unit}（{document}），表中为调整后的目标值。").format(
            name=row.indicator.name,
            date=row.revision.date.isoformat(),
            old=display(row.indicator.target, row.indicator.precision),
            new=row.value("target"),
            unit=row.indicator.unit,
            document=row.revision.document,
        )
        for row in report.rows
        if row.revision is not None
    ]


# -------------------------------------------------------------------------------------------------------- charts


def group_charts(report: MonitoringReport, group: Group, font) -> list[tuple[str, object]]:
    """(caption without its number, Figure) for a group: its completion rates, split into parts of at most
    BARS_PER_CHART, and the increase multiple of its targets when any is defined."""
    from . import charts  # matplotlib loads only when a chart is drawn, not with every process that routes URLs

    rows, figures = group.rows, []
    parts = math.ceil(len(rows) / BARS_PER_CHART)
    size = math.ceil(len(rows) / parts)
    for part in range(parts):
        chunk = rows[part * size : (part + 1) * size]
        caption = gettext("{group}指标{year}年完成率").format(group=group.name, year=report.year)
        if parts > 1:
            caption = gettext("{caption}（{part}）").format(caption=caption, part=part + 1)
        figures.append((caption, charts.completion_figure([_completion_bar(r) for r in chunk], font)))
    multiples = [r for r in rows if r.result.increase_multiple is not None]
    if multiples:
        caption = gettext("{group}指标{target_year}年目标较{baseline_year}年基期值的增幅（倍）").format(
            group=group.name, target_year=report.plan.target_year, baseline_year=report.plan.baseline_year
        )
        figures.append((caption, charts.multiple_figure([_multiple_bar(r) for r in multiples], font)))
    return figures


def _completion_bar(row: Row):
    from .charts import Bar

    value = row.result.completion
    label = row.rate("completion") if value is not None else row.status_label
    return Bar(row.indicator.name, value, label, row.result.status, row.status_label, row.expected_completion)


def _multiple_bar(row: Row):
    from .charts import Bar

    value = row.result.increase_multiple
    return Bar(row.indicator.name, value, display(value, 2))


# ---------------------------------------------------------------------------------------------------------- Word


def monitoring_docx(report: MonitoringReport) -> bytes:
    """The report as a Word document; FontMissing (before anything is drawn) when no CJK font is installed."""
    from .charts import png
    from .word import ReportDocument

    font = cjk_font()
    doc = ReportDocument(title=report.title, subject=report.plan.name)
    computed = timezone.localtime(report.assessment.computed_at).date()
    doc.title(report.title_lines, gettext("（评估日期：{date}）").format(date=computed.isoformat()))
    doc.heading(gettext("一、总体情况"))
    for text in summary(report):
        doc.paragraph(text)
    doc.heading(gettext("二、指标监测情况"))
    numbers = {"table": 0, "figure": 0}
    for number, group in enumerate(report.groups, start=1):
        if len(report.groups) > 1:
            ordinal = _chinese_number(number) if translation.get_language().startswith("zh") else str(number)
            doc.heading(gettext("（{number}）{group}").format(number=ordinal, group=group.name), 2)
        _group_table(doc, report, group, numbers)
        for caption, figure in group_charts(report, group, font):
            numbers["figure"] += 1
            doc.picture(png(figure), CHART_WIDTH_CM)
            doc.caption(gettext("图{number}  {caption}").format(number=numbers["figure"], caption=caption))
    _lagging_section(doc, report)
    _notes_section(doc, report)
    return doc.save()


def _group_table(doc, report: MonitoringReport, group: Group, numbers: dict) -> None:
    numbers["table"] += 1
    doc.caption(
        gettext("表{number}  {group}指标{year}年监测评估情况").format(
            number=numbers["table"], group=group.name, year=report.year
        ),
        above=True,
    )
    doc.table(
        [str(c.label) for c in COLUMNS],
        [[c.text(row) for c in COLUMNS] for row in group.rows],
        [c.width for c in COLUMNS],
    )
    doc.note(
        gettext("注：年均增长为规划目标值较基期值的年均增长率，“—”表示不适用；序时进度为按规划路径当年应达到的数值。")
    )


def _lagging_section(doc, report: MonitoringReport) -> None:
    doc.heading(gettext("三、进度滞后的指标"))
    lagging = [row for row in report.rows if row.result.status in LAGGING]
    if not lagging:
        doc.paragraph(gettext("本年度没有进度滞后或未完成的指标。"))
        return
    doc.paragraph(
        gettext("以下{count}项指标进度滞后或未完成，需要责任部门采取措施加快推进：").format(count=len(lagging))
    )
    for number, row in enumerate(lagging, start=1):
        lead, text = lagging_paragraph(row)
        doc.paragraph(text, lead=gettext("{number}．{lead}").format(number=number, lead=lead))


def _notes_section(doc, report: MonitoringReport) -> None:
    doc.heading(gettext("四、数据和方法说明"))
    missing = missing_data(report)
    if missing:
        doc.paragraph(
            gettext("以下{count}项指标本次无法评估，请责任部门尽快报送并审核数据：").format(count=len(missing))
        )
        for number, line in enumerate(missing, start=1):
            doc.paragraph(gettext("{number}．{line}").format(number=number, line=line))
    else:
        doc.paragraph(gettext("全部指标均有{year}年已审核或登记的数据。").format(year=report.year))
    for line in revision_notes(report):
        doc.paragraph(line)
    doc.paragraph(method_note(report))
    by = report.assessment.computed_by
    doc.paragraph(
        gettext("本报告由科创平台根据{time}的评估结果生成{by}。").format(
            time=timezone.localtime(report.assessment.computed_at).strftime("%Y-%m-%d %H:%M"),
            by=gettext("（评估人：{name}）").format(name=by.full_name or by.username) if by else "",
        )
    )


def _chinese_number(number: int) -> str:
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    tens, ones = divmod(number, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


# ---------------------------------------------------------------------------------------------------------- xlsx


def monitoring_xlsx(report: MonitoringReport) -> bytes:
    """The same tables as xlsx: every indicator with its values as numbers at their precision, the status
    counts, and the explanation of each status."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = gettext("指标监测评估")
    sheet.append([formula_safe(report.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([gettext("分组"), *(str(c.label) for c in COLUMNS)])
    for row in report.rows:
        values = [formula_safe(row.indicator.group)]
        formats = [None]
        for column in COLUMNS:
            value, number_format = column.cell(row) if column.cell else (formula_safe(column.text(row)), None)
            values.append(value)
            formats.append(number_format if isinstance(value, Decimal) else None)
        sheet.append(values)
        for cell, number_format in zip(sheet[sheet.max_row], formats, strict=True):
            if number_format:
                cell.number_format = number_format
    _widths(sheet, [10, 36, 8, 10, 10, 10, 10, 10, 10, 10, 10])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    sheet.freeze_panes = "C3"
    counts = book.create_sheet(gettext("状态汇总"))
    counts.append([gettext("状态"), gettext("指标数")])
    for _key, label, n in report.counts:
        counts.append([label, n])
    counts.append([gettext("合计"), len(report.rows)])
    _widths(counts, [14, 10])
    notes = book.create_sheet(gettext("评估说明"))
    notes.append([gettext("指标"), gettext("状态"), gettext("说明"), gettext("责任部门")])
    for row in report.rows:
        notes.append(
            [
                formula_safe(row.indicator.name),
                row.status_label,
                formula_safe(row.result.explanation),
                formula_safe(row.indicator.department),
            ]
        )
    _widths(notes, [36, 10, 100, 20])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _widths(sheet, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width


def report_filename(report: MonitoringReport, suffix: str) -> str:
    """A file name Windows accepts, e.g. 鹿寨县十四五科技创新发展规划2023年度监测评估报告.docx."""
    return re.sub(r'[\\/:*?"<>|\s]+', "", report.title) + suffix
