"""Reads of plan monitoring: plans, the yearly values of an indicator (from a metric or from approved manual
observations), and stored assessments. Every read for a user goes through restrict()."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext

from kechuang.core.access import restrict
from kechuang.regions.models import Region

from .choices import Kind, ObservationStatus, Status
from .models import RATE_COMPONENTS, VALUE_COMPONENTS, Assessment, Indicator, IndicatorResult, Observation, Plan

__all__ = [
    "Drilldown",
    "Values",
    "assessed_regions",
    "assessment_current",
    "assessment_data",
    "assessment_history",
    "assessment_results",
    "assessments_version",
    "drilldown",
    "forget_assessments_version",
    "indicator_results",
    "indicator_values",
    "latest_assessed_year",
    "manual_indicators",
    "observation_filter",
    "observation_list",
    "observation_versions",
    "plan_get",
    "plan_list",
    "plan_regions",
    "region_choices",
    "result_data",
    "scoped_regions",
    "status_summary",
    "years_needed",
]


@dataclass
class Values:
    """An indicator's yearly values in its own unit, and where they came from."""

    values: dict[int, Decimal | None]
    source: str  # "metric" | "observation"
    observations: dict[int, int] = field(default_factory=dict)  # year → id of the approved observation used

    def as_inputs(self, metric: str) -> dict:
        return {
            "source": self.source,
            "metric": metric,
            "values": {str(y): (None if v is None else str(v)) for y, v in sorted(self.values.items())},
            "observations": {str(y): pk for y, pk in sorted(self.observations.items())},
        }


def plan_list(*, user, action: str = "view") -> QuerySet:
    return restrict(Plan, user, action).select_related("region")


def plan_get(*, user, code: str, action: str = "view") -> Plan:
    plan = plan_list(user=user, action=action).filter(code=code).first()
    if plan is None:
        raise Http404(gettext("没有代码为“{code}”的规划，或无权查看").format(code=code))
    return plan


def scoped_regions(*, user) -> QuerySet:
    """The regions in the user's data scope (regions are reference data without a scope of their own, so the
    scope of the user's role is applied here): everything, a subtree, or nothing."""
    from kechuang.core.access import user_scope

    scope = user_scope(user)
    regions = Region.objects.order_by("path")
    if scope.kind == "all":
        return regions
    if scope.kind == "region":
        return regions.filter(path__startswith=scope.region_path)
    return regions.none()


def plan_regions(*, user, plan: Plan) -> QuerySet:
    """The regions of a plan this user may see: the plan's region and its subtree, within the user's scope."""
    return scoped_regions(user=user).filter(path__startswith=plan.region.path)


def region_choices(*, user, plan: Plan, region: Region) -> list[Region]:
    """The regions offered beside a chosen one: the way down from the plan's region to it, and its subordinate
    regions — never the whole subtree, which is thousands of townships for a province's plan."""
    codes = region.path.strip("/").split("/")
    above = plan_regions(user=user, plan=plan).filter(code__in=codes)
    below = plan_regions(user=user, plan=plan).filter(parent=region)
    return [*above.order_by("path"), *below.order_by("code")]


def years_needed(indicator: Indicator, year: int) -> list[int]:
    """The years whose values an assessment of ``year`` reads: all years B+1..t for a cumulative indicator."""
    if indicator.kind == Kind.CUMULATIVE:
        return list(range(indicator.plan.baseline_year + 1, year + 1))
    return [year]


def indicator_values(indicator: Indicator, region: Region, years: list[int]) -> Values:
    """The indicator's values for the region and years: computed from the registries by its metric (converted to
    the indicator's unit), or the last approved manual observation of each year."""
    if indicator.metric:
        from .metrics import METRICS, convert, metric_values

        metric = METRICS[indicator.metric]
        raw = metric_values(indicator.metric, region, years)
        return Values(
            {y: _stated(convert(raw.get(y), metric.unit, indicator.unit), indicator) for y in years}, "metric"
        )
    rows = Observation.objects.approved().filter(
        indicator=indicator,
        region=region,
        year__in=years,
        pk=Subquery(
            Observation.objects.approved()
            .filter(indicator=indicator, region=region, year=OuterRef("year"))
            .order_by("-approved_at", "-pk")
            .values("pk")[:1]
        ),
    )
    found = {row.year: row for row in rows}
    return Values(
        {y: (found[y].value if y in found else None) for y in years},
        "observation",
        {y: row.pk for y, row in found.items()},
    )


