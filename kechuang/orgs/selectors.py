"""Reads of the organisation master file, always through restrict()."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from kechuang.core.access import restrict
from kechuang.core.dates import add_years
from kechuang.core.validators import normalise_uscc

from .choices import CertificateKind
from .models import AnnualFigures, Certificate, Organisation, PoolMembership


def hte_valid_q(day: datetime.date, prefix: str = "") -> Q:
    """High-tech certificates (or, with a prefix, their holders) valid on a day: issued by it, not yet expired."""
    q = Q(**{f"{prefix}kind": CertificateKind.HTE, f"{prefix}issue_date__lte": day, f"{prefix}valid_until__gte": day})
    return q & (Q(**{f"{prefix}revoked_date__isnull": True}) | Q(**{f"{prefix}revoked_date__gt": day}))


def organisation_search(queryset: QuerySet, text: str) -> QuerySet:
    """Match name, former name, credit code or pinyin initials."""
    text = text.strip()
    if not text:
        return queryset
    code = normalise_uscc(text)
    return queryset.filter(
        Q(name__icontains=text)
        | Q(former_names__icontains=text)
        | Q(uscc__startswith=code)
        | Q(name_initials__startswith=text.lower())
    )


def organisation_list(*, user, action: str = "view", filters: dict | None = None) -> QuerySet:
    qs = restrict(Organisation, user, action).select_related("region", "industry")
    return organisation_filter(qs, filters or {})


def organisation_filter(qs: QuerySet, filters: dict) -> QuerySet:
    """Apply the list filters (search, region, kind, industry, domain, pool, certificate status …)."""
    if q := filters.get("q"):
        qs = organisation_search(qs, q)
    if region := filters.get("region"):
        qs = qs.filter(region__path__startswith=region.path)
    for name in ("kind", "status", "hitech_domain", "above_scale"):
        if filters.get(name) not in (None, ""):
            qs = qs.filter(**{name: filters[name]})
    if industry := filters.get("industry"):
        qs = qs.filter(Q(industry=industry) | Q(industry__section=industry))
    if pool := filters.get("pool"):
        qs = qs.filter(pool_memberships__pool=pool, pool_memberships__exit_year__isnull=True).distinct()
    if cert := filters.get("certificate"):
        qs = qs.filter(certificate_filter(cert))
    return qs


def certificate_filter(status: str, day: datetime.date | None = None) -> Q:
    """Filter organisations by certificate status: hte_valid, hte_expiring (within 12 months), hte_none, tsme."""
    day = day or timezone.localdate()
    valid = Certificate.objects.filter(hte_valid_q(day), organisation=OuterRef("pk"))
    if status == "hte_valid":
        return Q(Exists(valid))
    if status == "hte_none":
        return ~Q(Exists(valid))
    if status == "hte_expiring":
        soon = add_years(day, 1)
        still_valid_then = Certificate.objects.filter(hte_valid_q(soon), organisation=OuterRef("pk"))
        return Q(Exists(valid)) & ~Q(Exists(still_valid_then))
    if status == "tsme":
        return Q(
            Exists(Certificate.objects.filter(kind=CertificateKind.TSME, year=day.year, organisation=OuterRef("pk")))
        )
    return Q()


def organisation_get(*, user, pk: int, action: str = "view") -> Organisation:
    return restrict(Organisation, user, action).select_related("region", "industry", "industry__section").get(pk=pk)


def figures_for(*, user, organisation: Organisation) -> QuerySet:
    return restrict(AnnualFigures, user).filter(organisation=organisation).order_by("-year")


def certificates_for(*, user, organisation: Organisation) -> QuerySet:
    return restrict(Certificate, user).filter(organisation=organisation).order_by("-year")


def memberships_for(*, user, organisation: Organisation) -> QuerySet:
    return restrict(PoolMembership, user).filter(organisation=organisation).select_related("pool")


def hte_holders(*, user, day: datetime.date) -> QuerySet:
    """Organisations in scope holding a valid high-tech certificate on a day."""
    return restrict(Organisation, user).filter(
        Exists(Certificate.objects.filter(hte_valid_q(day), organisation=OuterRef("pk")))
    )
