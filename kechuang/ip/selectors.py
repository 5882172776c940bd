"""Reads of the IP registry, always through restrict() when a user asks; set-based counts for the indicators.

The counting selectors take ``user=None`` for system computations (the demo, scheduled indicators), which see
every record; with a user they count only what ``restrict()`` lets that user see. A region means the region
and everything below it; a patent belongs to the region of its first patentee, so a patent two counties share
is counted once, in the first patentee's county.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from kechuang.core.access import restrict
from kechuang.regions.models import Population, Region

from .choices import Acquisition, IPClass, PatentType
from .models import CLASS_I_PATENT_TYPES, INVENTION_TYPES, OTHER_IP_CLASS, UTILITY_TYPES, OtherIP, Patent, PatentOwner

__all__ = [
    "Counted",
    "category_case",
    "category_counts",
    "inventions_per_10k",
    "ip_class_case",
    "ip_counts_by_organisation",
    "other_ip_filter",
    "other_ip_list",
    "other_ip_valid_q",
    "patent_applications",
    "patent_filter",
    "patent_get",
    "patent_grants",
    "patent_list",
    "patents",
    "patents_of",
    "status_q",
    "valid_inventions",
    "valid_inventions_by_year",
    "valid_q",
]

CATEGORIES = (PatentType.INVENTION, PatentType.UTILITY, PatentType.DESIGN)
CATEGORY_TYPES = {
    PatentType.INVENTION: INVENTION_TYPES,
    PatentType.UTILITY: UTILITY_TYPES,
    PatentType.DESIGN: (PatentType.DESIGN,),
}
PER = Decimal(10_000)


@dataclass(frozen=True)
class Counted:
    """Counts by category (invention / utility / design, PCT entries included) and the records behind them."""

    counts: dict[str, int]
    records: QuerySet

    @property
    def total(self) -> int:
        return self.counts["total"]


def valid_q(day: datetime.date, prefix: str = "") -> Q:
    """Patents in force on a day: granted by it, not yet ended (lapsed, invalidated, term expired)."""
    return Q(**{f"{prefix}grant_date__lte": day}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": day})
    )


def other_ip_valid_q(day: datetime.date) -> Q:
    return Q(date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))


def category_case() -> Case:
    """发明 / 实用新型 / 外观设计 of each patent, as an annotation."""
    return Case(*(When(patent_type__in=types, then=Value(str(category))) for category, types in CATEGORY_TYPES.items()))


def ip_class_case() -> Case:
    return Case(When(patent_type__in=CLASS_I_PATENT_TYPES, then=Value(IPClass.I)), default=Value(IPClass.II))


def patents(*, user=None, action: str = "view", region: Region | None = None) -> QuerySet:
    """Patents the user may see (all for the system), optionally inside a region subtree."""
    qs = restrict(Patent, user, action) if user is not None else Patent.objects.all()
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    return qs


def category_counts(queryset: QuerySet) -> dict[str, int]:
    """Invention, utility-model and design counts and their total, in one query."""
    counts = queryset.aggregate(
        total=Count("pk"),
        **{str(c): Count("pk", filter=Q(patent_type__in=types)) for c, types in CATEGORY_TYPES.items()},
    )
    return {str(c): counts[str(c)] for c in CATEGORIES} | {"total": counts["total"]}


def patent_applications(*, since: int, until: int, region: Region | None = None, user=None) -> Counted:
    """Applications filed in the years since…until (inclusive), by application date."""
    qs = patents(user=user, region=region).filter(
        application_date__gte=datetime.date(since, 1, 1), application_date__lte=datetime.date(until, 12, 31)
    )
    return Counted(category_counts(qs), qs)


def patent_grants(*, since: int, until: int, region: Region | None = None, user=None) -> Counted:
    """Patents granted in the years since…until (inclusive), by grant date, whenever they were filed."""
    qs = patents(user=user, region=region).filter(
        grant_date__gte=datetime.date(since, 1, 1), grant_date__lte=datetime.date(until, 12, 31)
    )
    return Counted(category_counts(qs), qs)


def valid_inventions(*, day: datetime.date, region: Region | None = None, user=None) -> QuerySet:
    """Invention patents (PCT entries included) in force on a day: the 发明专利拥有量."""
    return patents(user=user, region=region).filter(valid_q(day), patent_type__in=INVENTION_TYPES)


def valid_inventions_by_year(*, years: list[int], region: Region | None = None, user=None) -> dict[int, int]:
    """Invention patents in force on 31 December of each year, all years in one query."""
    qs = patents(user=user, region=region).filter(patent_type__in=INVENTION_TYPES)
    counts = qs.aggregate(**{f"y{y}": Count("pk", filter=valid_q(datetime.date(y, 12, 31))) for y in years})
    return {y: counts[f"y{y}"] for y in years}


def inventions_per_10k(*, region: Region, year: int, user=None) -> Decimal | None:
    """Invention patents in force on 31 December per 10,000 residents (每万人口发明专利拥有量), unrounded;
    None when the region has no population for that year."""
    resident = Population.objects.filter(region=region, year=year).values_list("resident", flat=True).first()
    if not resident:
        return None
    held = valid_inventions(day=datetime.date(year, 12, 31), region=region, user=user).count()
    return Decimal(held) * PER / Decimal(resident)


def ip_counts_by_organisation(*, day: datetime.date, organisations: QuerySet | None = None) -> dict[int, dict]:
    """For each organisation holding IP in force on a day: its Class I and Class II items and whether any of them
    is its own R&D (自主研发) — what the high-tech and tech-SME rules score. Two grouped queries."""
    owned = PatentOwner.objects.filter(organisation__isnull=False).filter(valid_q(day, prefix="patent__"))
    others = OtherIP.objects.filter(other_ip_valid_q(day), kind__in=list(OTHER_IP_CLASS))
    if organisations is not None:
        owned = owned.filter(organisation__in=organisations)
        others = others.filter(organisation__in=organisations)
    own_rd = Q(patent__acquisition=Acquisition.OWN_RD)
    result: dict[int, dict] = {}
    for row in owned.values("organisation").annotate(
        class_i=Count("patent", filter=Q(patent__patent_type__in=CLASS_I_PATENT_TYPES), distinct=True),
        class_ii=Count("patent", filter=~Q(patent__patent_type__in=CLASS_I_PATENT_TYPES), distinct=True),
        own=Count("patent", filter=own_rd, distinct=True),
    ):
        result[row["organisation"]] = {"I": row["class_i"], "II": row["class_ii"], "own_rd": row["own"] > 0}
    class_i_kinds = [k for k, c in OTHER_IP_CLASS.items() if c == IPClass.I]
    for row in others.values("organisation").annotate(
        class_i=Count("pk", filter=Q(kind__in=class_i_kinds)),
        class_ii=Count("pk", filter=~Q(kind__in=class_i_kinds)),
        own=Count("pk", filter=Q(acquisition=Acquisition.OWN_RD)),
    ):
        entry = result.setdefault(row["organisation"], {"I": 0, "II": 0, "own_rd": False})
        entry["I"] += row["class_i"]
        entry["II"] += row["class_ii"]
        entry["own_rd"] = entry["own_rd"] or row["own"] > 0
    return result


# --- the lists ---------------------------------------------------------------------------------------------


def patent_list(*, user, action: str = "view", filters: dict | None = None) -> QuerySet:
    qs = restrict(Patent, user, action).select_related("region")
    return patent_filter(qs, filters or {})


def patent_filter(qs: QuerySet, filters: dict) -> QuerySet:
    """The list filters: text, region, category, status on a day, filing and grant years, owner."""
    if text := (filters.get("q") or "").strip():
        digits = text.upper().removeprefix("ZL").removeprefix("CN").replace(".", "")
        owned = PatentOwner.objects.filter(patent=OuterRef("pk"), name__icontains=text)
        qs = qs.filter(Q(number__startswith=digits) | Q(title__icontains=text) | Q(Exists(owned)))
    if region := filters.get("region"):
        qs = qs.filter(region__path__startswith=region.path)
    if category := filters.get("category"):
        qs = qs.filter(patent_type__in=CATEGORY_TYPES[PatentType(category)])
    if filters.get("patent_type"):
        qs = qs.filter(patent_type=filters["patent_type"])
    if filters.get("acquisition"):
        qs = qs.filter(acquisition=filters["acquisition"])
    if year := filters.get("filed_year"):
        qs = qs.filter(application_date__year=year)
    if year := filters.get("granted_year"):
        qs = qs.filter(grant_date__year=year)
    if status := filters.get("status"):
        qs = qs.filter(status_q(status, filters.get("day") or timezone.localdate()))
    if organisation := filters.get("organisation"):
        qs = qs.filter(Exists(PatentOwner.objects.filter(patent=OuterRef("pk"), organisation=organisation)))
    return qs


def status_q(status: str, day: datetime.date) -> Q:
    """valid 有效 · pending 审查中 · ended 已终止, on a day."""
    if status == "valid":
        return valid_q(day)
    if status == "pending":
        return (
            Q(application_date__lte=day)
            & (Q(grant_date__isnull=True) | Q(grant_date__gt=day))
            & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        )
    if status == "ended":
        return Q(ended_on__lte=day)
    return Q()


def patent_get(*, user, pk: int, action: str = "view") -> Patent:
    return restrict(Patent, user, action).select_related("region").get(pk=pk)


def patents_of(queryset: QuerySet, organisation) -> QuerySet:
    """The patents among ``queryset`` that name the organisation as any owner (each once)."""
    owned = PatentOwner.objects.filter(patent=OuterRef("pk"), organisation=organisation)
    return queryset.filter(Exists(owned)).select_related("region")


def other_ip_list(*, user, action: str = "view", filters: dict | None = None) -> QuerySet:
    qs = restrict(OtherIP, user, action).select_related("organisation", "organisation__region")
    return other_ip_filter(qs, filters or {})


def other_ip_filter(qs: QuerySet, filters: dict) -> QuerySet:
    if text := (filters.get("q") or "").strip():
        qs = qs.filter(
            Q(number__icontains=text)
            | Q(title__icontains=text)
            | Q(organisation__name__icontains=text)
            | Q(organisation__uscc__startswith=text.upper())
        )
    if region := filters.get("region"):
        qs = qs.filter(organisation__region__path__startswith=region.path)
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if year := filters.get("year"):
        qs = qs.filter(date__year=year)
    if organisation := filters.get("organisation"):
        qs = qs.filter(organisation=organisation)
    return qs
