"""Reads of the organisation master file, always through restrict()."""

import datetime
from decimal import ROUND_DOWN, Context, Decimal
from fractions import Fraction

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from kechuang.core.access import restrict
from kechuang.core.dates import add_years
from kechuang.core.validators import normalise_uscc

from .choices import HTE_VIOLATIONS, INTEGRITY_LISTS, CertificateKind, OrgKind, OrgStatus, ReviewStatus, RoundStatus
from .models import (
    AnnualFigures,
    Certificate,
    IntegrityRecord,
    MonthlyHeadcount,
    Organisation,
    PoolMembership,
    RDManagementEvidence,
    ReportingRound,
)


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


# --- what the evaluations need: monthly head counts, R&D-management evidence, integrity records ---------------

# 1 / (2 × months) to 40 significant digits, rounded down, for averages that are no finite decimal (thirds, sevenths).
RECIPROCAL_CONTEXT = Context(prec=40, rounding=ROUND_DOWN)
EXACT_CONTEXT = Context(prec=100)  # wide enough that a head-count sum times that reciprocal is exact


def _finite(value: Fraction) -> bool:
    """Whether a fraction can be written as a finite decimal (its denominator has no prime factor but 2 and 5)."""
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def average_pair(staff_sum: int, st_sum: int, months: int) -> tuple[Decimal, Decimal]:
    """The yearly averages of staff and S&T staff from their sums of (start + end) over ``months`` months.

    Both exact when both are finite decimals (a mean over 1, 2, 4, 5, 8 or 10 months, or sums the months divide).
    Otherwise both are the sums times the same 1 / (2 × months), rounded down to 40 significant digits: their ratio is
    still exactly the ratio of the sums, which is what the S&T-staff conditions compare with their bounds, and a
    rounded-down average never crosses an upper bound on staff (a mean is a multiple of 1 / 24, so 10⁻⁴⁰ less moves
    it past no whole number it did not already lie below)."""
    halves = 2 * months
    staff, st = Fraction(staff_sum, halves), Fraction(st_sum, halves)
    if _finite(staff) and _finite(st):
        return (EXACT_CONTEXT.divide(Decimal(staff_sum), Decimal(halves)),
                EXACT_CONTEXT.divide(Decimal(st_sum), Decimal(halves)))  # fmt: skip
    share = RECIPROCAL_CONTEXT.divide(Decimal(1), Decimal(halves))
    return tuple(
        EXACT_CONTEXT.multiply(Decimal(total), share) if total else Decimal(0) for total in (staff_sum, st_sum)
    )


def headcounts_for(*, user, organisation: Organisation, year: int | None = None) -> QuerySet:
    qs = restrict(MonthlyHeadcount, user).filter(organisation=organisation)
    return qs.filter(year=year) if year is not None else qs


def rd_evidence_for(*, user, organisation: Organisation) -> QuerySet:
    return restrict(RDManagementEvidence, user).filter(organisation=organisation)


def integrity_records_for(*, user, organisation: Organisation) -> QuerySet:
    return restrict(IntegrityRecord, user).filter(organisation=organisation)


def operating_months(registration_date: datetime.date | None, year: int) -> range:
    """The months of ``year`` the organisation operated (§1.3: a firm registered during the year averages over its
    actual operating period, from the month of its registration); empty for a firm registered after the year."""
    if registration_date is None or registration_date.year < year:
        return range(1, 13)
    if registration_date.year > year:
        return range(0)
    return range(registration_date.month, 13)


def headcount_averages(*, organisations, year: int) -> dict[int, tuple[Decimal, Decimal]]:
    """The yearly averages of staff and of S&T staff (§1.3) of the given organisations (a queryset of organisations
    or of their ids), from their confirmed monthly head counts: month average = (start + end) / 2, year average =
    the sum of the month averages / the number of operating months (12, or from the month of registration for a
    firm registered during the year). Only organisations with every operating month recorded have averages; one
    aggregate query whatever their number."""
    first = Case(
        When(organisation__registration_date__year=year, then=ExtractMonth("organisation__registration_date")),
        When(organisation__registration_date__year__gt=year, then=Value(13)),
        default=Value(1),
        output_field=IntegerField(),
    )
    rows = (
        MonthlyHeadcount.objects.confirmed()
        .filter(year=year, organisation__in=organisations)
        .annotate(first=first)
        .filter(month__gte=F("first"))
        .values("organisation_id", "first")
        .annotate(
            n=Count("pk"),
            staff=Sum(F("staff_start") + F("staff_end")),
            st=Sum(F("st_start") + F("st_end")),
        )
        .order_by()
    )
    averages = {}
    for row in rows:
        months = 13 - row["first"]
        if row["n"] == months:  # one row per month (unique): every operating month is there
            averages[row["organisation_id"]] = average_pair(row["staff"], row["st"], months)
    return averages


def rd_management_flags(*, organisations, year: int) -> dict[int, set[int]]:
    """The R&D-management sub-items (1–4) with confirmed evidence for fiscal year ``year``, by organisation."""
    flags: dict[int, set[int]] = {}
    rows = (
        RDManagementEvidence.objects.confirmed()
        .filter(year=year, organisation__in=organisations)
        .values_list("organisation_id", "item")
        .distinct()
    )
    for pk, item in rows:
        flags.setdefault(pk, set()).add(item)
    return flags


def hte_violators(*, organisations, application_date: datetime.date) -> set[int]:
    """Organisations with a major safety or quality accident or a serious environmental violation within the 365
    days before the application date (§1.2 condition 8: from 365 days before it to the day before it)."""
    since = application_date - datetime.timedelta(days=365)
    return set(
        IntegrityRecord.objects.filter(
            organisation__in=organisations, kind__in=HTE_VIOLATIONS, date__gte=since, date__lt=application_date
        ).values_list("organisation_id", flat=True)
    )


def tsme_violators(*, organisations, year: int, today: datetime.date | None = None) -> set[int]:
    """Organisations with a record against the tech-SME condition 4 (§2.2) for fiscal year ``year``: any record dated
    in that year or the next (up to today), or a listing (经营异常名录, 严重违法失信名单) made by then and not
    removed by then."""
    today = today or timezone.localdate()
    end = min(datetime.date(year + 1, 12, 31), today)
    dated = Q(date__gte=datetime.date(year, 1, 1), date__lte=end)
    listed = Q(kind__in=INTEGRITY_LISTS, date__lte=end) & (Q(until__isnull=True) | Q(until__gt=end))
    return set(
        IntegrityRecord.objects.filter(dated | listed, organisation__in=organisations).values_list(
            "organisation_id", flat=True
        )
    )


def headcount_average_of(*, user, organisation: Organisation, year: int) -> dict:
    """One organisation's yearly averages with the months they need and those still missing (not entered or not
    confirmed): what the master file and the API show."""
    months = list(operating_months(organisation.registration_date, year))
    present = set(
        headcounts_for(user=user, organisation=organisation, year=year).confirmed().values_list("month", flat=True)
    )
    staff, st = headcount_averages(organisations=[organisation.pk], year=year).get(organisation.pk, (None, None))
    return {
        "year": year,
        "months": months,
        "missing": [m for m in months if m not in present],
        "staff_average": staff,
        "st_average": st,
    }
