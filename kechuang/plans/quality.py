"""Data-quality checks before an assessment (评估前数据质量检查, issue 4 §9): what looks wrong in an indicator's yearly
values — missing years, year-on-year jumps, a value in the wrong unit or out of range, a value far from the baseline,
a stated baseline the data do not bear out, a revision still waiting for approval — listed for the bureau to confirm
(确认无误) or correct.

Three layers, like the rest of the app:

- pure checks over one indicator's yearly values B..t (``Series`` → ``Finding``), in Decimal, without the database;
- ``quality_findings`` runs them for a plan, region and year t: one ``indicator_values`` call per indicator for the
  years B..t, one query for the revisions waiting for approval and one for the confirmations;
- ``quality_confirm`` records that a bureau user confirmed findings as correct, with a note and an audit row.

Findings are computed on the fly and never stored. A confirmation keeps the values its finding rests on (the year's
value and the values it was compared with, as text) and covers the finding only while they are unchanged: a newly
approved observation, a record added to a registry or a changed baseline lists the finding again.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.access import ensure_permitted, restrict
from kechuang.core.exceptions import ServiceError
from kechuang.core.i18n import join_list
from kechuang.core.services import record_create
from kechuang.regions.models import Region

from .choices import Kind, ObservationStatus
from .explain import percent, value_text
from .method import display
from .metrics import COUNTS, MONEY
from .models import Indicator, Observation, Plan, QualityCheck, QualityConfirmation
from .selectors import indicator_values

__all__ = [
    "BASELINE_FACTOR",
    "COUNT_BASE",
    "JUMP_THRESHOLD",
    "TINY_SHARE",
    "Finding",
    "Item",
    "Series",
    "baseline_mismatch",
    "baseline_ratios",
    "jumps",
    "magnitudes",
    "missing_years",
    "pending_revision",
    "quality_confirm",
    "quality_findings",
    "ranges",
    "series_findings",
    "unconfirmed",
]

# A change from one year to the next of more than this fraction (|a_t / a_{t−1} − 1| > 50 %) is listed.
JUMP_THRESHOLD = Decimal("0.50")
# Bases too small for a ratio to mean anything, which the jump and baseline checks skip: below 5 % of the indicator's
# scale (the larger of its baseline and target; per year for a cumulative indicator), and for a count of whole things
# (家、个、项、件、人) below 10 — three enterprises becoming six is not a data error.
TINY_SHARE = Decimal("0.05")
COUNT_BASE = Decimal(10)
# A value more than 10× the larger, or under 1/10 of the smaller, of the baseline and the target is listed.
BASELINE_FACTOR = Decimal(10)
# "About 10^k": within half an order of magnitude, so the bands of 10^2, 10^4 and 10^8 do not meet.
BAND = Decimal(10).sqrt()
PERCENT_MAX = Decimal(100)
TEN = Decimal(10)
ORDER_WORDS = {2: _("100 倍"), 4: _("1 万倍"), 8: _("1 亿倍")}
FRACTION_WORDS = {2: _("百分之一"), 4: _("万分之一"), 8: _("亿分之一")}


# --- the values a check sees ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One indicator's yearly values for a region, B..t in the indicator's unit, with what the checks need of it."""

    unit: str
    precision: int
    kind: str
    baseline: Decimal | None
    target: Decimal
    baseline_year: int
    target_year: int
    year: int  # t, the year assessed
    values: dict[int, Decimal | None]
    manual: bool = False

    @classmethod
    def of(cls, indicator: Indicator, year: int, values: dict[int, Decimal | None]) -> "Series":
        plan = indicator.plan
        return cls(
            unit=indicator.unit,
            precision=indicator.precision,
            kind=indicator.kind,
            baseline=indicator.baseline,
            target=indicator.target_for(year),
            baseline_year=plan.baseline_year,
            target_year=plan.target_year,
            year=year,
            values=values,
            manual=indicator.is_manual,
        )

    def at(self, year: int) -> Decimal | None:
        return self.values.get(year)

    @property
    def assessed_years(self) -> range:
        """B+1..t: the years an assessment of t may read."""
        return range(self.baseline_year + 1, self.year + 1)

    @property
    def all_years(self) -> range:
        return range(self.baseline_year, self.year + 1)

    @property
    def periods(self) -> int:
        return self.target_year - self.baseline_year

    @property
    def base_unit(self) -> str:
        text = self.unit.strip()
        return text[:-2] if text.endswith("/年") else text

    @property
    def is_percent_share(self) -> bool:
        return self.base_unit == "%" and self.kind == Kind.SHARE

    def yearly(self, value: Decimal | None) -> Decimal | None:
        """A plan-level amount as a yearly one: a cumulative indicator's baseline and target are totals over N
        years, and its values are yearly flows."""
        if value is None or self.kind != Kind.CUMULATIVE:
            return value
        return value / Decimal(self.periods)

    def tiny(self) -> Decimal:
        scale = max(abs(self.yearly(self.baseline) or Decimal(0)), abs(self.yearly(self.target)))
        counted = self.kind != Kind.SHARE and self.base_unit in COUNTS
        return max(scale * TINY_SHARE, COUNT_BASE if counted else Decimal(0))

    def text(self, value: Decimal | None) -> str:
        return value_text(value, self)


