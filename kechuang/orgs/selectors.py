"""Reads of the organisation master file, always through restrict()."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from kechuang.core.access import restrict
from kechuang.core.dates import add_years
from kechuang.core.validators import normalise_uscc

from .choices import CertificateKind, OrgKind, OrgStatus, ReviewStatus, RoundStatus
from .models import AnnualFigures, Certificate, Organisation, PoolMembership, ReportingRound


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


# --- approved figures: what evaluations and indicators count ------------------------------------------------


def approved_figures(*, user=None, action: str = "view") -> QuerySet:
    """Yearly figures the bureau has approved (已审核), within the user's scope (without a user: all of them, for
    commands and facts computed by the system). Every consumer that sums or evaluates figures starts here."""
    qs = restrict(AnnualFigures, user, action) if user is not None else AnnualFigures.objects.all()
    return qs.approved()


# --- the yearly reporting round (年报填报) ---------------------------------------------------------------------

REPORTED = (ReviewStatus.SUBMITTED, ReviewStatus.RETURNED, ReviewStatus.APPROVED)


def round_list(*, user, action: str = "view") -> QuerySet:
    return restrict(ReportingRound, user, action).select_related("region", "opened_by")


def round_get(*, user, pk: int, action: str = "view") -> ReportingRound:
    return round_list(user=user, action=action).get(pk=pk)


def round_population(reporting_round: ReportingRound) -> QuerySet:
    """The organisations a round asks: every active enterprise (存续企业) in the round's region subtree."""
    return Organisation.objects.filter(
        kind=OrgKind.ENTERPRISE, status=OrgStatus.ACTIVE, region__path__startswith=reporting_round.region.path
    )


def _figures_of_year(reporting_round: ReportingRound, statuses) -> QuerySet:
    return AnnualFigures.objects.filter(
        organisation=OuterRef("pk"), year=reporting_round.year, review_status__in=statuses
    )


def round_reported(*, user, reporting_round: ReportingRound, action: str = "view", status: str = "") -> QuerySet:
    """The figures handed in for the round (submitted, returned or approved) that the user may see."""
    population = round_population(reporting_round)
    qs = restrict(AnnualFigures, user, action).filter(
        year=reporting_round.year, review_status__in=REPORTED, organisation__in=population
    )
    if status:
        qs = qs.filter(review_status=status)
    return qs.select_related("organisation", "organisation__region", "reviewer").order_by(
        "organisation__region__code", "organisation__name"
    )


def round_missing(*, user, reporting_round: ReportingRound, action: str = "view") -> QuerySet:
    """The enterprises of the round that have not reported (no figures for the year, or only a draft), one query;
    ``has_draft`` tells the two apart."""
    population = restrict(Organisation, user, action) & round_population(reporting_round)
    return (
        population.filter(~Exists(_figures_of_year(reporting_round, REPORTED)))
        .annotate(has_draft=Exists(_figures_of_year(reporting_round, (ReviewStatus.DRAFT,))))
        .select_related("region")
        .order_by("region__code", "name")
    )


def round_unsubmitted(reporting_round: ReportingRound) -> QuerySet:
    """The enterprises a reminder goes to: nothing submitted or approved for the year (none, a draft, or returned)."""
    done = (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED)
    return round_population(reporting_round).filter(~Exists(_figures_of_year(reporting_round, done)))


def round_counts(*, user, reporting_round: ReportingRound) -> dict[str, int]:
    """How many enterprises of the round the user sees in each state, and how many have not reported."""
    by_status = dict(
        round_reported(user=user, reporting_round=reporting_round)
        .order_by()
        .values_list("review_status")
        .annotate(n=Count("id"))
    )
    counts = {status: by_status.get(status, 0) for status in REPORTED}
    counts["reported"] = sum(counts.values())
    counts["missing"] = round_missing(user=user, reporting_round=reporting_round).count()
    counts["population"] = counts["reported"] + counts["missing"]
    return counts


def rounds_for_organisation(*, user, organisation: Organisation, day: datetime.date | None = None) -> list[dict]:
    """The open rounds that cover an organisation (its region or one above it), each with its figures for the
    round's year (or None): what the organisation page shows its users."""
    day = day or timezone.localdate()
    codes = [code for code in organisation.region.path.strip("/").split("/") if code]
    rounds = list(
        restrict(ReportingRound, user)
        .filter(region__code__in=codes, status=RoundStatus.OPEN, opens_on__lte=day)
        .select_related("region")
    )
    figures = {
        f.year: f
        for f in restrict(AnnualFigures, user).filter(organisation=organisation, year__in=[r.year for r in rounds])
    }
    return [{"round": r, "figures": figures.get(r.year)} for r in rounds]
