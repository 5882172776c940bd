"""Reads of the achievements registry, always through restrict() when a user asks.

The plan-monitoring selectors (``achievements_registered``, ``conversions_in``, ``contracts_registered``,
``awards_in``) return the querysets behind a figure, so a figure drills down to its records; their
companions (``…_by_year``, ``contract_turnover``, ``awards_by_level``) aggregate the same querysets in SQL.
Without a user they read every record (the system: metrics, the demo's facts, reports).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from kechuang.core.access import restrict
from kechuang.orgs.models import Organisation
from kechuang.orgs.selectors import organisation_search

from .models import Achievement, Award, Conversion, TechContract

__all__ = [
    "Turnover",
    "achievement_filter",
    "achievement_list",
    "achievements_by_year",
    "achievements_registered",
    "award_filter",
    "award_list",
    "awards_by_level",
    "awards_in",
    "contract_filter",
    "contract_list",
    "contract_turnover",
    "contract_turnover_by_year",
    "contracts_registered",
    "conversion_filter",
    "conversion_list",
    "conversions_by_year",
    "conversions_in",
    "in_region",
    "records_of",
]

ZERO = Decimal("0.00")


def _records(model, user, action: str = "view") -> QuerySet:
    return restrict(model, user, action) if user is not None else model._default_manager.all()


def in_region(queryset: QuerySet, region) -> QuerySet:
    """The records a region subtree holds, by the organisation that places each record."""
    return queryset if region is None else queryset.filter(queryset.model.region_q(region.path))


def _between(field: str, start: int, end: int) -> Q:
    """Dates in the years start..end inclusive, as a range the index on ``field`` serves."""
    return Q(**{f"{field}__gte": datetime.date(start, 1, 1), f"{field}__lte": datetime.date(end, 12, 31)})


def _by_year(queryset: QuerySet, field: str) -> dict[int, int]:
    rows = queryset.annotate(y=ExtractYear(field)).values("y").annotate(n=Count("pk")).order_by("y")
    return {row["y"]: row["n"] for row in rows}


def records_of(queryset: QuerySet, organisation: Organisation) -> QuerySet:
    """The records among ``queryset`` that an organisation takes part in, at any rank (its master-file tab)."""
    return queryset.filter(queryset.model.taking_part(organisation.pk))


def _matching_orgs(text: str) -> QuerySet:
    return organisation_search(Organisation.objects.all(), text).values("pk")


# --- achievements ------------------------------------------------------------------------------------------


def achievement_list(*, user, action: str = "view", filters: dict | None = None) -> QuerySet:
    qs = restrict(Achievement, user, action).select_related("organisation", "organisation__region")
    return achievement_filter(qs.prefetch_related("units__organisation"), filters or {})


def achievement_filter(qs: QuerySet, filters: dict) -> QuerySet:
    """Search (number, title, person, unit) and the list filters."""
    if text := (filters.get("q") or "").strip():
        units = Achievement.objects.filter(
            Q(units__name__icontains=text) | Q(units__organisation__in=_matching_orgs(text))
        ).values("pk")
        qs = qs.filter(
            Q(number__icontains=text)
            | Q(title__icontains=text)
            | Q(people__icontains=text)
            | Q(organisation__in=_matching_orgs(text))
            | Q(pk__in=units)
        )
    qs = in_region(qs, filters.get("region"))
    for name in ("kind", "hitech_domain", "evaluation_method", "evaluation_conclusion"):
        if filters.get(name) not in (None, ""):
            qs = qs.filter(**{name: filters[name]})
    if year := filters.get("year"):
        qs = qs.filter(_between("registration_date", year, year))
    return qs


def achievements_registered(*, user=None, region=None, start: int, end: int) -> QuerySet:
    """Achievements registered (科技成果登记) in the years start..end in a region subtree."""
    return in_region(_records(Achievement, user), region).filter(_between("registration_date", start, end))


def achievements_by_year(*, user=None, region=None, start: int, end: int) -> dict[int, int]:
    return _by_year(achievements_registered(user=user, region=region, start=start, end=end), "registration_date")


# --- conversions -------------------------------------------------------------------------------------------


def conversion_list(*, user, action: str = "view", filters: dict | None = None) -> QuerySet:
    qs = restrict(Conversion, user, action).select_related(
        "achievement", "achievement__organisation", "organisation", "organisation__region"
    )
    return conversion_filter(qs, filters or {})


def conversion_filter(qs: QuerySet, filters: dict) -> QuerySet:
    if text := (filters.get("q") or "").strip():
        qs = qs.filter(
            Q(subject__icontains=text)
            | Q(achievement__number__icontains=text)
            | Q(achievement__title__icontains=text)
            | Q(organisation__in=_matching_orgs(text))
            | Q(organisation__isnull=True, achievement__organisation__in=_matching_orgs(text))
        )
    qs = in_region(qs, filters.get("region"))
    for name in ("year", "form", "major"):
        if filters.get(name) not in (None, ""):
            qs = qs.filter(**{name: filters[name]})
    return qs


def conversions_in(*, user=None, region=None, start: int, end: int, major: bool | None = None) -> QuerySet:
    """Conversions (科技成果转化) of the years start..end in a region subtree; ``major=True``: only the major ones
    (重大科技成果转化)."""
    qs = in_region(_records(Conversion, user), region).filter(year__gte=start, year__lte=end)
    return qs if major is None else qs.filter(major=major)


def conversions_by_year(*, user=None, region=None, start: int, end: int, major: bool | None = None) -> dict:
    rows = (
        conversions_in(user=user, region=region, start=start, end=end, major=major)
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    return {row["year"]: row["n"] for row in rows}


# --- technology contracts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Turnover:
    """Technology-contract turnover (技术合同成交额) and certified technical income (技术交易额), in 元."""

    count: int
    amount: Decimal
    technical_income: Decimal


def contract_list(*, user, action: str = "view", filters: dict | None = None) -> QuerySet:
    qs = restrict(TechContract, user, action).select_related(
        "seller", "seller__region", "buyer", "buyer__region", "buyer_region"
    )
    return contract_filter(qs, filters or {})


def contract_filter(qs: QuerySet, filters: dict) -> QuerySet:
    if text := (filters.get("q") or "").strip():
        orgs = _matching_orgs(text)
        qs = qs.filter(
            Q(number__icontains=text)
            | Q(name__icontains=text)
            | Q(buyer_name__icontains=text)
            | Q(seller__in=orgs)
            | Q(buyer__in=orgs)
        )
    qs = in_region(qs, filters.get("region"))
    if kind := filters.get("kind"):
        qs = qs.filter(kind=kind)
    if year := filters.get("year"):
        qs = qs.filter(_between("registration_date", year, year))
    return qs


def contracts_registered(*, user=None, region=None, start: int, end: int) -> QuerySet:
    """Technology contracts registered (认定登记) in the years start..end, placed by the seller's region."""
    return in_region(_records(TechContract, user), region).filter(_between("registration_date", start, end))


