"""Reads of the annual screening, always through restrict(): runs and candidates, the pools' current members and
their trajectories year over year, and the high-tech certificates about to expire."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, Max, Q, QuerySet, Value, When
from django.utils import timezone

from kechuang.core.access import restrict
from kechuang.core.dates import add_years
from kechuang.evaluation.models import EvaluationResult
from kechuang.ip.selectors import ip_counts_by_organisation
from kechuang.orgs.choices import CertificateKind
from kechuang.orgs.models import Certificate, Pool, PoolMembership
from kechuang.orgs.selectors import approved_figures

from .choices import Decision, Proposal
from .models import Candidate, ScreeningRun
from .rules import criteria

TRAJECTORY_YEARS = 5


def screened_pools() -> QuerySet:
    """The pools that have screening criteria, in the file's order of codes."""
    codes = list(criteria()["pools"])
    order = Case(*[When(code=code, then=Value(i)) for i, code in enumerate(codes)])
    return Pool.objects.filter(code__in=codes).order_by(order)


def run_list(*, user, action: str = "view") -> QuerySet:
    """Runs in scope with their candidates counted by proposal (``n_entry`` …) and still pending (``n_pending``):
    a run's candidates all lie in its region, so counting them needs no scope of its own."""
    counted = {f"n_{p}": Count("candidates", filter=Q(candidates__proposal=p)) for p in Proposal.values}
    counted["n_pending"] = Count("candidates", filter=Q(candidates__decision=Decision.PENDING))
    return (
        restrict(ScreeningRun, user, action)
        .select_related("pool", "region", "run_by")
        .annotate(**counted)
        .order_by("-run_at", "-pk")
    )


def run_get(*, user, pk: int, action: str = "view") -> ScreeningRun:
    return run_list(user=user, action=action).get(pk=pk)


def candidate_list(*, user, run: ScreeningRun, action: str = "view", proposal: str = "", decision: str = ""):
    qs = restrict(Candidate, user, action).filter(run=run)
    if proposal:
        qs = qs.filter(proposal=proposal)
    if decision:
        qs = qs.filter(decision=decision)
    return qs.select_related("organisation", "organisation__region", "decided_by", "run", "run__pool").order_by(
        "proposal", "rank", "organisation__name"
    )


def current_members(*, user, pool: Pool, year: int, region=None) -> QuerySet:
    """Memberships of ``pool`` in force in ``year`` (entered by then, not exited by then) in the user's scope."""
    qs = restrict(PoolMembership, user) if user is not None else PoolMembership.objects.all()
    qs = qs.filter(pool=pool, entry_year__lte=year).filter(Q(exit_year__isnull=True) | Q(exit_year__gt=year))
    if region is not None:
        qs = qs.filter(organisation__region__path__startswith=region.path)
    return qs.select_related("organisation", "organisation__region", "pool")


# --- trajectories (成长轨迹) -----------------------------------------------------------------------------------


@dataclass
class Point:
    """One organisation's key figures of one year."""

    year: int
    revenue: Decimal | None = None
    rd_expense: Decimal | None = None
    rd_ratio: Decimal | None = None
    st_staff: int | None = None
    staff_total: int | None = None
    class1_ip: int = 0
    class2_ip: int = 0
    verdicts: dict = field(default_factory=dict)  # evaluation kind → stored verdict

    @property
    def has_figures(self) -> bool:
        return self.revenue is not None or self.staff_total is not None


def trajectories(*, user, organisations: list[int], years: list[int]) -> dict[int, list[Point]]:
    """For each organisation, one point per year (oldest first): its approved figures, the IP in force on
    31 December, and the verdicts of the evaluations stored for that year. One query for the figures, one pair per
    year for the IP, one for the verdicts — whatever the number of organisations."""
    points = {pk: {y: Point(year=y) for y in years} for pk in organisations}
    rows = (
        approved_figures(user=user)
        .filter(organisation__in=organisations, year__in=years)
        .values_list("organisation_id", "year", "sales_revenue", "rd_expense", "st_staff", "staff_total")
    )
    for pk, year, revenue, rd, st, staff in rows:
        point = points[pk][year]
        point.revenue, point.rd_expense, point.st_staff, point.staff_total = revenue, rd, st, staff
        if rd is not None and revenue:
            point.rd_ratio = (rd / revenue).quantize(Decimal("0.0001"))
    for year in years:
        for pk, held in ip_counts_by_organisation(day=datetime.date(year, 12, 31), organisations=organisations).items():
            if pk in points:
                points[pk][year].class1_ip, points[pk][year].class2_ip = held["I"], held["II"]
    results = restrict(EvaluationResult, user) if user is not None else EvaluationResult.objects.all()
    for pk, year, kind, verdict in results.filter(
        organisation__in=organisations, year__in=years, current=True
    ).values_list("organisation_id", "year", "kind", "verdict"):
        points[pk][year].verdicts[kind] = verdict
    return {pk: [by_year[y] for y in years] for pk, by_year in points.items()}


def latest_year(*, user, organisations) -> int:
    """The last year with approved figures of these organisations (last year when there are none): where a
    trajectory ends by default."""
    found = approved_figures(user=user).filter(organisation__in=organisations).aggregate(last=Max("year"))["last"]
    return found or timezone.localdate().year - 1


def trajectory_years(last: int, count: int = TRAJECTORY_YEARS) -> list[int]:
    return list(range(last - count + 1, last + 1))


# --- expiring high-tech certificates (到期提醒) -----------------------------------------------------------------


def expiring_certificates(*, user, day: datetime.date | None = None) -> QuerySet:
    """High-tech certificates in scope, valid on ``day`` (default today), whose validity ends within the next 12
    months (by the day before the same date a year on): their holders must apply for recognition again (重新认定).
    A holder that already has a certificate valid beyond that is left out (it has been recognised again)."""
    day = day or timezone.localdate()
    last = expiry_limit(day)
    renewed = Certificate.objects.filter(kind=CertificateKind.HTE, revoked_date__isnull=True).filter(
        valid_until__gt=last
    )
    qs = restrict(Certificate, user) if user is not None else Certificate.objects.all()
    return (
        qs.filter(kind=CertificateKind.HTE, issue_date__lte=day, valid_until__gte=day, valid_until__lte=last)
        .filter(Q(revoked_date__isnull=True) | Q(revoked_date__gt=day))
        .exclude(organisation__in=renewed.values("organisation"))
        .select_related("organisation", "organisation__region")
        .order_by("valid_until", "organisation__name")
    )


def expiry_limit(day: datetime.date) -> datetime.date:
    """The last day of the 12 months from ``day``."""
    return add_years(day, 1) - datetime.timedelta(days=1)