def _stated(value: Decimal | None, indicator: Indicator) -> Decimal | None:
    """A computed value as statistics state it: at the indicator's precision, rounded half up (18.4511 % is the
    18.45 % the plan prints). Everything computed from it afterwards stays unrounded."""
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-indicator.precision), rounding=ROUND_HALF_UP)


def assessment_current(*, user, plan: Plan, region: Region, year: int) -> Assessment | None:
    return (
        restrict(Assessment, user)
        .filter(plan=plan, region=region, year=year, current=True)
        .select_related("plan", "region", "computed_by")
        .first()
    )


# The version is read from the database at most this often by each process: a page view of the cockpit then costs
# no query beyond the session's. The plan services forget it when they write, so the process that stored an
# assessment shows it at once; the other processes show it within VERSION_SECONDS.
VERSION_SECONDS = 2
_VERSION_KEY = "plans:assessments-version"


def assessments_version() -> str:
    """A text that changes whenever a page built from stored assessments may show something else: every assessment
    run stores a new Assessment (the newest id grows), and editing, adding or deleting a plan or an indicator moves
    the newest ``updated`` or a count. Read from the database at most every VERSION_SECONDS (one statement of five
    scalar reads, written out: the ORM takes longer to build three aggregates than the database to answer them)."""
    return cache.get_or_set(_VERSION_KEY, _read_version, VERSION_SECONDS)


def forget_assessments_version() -> None:
    cache.delete(_VERSION_KEY)


def _read_version() -> str:
    quote = connection.ops.quote_name
    assessments, plans, indicators = (quote(m._meta.db_table) for m in (Assessment, Plan, Indicator))
    newest = quote(Assessment._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX({newest}) FROM {assessments}),"
            f" (SELECT COUNT(*) FROM {plans}), (SELECT MAX(updated) FROM {plans}),"
            f" (SELECT COUNT(*) FROM {indicators}), (SELECT MAX(updated) FROM {indicators})"
        )
        return "/".join(map(str, cursor.fetchone()))


def assessment_results(assessment: Assessment) -> QuerySet:
    return (
        IndicatorResult.objects.filter(assessment=assessment)
        .select_related("indicator")
        .order_by("indicator__position", "indicator__pk")
    )


def assessment_history(*, user, plan: Plan, region: Region, year: int) -> QuerySet:
    return restrict(Assessment, user).filter(plan=plan, region=region, year=year).order_by("-pk")


def observation_list(*, user, action: str = "view") -> QuerySet:
    return restrict(Observation, user, action).select_related("indicator__plan", "region", "entered_by", "approved_by")


def observation_filter(qs: QuerySet, filters: dict) -> QuerySet:
    if filters.get("plan"):
        qs = qs.filter(indicator__plan__code=filters["plan"])
    if filters.get("status") in ObservationStatus.values:
        qs = qs.filter(status=filters["status"])
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    return qs


def observation_versions(*, user, observation: Observation) -> QuerySet:
    """Every revision of the same indicator, region and year, newest first: the value's history."""
    return (
        observation_list(user=user)
        .filter(indicator=observation.indicator, region=observation.region, year=observation.year)
        .order_by("-pk")
    )


def manual_indicators(*, user) -> QuerySet:
    """Indicators without a metric, of the plans the user may see: the ones statistics are entered for."""
    return restrict(Indicator, user).filter(metric="").select_related("plan").order_by("plan__code", "position")


def indicator_results(*, user, indicator: Indicator, region: Region) -> QuerySet:
    """The indicator's current stored results for a region, one per assessed year (its trend)."""
    return (
        restrict(IndicatorResult, user)
        .filter(indicator=indicator, assessment__region=region, assessment__current=True)
        .select_related("assessment")
        .order_by("assessment__year")
    )


