"""Reads of the innovation carriers registry, always through restrict() (``user=None`` is the system: everything).

The plan-monitoring selectors return querysets of the records behind a figure, so every count can be drilled
down to its carriers or tenants; the counting functions aggregate those same querysets in one query each.
"""

import datetime

from django.db.models import Count, Q, QuerySet

from kechuang.core.access import restrict
from kechuang.core.validators import normalise_uscc

from .choices import INNOVATION_PLATFORMS, TENANT_CARRIERS
from .models import Carrier, Tenant, carrier_in_region_q, carrier_valid_q, tenant_in_residence_q

__all__ = [
    "carrier_counts",
    "carrier_filter",
    "carrier_get",
    "carrier_list",
    "carriers_valid",
    "carriers_valid_at_year_end",
    "innovation_platforms",
    "tenant_choices",
    "tenant_filter",
    "tenant_list",
    "tenants_entered",
    "tenants_in_residence",
    "year_end",
]


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def _scoped(model, user, action: str = "view") -> QuerySet:
    return restrict(model, user, action) if user is not None else model._default_manager.all()


# --- lists ---------------------------------------------------------------------------------------------------


def carrier_list(*, user, action: str = "view", filters: dict | None = None) -> QuerySet:
    qs = _scoped(Carrier, user, action).select_related("host", "host__region", "region")
    return carrier_filter(qs, filters or {})


def carrier_filter(qs: QuerySet, filters: dict) -> QuerySet:
    """The list filters: text (name, host name or credit code), type, level, region subtree, valid at a year end."""
    if text := (filters.get("q") or "").strip():
        qs = qs.filter(
            Q(name__icontains=text) | Q(host__name__icontains=text) | Q(host__uscc__startswith=normalise_uscc(text))
        )
    for name in ("kind", "level", "demonstration"):
        if filters.get(name) not in (None, ""):
            qs = qs.filter(**{name: filters[name]})
    if region := filters.get("region"):
        qs = qs.filter(carrier_in_region_q(region.path))
    if host := filters.get("host"):
        qs = qs.filter(host=host)
    if year := filters.get("year"):
        qs = qs.filter(carrier_valid_q(year_end(year)))
    return qs


def carrier_get(*, user, pk: int, action: str = "view") -> Carrier:
    return _scoped(Carrier, user, action).select_related("host", "host__region", "region").get(pk=pk)


def tenant_list(*, user, action: str = "view", filters: dict | None = None) -> QuerySet:
    qs = _scoped(Tenant, user, action).select_related(
        "carrier", "carrier__host", "carrier__host__region", "carrier__region", "organisation"
    )
    return tenant_filter(qs, filters or {})


def tenant_filter(qs: QuerySet, filters: dict) -> QuerySet:
    """Text (tenant or carrier name, credit code), carrier, carrier region, in residence at a year end, graduated."""
    if text := (filters.get("q") or "").strip():
        qs = qs.filter(
            Q(team_name__icontains=text)
            | Q(organisation__name__icontains=text)
            | Q(organisation__uscc__startswith=normalise_uscc(text))
            | Q(carrier__name__icontains=text)
        )
    if carrier := filters.get("carrier"):
        qs = qs.filter(carrier=carrier)
    if region := filters.get("region"):
        qs = qs.filter(carrier_in_region_q(region.path, prefix="carrier__"))
    if year := filters.get("year"):
        qs = qs.filter(tenant_in_residence_q(year_end(year)))
    if filters.get("graduated") not in (None, ""):
        qs = qs.filter(graduated=filters["graduated"])
    return qs


def tenant_choices(*, user) -> QuerySet:
    """The incubators and maker spaces a user may add tenants to."""
    return _scoped(Carrier, user, "view").filter(kind__in=TENANT_CARRIERS).select_related("host")


# --- plan monitoring (set-based; each figure's records can be listed) ------------------------------------------


def carriers_valid(*, user=None, day: datetime.date, region=None, kinds=None, level: str | None = None) -> QuerySet:
    """Carriers recognised on or before ``day`` and not revoked by it, in a region subtree, of some types/level."""
    qs = _scoped(Carrier, user).filter(carrier_valid_q(day))
    if region is not None:
        qs = qs.filter(carrier_in_region_q(region.path))
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    if level:
        qs = qs.filter(level=level)
    return qs


def carriers_valid_at_year_end(*, user=None, year: int, region=None, kinds=None, level: str | None = None) -> QuerySet:
    """Carriers of type T (and level L) valid at the end of year Y in region R: the plans' "载体数"."""
    return carriers_valid(user=user, day=year_end(year), region=region, kinds=kinds, level=level)


def innovation_platforms(*, user=None, year: int, region=None) -> QuerySet:
    """专栏1 "各类创新平台": research centres, laboratories, R&D institutes, incubators and maker spaces."""
    return carriers_valid_at_year_end(user=user, year=year, region=region, kinds=INNOVATION_PLATFORMS)


def carrier_counts(*, user=None, year: int, region=None) -> dict[tuple[str, str], int]:
    """Carriers valid at the year end by (type, level), in one grouped query."""
    rows = (
        carriers_valid_at_year_end(user=user, year=year, region=region)
        .order_by()
        .values("kind", "level")
        .annotate(n=Count("pk"))
    )
    return {(row["kind"], row["level"]): row["n"] for row in rows}


def tenants_in_residence(*, user=None, day: datetime.date, region=None, kinds=None) -> QuerySet:
    """Tenants in residence on ``day`` at the incubators and maker spaces of a region subtree."""
    qs = _scoped(Tenant, user).filter(tenant_in_residence_q(day))
    if region is not None:
        qs = qs.filter(carrier_in_region_q(region.path, prefix="carrier__"))
    if kinds is not None:
        qs = qs.filter(carrier__kind__in=list(kinds))
    return qs


def tenants_entered(*, user=None, first_year: int, last_year: int, region=None, kinds=None) -> QuerySet:
    """Tenants that entered in the years first_year..last_year (新增入驻企业), in a region subtree."""
    qs = _scoped(Tenant, user).filter(entry_date__year__gte=first_year, entry_date__year__lte=last_year)
    if region is not None:
        qs = qs.filter(carrier_in_region_q(region.path, prefix="carrier__"))
    if kinds is not None:
        qs = qs.filter(carrier__kind__in=list(kinds))
    return qs