@dataclass(frozen=True)
class Finding:
    """Something that looks wrong in one year of a series: the check, the year, the values it rests on (as text,
    keyed by year or "baseline"/"pending"), those values as shown, what looks wrong and how to fix it."""

    check: str
    year: int
    values: dict[str, str | None]
    shown: str
    problem: str
    fix: str

    @property
    def label(self) -> str:
        return str(QualityCheck(self.check).label)

    def order(self) -> tuple[int, int]:
        return self.year, list(QualityCheck.values).index(self.check)


def _text(value: Decimal | None) -> str | None:
    """A value as the text a confirmation stores: 1.80 and 1.800000 are the same value."""
    return None if value is None else f"{value.normalize():f}"


def _finding(s: Series, check: str, year: int, values: dict[str, Decimal | None], problem: str, fix: str) -> Finding:
    names = {"baseline": gettext("基期值"), "pending": gettext("待审核值")}
    year_label, pair = gettext("{year}年"), gettext("{label} {value}")
    shown = pgettext("clause separator", "；").join(
        pair.format(label=names.get(key) or year_label.format(year=key), value=s.text(value))
        for key, value in values.items()
    )
    return Finding(check, year, {key: _text(value) for key, value in values.items()}, shown, problem, fix)


def _confirm_or(s: Series, metric_fix: str, manual_fix: str, tail: str = "") -> str:
    tail = tail or gettext("数据无误的，请勾选后“确认无误”并写明原因。")
    return (manual_fix if s.manual else metric_fix) + tail


# --- the checks -------------------------------------------------------------------------------------------------


def missing_years(s: Series) -> list[Finding]:
    """Every year B+1..t without a value: a cumulative indicator cannot be assessed then; for a level or share
    only year t decides the status, but a gap in between is still a gap in the record."""
    found = []
    for year in s.assessed_years:
        if s.at(year) is not None:
            continue
        if s.kind == Kind.CUMULATIVE:
            problem = gettext("{year}年没有数值。累计值要把 {first}—{last} 年逐年相加，缺这一年，{last}年无法评估。")
        elif year == s.year:
            problem = gettext("{year}年没有数值，该年无法评估。")
        else:
            problem = gettext("{year}年没有数值。不影响{last}年的评估，但各年趋势缺这一年。")
        problem = problem.format(year=year, first=s.baseline_year + 1, last=s.year)
        fix = _confirm_or(
            s,
            gettext("请在登记库中补录或审核{year}年的数据（如企业年度数据）后重新检查。").format(year=year),
            gettext("请在“统计数据填报”中填报{year}年的数值并审核通过。").format(year=year),
            gettext("该年确实没有数据的，请勾选后“确认无误”并写明原因。"),
        )
        found.append(_finding(s, QualityCheck.MISSING, year, {str(year): None}, problem, fix))
    return found