def latest_assessed_year(*, user, plan: Plan, region: Region) -> int | None:
    return (
        restrict(Assessment, user)
        .filter(plan=plan, region=region, current=True)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def status_summary(results) -> list[tuple[str, str, int]]:
    """(status code, label, count) for every status present, in the order of the method."""
    from .explain import status_label

    counts: dict[tuple[str, str], int] = {}
    for r in results:
        key = (r.status, status_label(r.status, r.reason))
        counts[key] = counts.get(key, 0) + 1
    order = list(Status.values)
    return [(s, label, n) for (s, label), n in sorted(counts.items(), key=lambda kv: order.index(kv[0][0]))]


def assessed_regions(region: Region, *, children: bool, year: int) -> list[Region]:
    """The region, and with ``children`` its direct subordinate regions that existed at the end of the year (a
    city's counties), for a roll-up."""
    if not children:
        return [region]
    below = Region.objects.filter(parent=region).valid_on(datetime.date(year, 12, 31)).order_by("code")
    return [region, *below]


JSON_VALUE_KEYS = ("baseline", "target", *VALUE_COMPONENTS)


def _number(value: Decimal | None):
    """A stored Decimal as a JSON number: integral values as int, others as float (12 decimals fit a double)."""
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def result_data(result: IndicatorResult) -> dict:
    """One indicator of an assessment with the fixed keys of the external JSON interface (issue 4 §5)."""
    from .explain import status_label

    indicator = result.indicator
    row = {
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "kind": indicator.kind,
        "direction": indicator.direction,
        "attribute": indicator.attribute,
    }
    row |= {key: _number(getattr(result, key)) for key in (*JSON_VALUE_KEYS, *RATE_COMPONENTS)}
    row |= {"status": result.status, "status_label": status_label(result.status, result.reason)}
    order = (
        "code name unit kind direction attribute baseline target planned_growth increase_multiple actual completion "
        "expected progress status status_label actual_growth required_growth projection projected_completion "
        "international_ratio"
    ).split()
    return {key: row[key] for key in order}


def assessment_data(assessment: Assessment) -> dict:
    """An assessment as the JSON of ``kechuang plan assess --format json`` and /api/v1 (fixed keys)."""
    return {
        "plan": assessment.plan.code,
        "region": assessment.region.code,
        "year": assessment.year,
        "indicators": [result_data(r) for r in assessment_results(assessment)],
    }


# The list columns of the records a metric counts, by model label; other models get a plain list of links.
DRILL_TABLES = {
    "ip.patent": "kechuang.ip.tables.PatentTable",
    "ip.otherip": "kechuang.ip.tables.OtherIPTable",
    "orgs.organisation": "kechuang.orgs.tables.OrganisationTable",
    "orgs.annualfigures": "kechuang.orgs.tables.AnnualFiguresTable",
    "orgs.certificate": "kechuang.orgs.tables.CertificateTable",
    "talent.person": "kechuang.talent.tables.PersonTable",
    "carriers.carrier": "kechuang.carriers.tables.CarrierTable",
    "achievements.achievement": "kechuang.achievements.tables.AchievementTable",
    "achievements.conversion": "kechuang.achievements.tables.ConversionTable",
    "achievements.techcontract": "kechuang.achievements.tables.TechContractTable",
    "activities.popularisationspending": "kechuang.activities.tables.SpendingTable",
    "plans.observation": "kechuang.plans.tables.ObservationTable",
}


@dataclass
class Drilldown:
    queryset: QuerySet
    table_class: type
    values: dict[int, Decimal | None]

    @property
    def table(self):
        return self.table_class(self.queryset)


def drilldown(*, user, indicator: Indicator, region: Region, years: list[int]) -> Drilldown:
    """The records behind an indicator's value: for every year read, the metric's records (through restrict()),
    or the approved observations used for a manual indicator."""
    from django.utils.module_loading import import_string

    values = indicator_values(indicator, region, years)
    if indicator.metric:
        from .metrics import METRICS, metric_records

        parts = [metric_records(indicator.metric, region, year, user) for year in years]
        queryset = parts[0] if parts else Observation.objects.none()
        for part in parts[1:]:
            queryset = queryset | part
        label = METRICS[indicator.metric].model
    else:
        queryset = observation_list(user=user).filter(pk__in=list(values.observations.values()))
        label = "plans.observation"
    table = import_string(DRILL_TABLES.get(label, "kechuang.plans.tables.RecordTable"))
    return Drilldown(queryset.order_by(*queryset.query.order_by or ["pk"]), table, values.values)
