"""Reads of the activities registry, always through restrict() (``user=None`` is the system: everything).

The plan-monitoring selectors return querysets of the records behind a figure (drill-down); the totals
aggregate those querysets in one query. Popularisation spending per resident divides the spending recorded
anywhere in a region subtree (each record is one level's own spending) by the region's resident population.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from kechuang.core.access import restrict, user_scope
from kechuang.regions.models import Population, Region

from .models import Activity, PopularisationSpending

__all__ = [
    "PerResident",
    "activities_in_years",
    "activity_filter",
    "activity_list",
    "activity_totals",
    "popularisation_by_child",
    "popularisation_per_resident",
    "popularisation_spending",
    "region_in_scope",
    "spending_filter",
    "spending_list",
]

ZERO = Decimal("0.00")


def _scoped(model, user, action: str = "view") -> QuerySet:
    return restrict(model, user, action) if user is not None else model._default_manager.all()


# --- lists ---------------------------------------------------------------------------------------------------


def activity_list(*, user, action: str = "view", filters: dict | None = None) -> QuerySet:
    qs = _scoped(Activity, user, action).select_related("region", "organisation")
    return activity_filter(qs, filters or {})


def activity_filter(qs: QuerySet, filters: dict) -> QuerySet:
    """Text (title, organiser), type, region subtree, year of the start date."""
    if text := (filters.get("q") or "").strip():
        qs = qs.filter(Q(title__icontains=text) | Q(organiser__icontains=text) | Q(organisation__name__icontains=text))
    if kind := filters.get("kind"):
        qs = qs.filter(kind=kind)
    if region := filters.get("region"):
        qs = qs.filter(region__path__startswith=region.path)
    if year := filters.get("year"):
        qs = qs.filter(start_date__year=year)
    return qs


def spending_list(*, user, action: str = "view", filters: dict | None = None) -> QuerySet:
    """Spending records with the population of their region and year beside them (for 人均, one query)."""
    population = Population.objects.filter(region=OuterRef("region"), year=OuterRef("year")).values("resident")[:1]
    qs = (
        _scoped(PopularisationSpending, user, action)
        .select_related("region")
        .annotate(population=Subquery(population, output_field=IntegerField()))
    )
    return spending_filter(qs, filters or {})


def spending_filter(qs: QuerySet, filters: dict) -> QuerySet:
    if region := filters.get("region"):
        qs = qs.filter(region__path__startswith=region.path)
    if year := filters.get("year"):
        qs = qs.filter(year=year)
    return qs


def region_in_scope(*, user, region: Region) -> bool:
    """Whether a figure of this region may be shown to the user: the region lies inside the user's data scope."""
    scope = user_scope(user)
    return scope.kind == "all" or (scope.kind == "region" and region.path.startswith(scope.region_path))


# --- plan monitoring -----------------------------------------------------------------------------------------


def activities_in_years(
    *, user=None, first_year: int, last_year: int | None = None, region=None, kinds=None
) -> QuerySet:
    """Activities that started in first_year..last_year (one year when last_year is omitted), in a region subtree."""
    last_year = first_year if last_year is None else last_year
    qs = _scoped(Activity, user).filter(start_date__year__gte=first_year, start_date__year__lte=last_year)
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    return qs


def activity_totals(*, user=None, first_year: int, last_year: int | None = None, region=None) -> dict[str, dict]:
    """Per activity type: how many, participants, competition entries and awards, trainees, spending (元)."""
    rows = (
        activities_in_years(user=user, first_year=first_year, last_year=last_year, region=region)
        .order_by()
        .values("kind")
        .annotate(
            count=Count("pk"),
            participants=Coalesce(Sum("participants"), 0),
            entries=Coalesce(Sum("entries"), 0),
            awards=Coalesce(Sum("awards"), 0),
            trainees=Coalesce(Sum("trainees"), 0),
            spending=Coalesce(Sum("spending"), Value(ZERO), output_field=DecimalField(max_digits=18, decimal_places=2)),
        )
    )
    return {row.pop("kind"): row for row in rows}


def popularisation_spending(*, user=None, year: int, region=None) -> QuerySet:
    """The spending records of a year in a region subtree: the records behind the per-resident figure."""
    qs = _scoped(PopularisationSpending, user).filter(year=year)
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    return qs


@dataclass(frozen=True)
class PerResident:
    """Spending per resident of a region in a year; ``value`` is unrounded (None without a population)."""

    region: Region
    year: int
    spending: Decimal
    population: int | None

    @property
    def value(self) -> Decimal | None:
        if not self.population:
            return None
        return self.spending / self.population


def popularisation_per_resident(*, user=None, year: int, region: Region) -> PerResident:
    """年人均科普经费: the subtree's spending of the year over the region's resident population of the year."""
    total = popularisation_spending(user=user, year=year, region=region).aggregate(s=Sum("amount"))["s"]
    population = Population.objects.filter(region=region, year=year).values_list("resident", flat=True).first()
    return PerResident(region=region, year=year, spending=(total or ZERO).quantize(ZERO), population=population)


def popularisation_by_child(*, user=None, year: int, region: Region) -> list[PerResident]:
    """The per-resident figure of each child region (drill-down), in one query."""
    spending = (
        popularisation_spending(user=user, year=year)
        .filter(region__path__startswith=OuterRef("path"))
        .order_by()
        .values("year")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    population = Population.objects.filter(region=OuterRef("pk"), year=year).values("resident")[:1]
    children = (
        Region.objects.filter(parent=region)
        .annotate(
            spending=Subquery(spending, output_field=DecimalField(max_digits=18, decimal_places=2)),
            population=Subquery(population, output_field=IntegerField()),
        )
        .order_by("code")
    )
    return [
        PerResident(
            region=child, year=year, spending=(child.spending or ZERO).quantize(ZERO), population=child.population
        )
        for child in children
    ]