def jumps(s: Series, threshold: Decimal = JUMP_THRESHOLD) -> list[Finding]:
    """Years whose value changed by more than ``threshold`` from the year before, unless that base is tiny."""
    found, tiny = [], s.tiny()
    for year in s.assessed_years:
        before, now = s.at(year - 1), s.at(year)
        if before is None or now is None or before == 0 or abs(before) < tiny:
            continue
        change = (now - before) / abs(before)
        if abs(change) <= threshold:
            continue
        text = gettext("{year}年 {now} 比{previous}年 {before} 增长 {rate}，超过 {threshold} 的同比变动提示线。")
        if change < 0:
            text = gettext("{year}年 {now} 比{previous}年 {before} 下降 {rate}，超过 {threshold} 的同比变动提示线。")
        elif change >= 1:
            text = gettext("{year}年 {now} 是{previous}年 {before} 的 {times} 倍，超过 {threshold} 的同比变动提示线。")
        problem = text.format(
            times=display(now / before, 1),
            year=year,
            previous=year - 1,
            now=s.text(now),
            before=s.text(before),
            rate=percent(abs(change), 1),
            threshold=percent(threshold, 0),
        )
        fix = _confirm_or(
            s,
            gettext("请点“数据明细”核对{year}年计入的记录（有无重复登记、漏登或口径变化）。").format(year=year),
            gettext("请核对两年统计数据的来源和版本（快报、年报、年鉴是否混用，单位是否一致），有误的填报修订值。"),
        )
        values = {str(year - 1): before, str(year): now}
        found.append(_finding(s, QualityCheck.JUMP, year, values, problem, fix))
    return found


def _order(ratio: Decimal, powers: tuple[int, ...]) -> int:
    """k (or −k) when the ratio is about 10^k for one of ``powers``, else 0."""
    for power in powers:
        for k in (power, -power):
            centre = TEN**k
            if centre / BAND <= ratio <= centre * BAND:
                return k
    return 0


def _references(s: Series, year: int) -> dict[str, Decimal]:
    """What a year's value is compared with for its order of magnitude: the baseline when the plan states one (per
    year for a cumulative indicator) — a trusted anchor, so two wrong years in a row are both found — else the two
    nearest years with a value, so a wrong year next to the first or last one does not make that one look wrong."""
    anchor = s.yearly(s.baseline)
    if anchor:
        return {"baseline": anchor}
    others = sorted((abs(y - year), y) for y in s.all_years if y != year and s.at(y))
    return {str(y): s.at(y) for _, y in others[:2]}


def magnitudes(s: Series) -> list[Finding]:
    """Years whose value is about 10^4 or 10^8 (a percentage also 10^2) times, or that fraction of, what it is
    compared with — every comparison agreeing: 元 typed as 万元 or 亿元, or a percentage typed as a fraction."""
    powers = (2, 4, 8) if s.base_unit == "%" else (4, 8)
    found = []
    for year in s.all_years:
        value = s.at(year)
        references = _references(s, year)
        if not value or not references:
            continue
        orders = {_order(abs(value) / abs(ref), powers) for ref in references.values()}
        if len(orders) != 1 or (k := orders.pop()) == 0:
            continue
        compared = {key: (s.baseline if key == "baseline" else ref) for key, ref in references.items()}
        found.append(_magnitude(s, year, value, k, compared))
    return found


