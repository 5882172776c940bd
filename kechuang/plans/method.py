"""The assessment method of ../shared/reference/plan-monitoring.md, as pure Decimal arithmetic.

Nothing here touches the database: ``assess(spec, year, values)`` takes an indicator's definition and its
approved yearly values and returns every component of the assessment, unrounded. Thresholds compare
unrounded values; rounding (ROUND_HALF_UP) is for display only (``display``).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .choices import Attribute, Direction, Kind, Status

__all__ = ["Assessed", "Spec", "Thresholds", "assess", "display", "international_category", "planned_growth"]

ONE = Decimal(1)


@dataclass(frozen=True)
class Thresholds:
    """Status thresholds on the progress ratio P (per plan; these are the method's defaults)."""

    ahead: Decimal = Decimal("1.10")
    on_track: Decimal = Decimal("0.90")
    on_track_binding: Decimal = Decimal("1.00")
    lagging: Decimal = Decimal("0.60")

    def as_dict(self) -> dict[str, Decimal]:
        return {
            "ahead": self.ahead,
            "on_track": self.on_track,
            "on_track_binding": self.on_track_binding,
            "lagging": self.lagging,
        }


@dataclass(frozen=True)
class Spec:
    """An indicator as the method sees it: its kind, direction, attribute, baseline and target over B..T."""

    kind: str
    baseline_year: int
    target_year: int
    target: Decimal
    baseline: Decimal | None = None
    direction: str = Direction.INCREASE
    attribute: str = Attribute.EXPECTED
    annual_targets: dict[int, Decimal] = field(default_factory=dict)

    @property
    def years(self) -> int:
        return self.target_year - self.baseline_year

    @property
    def sign(self) -> int:
        return -1 if self.direction == Direction.DECREASE else 1


@dataclass
class Assessed:
    """Every component of one indicator's assessment for year t (None where the method leaves it undefined)."""

    year: int
    status: str
    actual: Decimal | None = None  # A_t, or C_t for a cumulative indicator
    planned_growth: Decimal | None = None
    increase_multiple: Decimal | None = None
    completion: Decimal | None = None
    expected: Decimal | None = None  # E_t, the planned path (序时进度)
    progress: Decimal | None = None  # P
    actual_growth: Decimal | None = None
    required_growth: Decimal | None = None
    projection: Decimal | None = None
    projected_completion: Decimal | None = None
    international_ratio: Decimal | None = None
    missing_years: list[int] = field(default_factory=list)
    reason: str = ""  # which rule decided the status: a key of REASONS

    @property
    def early(self) -> bool:
        """Achieved before the target year (提前完成)."""
        return self.status == Status.ACHIEVED and self.reason == "met_early"


def _root(ratio: Decimal, years: int) -> Decimal:
    return ratio ** (ONE / Decimal(years))


def planned_growth(baseline: Decimal | None, target: Decimal, years: int) -> Decimal | None:
    """年均增长: (Tg / Bv)^(1/N) − 1; undefined when Bv ≤ 0 or Tg ≤ 0."""
    if baseline is None or baseline <= 0 or target <= 0 or years <= 0:
        return None
    return _root(target / baseline, years) - ONE


def increase_multiple(baseline: Decimal | None, target: Decimal) -> Decimal | None:
    """图3 增幅（倍）: (Tg − Bv) / Bv."""
    if baseline is None or baseline == 0:
        return None
    return (target - baseline) / baseline


def completion(spec: Spec, actual: Decimal | None, target: Decimal) -> Decimal | None:
    """完成率: A / Tg for an increase; (Bv − A) / (Bv − Tg) for a decrease."""
    if actual is None:
        return None
    if spec.direction == Direction.DECREASE:
        if spec.baseline is None or spec.baseline == target:
            return None
        return (spec.baseline - actual) / (spec.baseline - target)
    return actual / target if target else None


def _flows_sum(growth: Decimal | None, years: int) -> Decimal:
    """S(m) = Σ_{k=1..m} (1+g)^k, or m when g is undefined or 0."""
    if not growth:
        return Decimal(years)
    return sum(((ONE + growth) ** k for k in range(1, years + 1)), Decimal(0))


def expected_value(spec: Spec, year: int, target: Decimal, growth: Decimal | None) -> Decimal | None:
    """E_t, the planned path (序时进度): an annual target if given, else the kind's path from Bv to Tg."""
    if year in spec.annual_targets:
        return spec.annual_targets[year]
    elapsed, n = year - spec.baseline_year, spec.years
    if spec.kind == Kind.CUMULATIVE:
        return target * _flows_sum(growth, elapsed) / _flows_sum(growth, n)
    if spec.baseline is None:
        return None
    if spec.kind == Kind.LEVEL and growth is not None:
        return spec.baseline * (ONE + growth) ** elapsed
    return spec.baseline + (target - spec.baseline) * elapsed / n


def _progress(spec: Spec, actual: Decimal, expected: Decimal | None) -> Decimal | None:
    if expected is None:
        return None
    if spec.kind == Kind.CUMULATIVE:
        return actual / expected if expected else None
    if spec.baseline is None or expected == spec.baseline:
        return None
    return (actual - spec.baseline) / (expected - spec.baseline)


def _actual_growth(spec: Spec, actual: Decimal, elapsed: int) -> Decimal | None:
    if spec.kind != Kind.LEVEL or spec.baseline is None or spec.baseline <= 0 or actual <= 0:
        return None
    return _root(actual / spec.baseline, elapsed) - ONE


def _required(spec: Spec, actual: Decimal, target: Decimal, remaining: int) -> Decimal | None:
    """倒逼: the growth per year (level) or units per year (share, cumulative) still needed to reach Tg."""
    if remaining <= 0:
        return None
    if spec.kind == Kind.LEVEL:
        if actual <= 0 or target <= 0:
            return None
        return _root(target / actual, remaining) - ONE
    return (target - actual) / remaining


def _projection(spec: Spec, actual: Decimal, growth: Decimal | None, elapsed: int, remaining: int):
    if remaining == 0:
        return actual
    if spec.kind == Kind.LEVEL:
        return None if growth is None else actual * (ONE + growth) ** remaining
    if spec.kind == Kind.CUMULATIVE:
        return actual + actual / elapsed * remaining
    if spec.baseline is None:
        return None
    return actual + (actual - spec.baseline) / elapsed * remaining


def _international(spec: Spec, growth: Decimal | None, plan_growth: Decimal | None) -> Decimal | None:
    if growth is None or not plan_growth:
        return None
    return spec.sign * growth / abs(plan_growth)


def _cumulate(spec: Spec, year: int, values: dict[int, Decimal | None]) -> tuple[Decimal | None, list[int]]:
    """C_t = Σ a_y for y = B+1..t, or None with the years that are missing."""
    years = range(spec.baseline_year + 1, year + 1)
    missing = [y for y in years if values.get(y) is None]
    if missing:
        return None, missing
    return sum((values[y] for y in years), Decimal(0)), []


def assess(
    spec: Spec,
    year: int,
    values: dict[int, Decimal | None],
    thresholds: Thresholds | None = None,
    target: Decimal | None = None,
) -> Assessed:
    """Assess one indicator for year t (B < t ≤ T) from its yearly values (flows for a cumulative indicator).

    ``target`` overrides ``spec.target`` (a revised target in force for year t).
    """
    if not spec.baseline_year < year <= spec.target_year:
        raise ValueError(f"year {year} is outside {spec.baseline_year + 1}..{spec.target_year}")
    thresholds = thresholds or Thresholds()
    target = spec.target if target is None else target
    growth_plan = planned_growth(spec.baseline, target, spec.years)
    result = Assessed(
        year=year,
        status=Status.NO_DATA,
        planned_growth=growth_plan,
        increase_multiple=increase_multiple(spec.baseline, target),
        expected=expected_value(spec, year, target, growth_plan),
    )
    if spec.kind == Kind.CUMULATIVE:
        actual, result.missing_years = _cumulate(spec, year, values)
    else:
        actual = values.get(year)
        result.missing_years = [] if actual is not None else [year]
    if actual is None:
        result.reason = "no_value"
        return result
    elapsed, remaining = year - spec.baseline_year, spec.target_year - year
    result.actual = actual
    result.completion = completion(spec, actual, target)
    result.progress = _progress(spec, actual, result.expected)
    result.actual_growth = _actual_growth(spec, actual, elapsed)
    result.required_growth = _required(spec, actual, target, remaining)
    result.projection = _projection(spec, actual, result.actual_growth, elapsed, remaining)
    result.projected_completion = completion(spec, result.projection, target)
    result.international_ratio = _international(spec, result.actual_growth, growth_plan)
    result.status, result.reason = _status(spec, result, target, thresholds, remaining)
    return result


def _status(spec: Spec, r: Assessed, target: Decimal, t: Thresholds, remaining: int) -> tuple[str, str]:
    if spec.sign * (r.actual - target) >= 0:
        return Status.ACHIEVED, ("met_early" if remaining else "met")
    if remaining == 0:
        return Status.MISSED, "missed"
    binding = spec.attribute == Attribute.BINDING
    if spec.kind != Kind.CUMULATIVE and target == spec.baseline:
        return (Status.SERIOUS if binding else Status.LAGGING), "hold_not_met"
    if r.progress is None:
        return Status.NO_DATA, ("no_baseline" if spec.baseline is None else "no_progress")
    if r.progress >= t.ahead:
        return Status.AHEAD, "ahead"
    if r.progress >= (t.on_track_binding if binding else t.on_track):
        return Status.ON_TRACK, "on_track"
    if r.progress >= t.lagging:
        return Status.LAGGING, "lagging"
    return Status.SERIOUS, ("backwards" if r.progress < 0 else "serious")


def international_category(ratio: Decimal | None) -> str:
    """The secondary, international measure (Statistics Canada / Open SDG): a category code, or ""."""
    if ratio is None:
        return ""
    if ratio >= Decimal("0.95"):
        return "on_track"
    if ratio >= Decimal("0.60"):
        return "acceleration_needed"
    if ratio >= 0:
        return "limited_progress"
    return "deterioration"


def display(value: Decimal | None, places: int, *, percent: bool = False) -> str:
    """A value rounded half up for display (a fraction as a percentage with ``percent``); "—" when undefined."""
    if value is None:
        return "—"
    if percent:
        value = value * 100
    text = f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    return f"{text}%" if percent else text
