"""The arithmetic of a scoring model, in Decimal and independent of the database: bands, points, totals, the
verdict against a pass score, and what a subject lacks to reach the next band."""

from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from .choices import BandUnit, Verdict

# The largest magnitude a typed value or band bound may have: beyond any figure of the master file (10^15 元 is a
# thousand trillion), and small enough to show to four decimal places within Decimal's default 28 digits.
LIMIT = Decimal("1e15")
FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Band:
    lower: Decimal
    inclusive: bool
    value: Decimal

    def reached_by(self, x: Decimal) -> bool:
        return x >= self.lower if self.inclusive else x > self.lower

    def label(self) -> str:
        return f"{'≥' if self.inclusive else '>'} {format_number(self.lower)}"


@dataclass(frozen=True)
class Rule:
    """A criterion as the engine reads it."""

    code: str
    name: str
    field: str
    weight: Decimal
    unit: str
    bands: tuple[Band, ...]

    def points_of(self, band: Band) -> Decimal:
        return band.value if self.unit == BandUnit.POINTS else band.value * self.weight

    @property
    def most(self) -> Decimal:
        """The most points the criterion can give (its best band; at most its weight)."""
        return max((self.points_of(band) for band in self.bands), default=Decimal(0))


@dataclass
class Scored:
    code: str
    name: str
    value: Decimal | None
    band: str  # "" below the first band or when the value is missing
    points: Decimal
    missing: bool
    next_gap: str = ""


@dataclass
class Outcome:
    total: Decimal
    items: list[Scored]
    missing: list[str] = field(default_factory=list)
    verdict: str = ""  # "" when the model has no pass score
    shortfall: Decimal | None = None  # points still lacking to the pass score


def parse_bands(raw: list[dict]) -> tuple[Band, ...]:
    return tuple(
        Band(lower=Decimal(str(b["lower"])), inclusive=bool(b.get("inclusive", True)), value=Decimal(str(b["value"])))
        for b in raw
    )


def rule_of(criterion) -> Rule:
    return Rule(
        # An entered criterion (projects) reads the value typed in under its own code.
        code=criterion.code, name=criterion.name, field=criterion.code if criterion.field == "entered" else
        criterion.field, weight=Decimal(criterion.weight),
        unit=criterion.unit, bands=parse_bands(criterion.bands),
    )  # fmt: skip


def band_of(rule: Rule, value: Decimal) -> Band | None:
    """The last band (bands ascend) whose lower bound the value reaches; None below the first."""
    found = None
    for band in rule.bands:
        if band.reached_by(value):
            found = band
    return found


def score_item(rule: Rule, value: Decimal | None) -> Scored:
    if value is None:
        return Scored(rule.code, rule.name, None, "", Decimal(0), True)
    band = band_of(rule, value)
    points = rule.points_of(band) if band is not None else Decimal(0)
    return Scored(rule.code, rule.name, value, band.label() if band else "", points, False, _next_gap(rule, band))


def _next_gap(rule: Rule, band: Band | None) -> str:
    """The bound of the next band that scores more, and its points: what a subject needs for more points."""
    current = rule.points_of(band) if band is not None else Decimal(0)
    for candidate in rule.bands:
        if rule.points_of(candidate) > current and (band is None or candidate.lower > band.lower):
            return f"{candidate.label()} → {format_number(rule.points_of(candidate))}"
    return ""


def score(rules: list[Rule], values: dict[str, Decimal | None], pass_score: Decimal | None = None) -> Outcome:
    """A subject's outcome: each criterion's value, band and points, the total, the missing data named (scored 0
    but never silently: the verdict is undecided while the missing criteria could still lift the total over the
    pass score)."""
    items = [score_item(rule, values.get(rule.field)) for rule in rules]
    total = sum((item.points for item in items), Decimal(0))
    missing = [item.name for item in items if item.missing]
    outcome = Outcome(total=total, items=items, missing=missing)
    if pass_score is not None:
        could_add = sum((r.most for r, i in zip(rules, items, strict=True) if i.missing), Decimal(0))
        if total >= pass_score:
            outcome.verdict = Verdict.MEETS
        elif total + could_add >= pass_score:
            outcome.verdict = Verdict.UNDECIDED
        else:
            outcome.verdict = Verdict.FAILS
        outcome.shortfall = max(pass_score - total, Decimal(0))
    return outcome


def in_range(value: Decimal) -> bool:
    """Whether a typed number is one the engine scores: finite and smaller in magnitude than ``LIMIT``."""
    return value.is_finite() and abs(value) < LIMIT


def format_number(value: Decimal | None) -> str:
    if value is None:
        return "—"
    if not value.is_finite():
        return str(value)
    with localcontext() as context:  # a figure larger than the default precision still shows, rounded to 4 places
        context.prec = max(context.prec, value.adjusted() + 6)
        normal = value.quantize(FOUR_PLACES).normalize()
    return f"{normal:f}"