def _magnitude(s: Series, year: int, value: Decimal, k: int, compared: dict[str, Decimal | None]) -> Finding:
    what = join_list(
        gettext("基期值 {value}").format(value=s.text(ref))
        if key == "baseline"
        else gettext("{year}年 {value}").format(year=key, value=s.text(ref))
        for key, ref in compared.items()
    )
    if s.kind == Kind.CUMULATIVE and "baseline" in compared:
        what = gettext("上一规划期年均值（{what} ÷ {years}）").format(what=what, years=s.periods)
    words = ORDER_WORDS[k] if k > 0 else FRACTION_WORDS[-k]
    problem = gettext("{year}年 {value} 约为{what}的 {words}，疑似单位或小数点错误。").format(
        year=year, value=s.text(value), what=what, words=words
    )
    corrected = value.scaleb(-k)
    likely = _likely_unit(s.base_unit, k)
    if likely:
        hint = gettext("疑似按“{likely}”填报了以“{unit}”为单位的数，若是，应为 {corrected}。")
        hint = hint.format(likely=likely, unit=s.base_unit, corrected=s.text(corrected))
    elif s.base_unit == "%" and k == -2:
        hint = gettext("疑似把百分数填成了小数（如 0.0091 应填 0.91），若是，应为 {corrected}。")
        hint = hint.format(corrected=s.text(corrected))
    else:
        hint = gettext("请核对单位和小数点，若是单位错误，应为 {corrected}。").format(corrected=s.text(corrected))
    fix = hint + _confirm_or(
        s,
        gettext("请点“数据明细”找出金额或数量异常的记录并更正。"),
        gettext("有误的请填报修订值。"),
    )
    values = {str(year): value, **compared}
    return _finding(s, QualityCheck.MAGNITUDE, year, values, problem, fix)


def _likely_unit(unit: str, k: int) -> str:
    """The money unit a value about 10^k too large was probably typed in (10^k smaller than the indicator's)."""
    if unit not in MONEY:
        return ""
    wanted = MONEY[unit] - k
    return next((name for name, power in MONEY.items() if power == wanted), "")


def baseline_ratios(s: Series) -> list[Finding]:
    """Years whose value is more than 10× the larger, or under 1/10 of the smaller, of the baseline and the target
    (per year for a cumulative indicator), unless the baseline is tiny."""
    base, goal = s.yearly(s.baseline), s.yearly(s.target)
    if base is None or base <= 0 or base < s.tiny():
        return []
    goal = goal if goal > 0 else base
    low, high = min(base, goal) / BASELINE_FACTOR, max(base, goal) * BASELINE_FACTOR
    found = []
    for year in s.assessed_years:
        value = s.at(year)
        if value is None or low <= value <= high:
            continue
        reference = gettext("基期值 {value}").format(value=s.text(s.baseline))
        if s.kind == Kind.CUMULATIVE:
            reference = gettext("上一规划期年均值 {value}（基期值 {total} ÷ {years}）").format(
                value=s.text(base), total=s.text(s.baseline), years=s.periods
            )
        text = gettext("{year}年 {value} 是{reference}的 {ratio} 倍，超过基期值和目标值的 10 倍。")
        if value < low:
            text = gettext("{year}年 {value} 不到{reference}的十分之一，也不到目标值的十分之一。")
        problem = text.format(year=year, value=s.text(value), reference=reference, ratio=display(value / base, 2))
        fix = _confirm_or(
            s,
            gettext("请点“数据明细”核对该年计入的记录和指标口径、单位。"),
            gettext("请核对该年统计数据的口径和单位，有误的填报修订值。"),
        )
        found.append(
            _finding(s, QualityCheck.BASELINE_RATIO, year, {str(year): value, "baseline": s.baseline}, problem, fix)
        )
    return found


def ranges(s: Series) -> list[Finding]:
    """A percentage share outside 0–100, and a negative value of anything else."""
    found = []
    for year in s.all_years:
        value = s.at(year)
        if value is None:
            continue
        if s.is_percent_share and not 0 <= value <= PERCENT_MAX:
            check = QualityCheck.PERCENT_RANGE
            problem = gettext("{year}年 {value} 超出 0—100% 的范围，比重不可能小于 0 或大于 100。")
            hint = gettext("请核对分子、分母和单位（是否把千分比或金额填成了百分比）。")
        elif s.base_unit != "%" and value < 0:
            check = QualityCheck.NEGATIVE
            problem = gettext("{year}年 {value} 是负数，该指标不应为负。")
            hint = gettext("请核对该年数值的正负号和口径。")
        else:
            continue
        fix = _confirm_or(
            s, hint + gettext("登记数据请点“数据明细”更正有关记录。"), hint + gettext("有误的请填报修订值。")
        )
        found.append(_finding(s, check, year, {str(year): value}, problem.format(year=year, value=s.text(value)), fix))
    return found