def _turnover(row: dict) -> Turnover:
    return Turnover(row["n"], row["amount"] or ZERO, row["income"] or ZERO)


def contract_turnover(*, user=None, region=None, start: int, end: int) -> Turnover:
    """The turnover of the contracts registered in the years start..end."""
    qs = contracts_registered(user=user, region=region, start=start, end=end)
    return _turnover(qs.aggregate(n=Count("pk"), amount=Sum("amount"), income=Sum("technical_income")))


def contract_turnover_by_year(*, user=None, region=None, start: int, end: int) -> dict[int, Turnover]:
    """The turnover by registration year; a year without contracts is absent."""
    rows = (
        contracts_registered(user=user, region=region, start=start, end=end)
        .annotate(y=ExtractYear("registration_date"))
        .values("y")
        .annotate(n=Count("pk"), amount=Sum("amount"), income=Sum("technical_income"))
        .order_by("y")
    )
    return {row["y"]: _turnover(row) for row in rows}


# --- awards ------------------------------------------------------------------------------------------------


def award_list(*, user, action: str = "view", filters: dict | None = None) -> QuerySet:
    qs = restrict(Award, user, action).select_related("organisation", "organisation__region", "achievement")
    return award_filter(qs.prefetch_related("participants__organisation"), filters or {})


def award_filter(qs: QuerySet, filters: dict) -> QuerySet:
    if text := (filters.get("q") or "").strip():
        participants = Award.objects.filter(
            Q(participants__name__icontains=text) | Q(participants__organisation__in=_matching_orgs(text))
        ).values("pk")
        qs = qs.filter(
            Q(name__icontains=text)
            | Q(project__icontains=text)
            | Q(organisation__in=_matching_orgs(text))
            | Q(pk__in=participants)
        )
    qs = in_region(qs, filters.get("region"))
    for name in ("year", "level", "grade"):
        if filters.get(name) not in (None, ""):
            qs = qs.filter(**{name: filters[name]})
    return qs


def awards_in(*, user=None, region=None, start: int, end: int, level: str | None = None) -> QuerySet:
    """S&T awards (科技奖励) of the years start..end in a region subtree, optionally of one level."""
    qs = in_region(_records(Award, user), region).filter(year__gte=start, year__lte=end)
    return qs if level is None else qs.filter(level=level)


def awards_by_level(*, user=None, region=None, start: int, end: int) -> dict[str, int]:
    rows = awards_in(user=user, region=region, start=start, end=end).values("level").annotate(n=Count("pk"))
    return {row["level"]: row["n"] for row in rows.order_by("level")}