def baseline_mismatch(s: Series) -> list[Finding]:
    """A level or share indicator whose value in the baseline year — from the registry, or an approved observation —
    differs from the baseline the plan states, compared at the indicator's precision. For the bureau's information:
    the assessment uses the stated baseline."""
    value = s.at(s.baseline_year)
    if s.kind == Kind.CUMULATIVE or s.baseline is None or value is None:
        return []
    step = Decimal(1).scaleb(-s.precision)
    if value.quantize(step, ROUND_HALF_UP) == s.baseline.quantize(step, ROUND_HALF_UP):
        return []
    source = gettext("已审核的统计数据") if s.manual else gettext("登记数据计算")
    problem = gettext("{year}年（基期年）{source}为 {value}，规划所列基期值为 {baseline}，两者不一致。").format(
        year=s.baseline_year, source=source, value=s.text(value), baseline=s.text(s.baseline)
    )
    fix = gettext(
        "评估以规划所列基期值为准。登记库缺少基期年以前的记录、或口径不同的，请确认并说明；规划基期值有误的，"
        "请管理员修改指标的基期值。"
    )
    values = {"baseline": s.baseline, str(s.baseline_year): value}
    return [_finding(s, QualityCheck.BASELINE, s.baseline_year, values, problem, fix)]


def pending_revision(s: Series, year: int, pending: Decimal) -> Finding:
    """A manual indicator's revision submitted but not approved for a year: the assessment still uses the older
    approved value (or has none)."""
    current = s.at(year)
    if current is None:
        problem = gettext("{year}年已提交的数值 {pending} 尚未审核，审核通过前该年按没有数值处理。")
    else:
        problem = gettext("{year}年已提交修订值 {pending}，尚未审核，评估仍使用原已审核值 {current}。")
    problem = problem.format(year=year, pending=s.text(pending), current=s.text(current))
    fix = gettext("请管理员在“统计数据填报”中审核通过或退回该数据，然后重新评估。")
    return _finding(s, QualityCheck.PENDING, year, {str(year): current, "pending": pending}, problem, fix)


def series_findings(s: Series, threshold: Decimal = JUMP_THRESHOLD) -> list[Finding]:
    """Every check of a series, one cause one finding: a year in the wrong unit is not listed again as a jump (into
    it or back out of it), as far from the baseline, or as a baseline that differs."""
    wrong_unit = magnitudes(s)
    wrong = {f.year for f in wrong_unit}
    found = [*missing_years(s), *wrong_unit, *ranges(s)]
    found += [f for f in jumps(s, threshold) if f.year not in wrong and f.year - 1 not in wrong]
    found += [f for f in baseline_ratios(s) if f.year not in wrong]
    found += [f for f in baseline_mismatch(s) if f.year not in wrong]
    return sorted(found, key=Finding.order)


# --- a plan's findings for a region and year --------------------------------------------------------------------


@dataclass
class Item:
    """A finding about an indicator for a region, and the confirmation that covers it, if any."""

    indicator: Indicator
    region: Region
    finding: Finding
    confirmation: QualityConfirmation | None = None

    @property
    def key(self) -> str:
        """How a page names the finding in a POST: indicator code, year and check."""
        return f"{self.indicator.code}|{self.finding.year}|{self.finding.check}"

    @property
    def confirmed(self) -> bool:
        return self.confirmation is not None


def quality_findings(*, plan: Plan, region: Region, year: int, user=None) -> list[Item]:
    """The findings of every indicator of the plan for the region, over the years B..t, in the plan's order; each with
    the confirmation (as ``user`` may see it; None: the system) that still covers it."""
    years = list(range(plan.baseline_year, year + 1))
    waiting = _waiting(plan, region, years)
    confirmations = _confirmations(plan, region, year, user)
    items = []
    for indicator in plan.indicators.select_related("plan").prefetch_related("revisions"):
        series = Series.of(indicator, year, indicator_values(indicator, region, years).values)
        found = series_findings(series)
        found += [pending_revision(series, y, value) for y, value in waiting.get(indicator.pk, {}).items()]
        for finding in sorted(found, key=Finding.order):
            covering = _covering(confirmations.get((indicator.pk, finding.year, finding.check), []), finding)
            items.append(Item(indicator, region, finding, covering))
    return items


def unconfirmed(items: list[Item]) -> int:
    return sum(1 for item in items if not item.confirmed)


def _waiting(plan: Plan, region: Region, years: list[int]) -> dict[int, dict[int, Decimal]]:
    """Revisions submitted and not yet approved, by indicator and year (at most one is open per year)."""
    rows = Observation.objects.filter(
        indicator__plan=plan, region=region, year__in=years, status=ObservationStatus.SUBMITTED
    ).values_list("indicator_id", "year", "value")
    waiting: dict[int, dict[int, Decimal]] = {}
    for indicator_id, year, value in rows:
        waiting.setdefault(indicator_id, {})[year] = value
    return waiting


def _confirmations(plan: Plan, region: Region, year: int, user) -> dict[tuple, list[QualityConfirmation]]:
    queryset = QualityConfirmation.objects.all() if user is None else restrict(QualityConfirmation, user)
    rows = queryset.filter(indicator__plan=plan, region=region, year__lte=year).select_related("confirmed_by")
    found: dict[tuple, list[QualityConfirmation]] = {}
    for confirmation in rows.order_by("-pk"):
        found.setdefault((confirmation.indicator_id, confirmation.year, confirmation.check_code), []).append(
            confirmation
        )
    return found


def _covering(confirmations: list[QualityConfirmation], finding: Finding) -> QualityConfirmation | None:
    """The latest confirmation made while the finding's values were what they are now."""
    return next((c for c in confirmations if c.values == finding.values), None)


# --- confirming -------------------------------------------------------------------------------------------------


@transaction.atomic
def quality_confirm(
    *, actor, plan: Plan, region: Region, year: int, keys: list[str], note: str
) -> list[QualityConfirmation]:
    """Confirm findings of the plan for the region, as listed for year t (``Item.key``), as correct (确认无误), with
    a note saying why. A finding already confirmed at its current values is left as it is; a finding that no longer
    exists (its values changed meanwhile) is refused, so nobody confirms what they have not seen."""
    ensure_permitted(actor, QualityConfirmation, "add")
    note = (note or "").strip()
    if not note:
        raise ServiceError({"note": gettext("请填写确认说明，写明数据为什么无误（如：经核实，当年新认定 5 家企业）")})
    if not keys:
        raise ServiceError(gettext("请先勾选要确认的问题"))
    if year not in plan.years or not region.path.startswith(plan.region.path):
        message = gettext("{region}{year}年不在规划“{plan}”的评估范围内")
        raise ServiceError(message.format(region=region.name, year=year, plan=plan.name))
    items = {item.key: item for item in quality_findings(plan=plan, region=region, year=year)}
    gone = [key for key in keys if key not in items]
    if gone:
        message = gettext("有 {count} 项问题已不存在（数值可能已经修改），请刷新页面后重新确认")
        raise ServiceError(message.format(count=len(gone)))
    made = []
    for key in dict.fromkeys(keys):
        item = items[key]
        if item.confirmed:
            continue
        confirmation = QualityConfirmation(
            indicator=item.indicator,
            region=region,
            year=item.finding.year,
            check_code=item.finding.check,
            values=item.finding.values,
            note=note,
            confirmed_by=actor,
        )
        made.append(record_create(actor=actor, instance=confirmation, check=actor is not None))
    return made
