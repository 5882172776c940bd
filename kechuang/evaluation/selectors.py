"""The inputs of the national evaluations read from the master file, as columns over every organisation in scope:
a handful of set-based queries, whatever the number of organisations (the screening of issue #5 item 5 and the
benchmark of item 9).

Derived from the master file: a resident enterprise is an organisation of kind enterprise (registered in mainland
China with its credit code); an excluded industry is a GB/T 4754 division of the rule set's negative list; a
provincial R&D institution is an engineering technology research centre, enterprise technology centre, key laboratory
or new-type R&D institute of national or 自治区 level the organisation hosts, recognised and not revoked.

- Staff and S&T staff: the yearly averages of the confirmed monthly head counts (§1.3, ``orgs.selectors.
  headcount_averages``) when every operating month of the fiscal year is there; otherwise the yearly figures'
  ``staff_total`` and ``st_staff`` (None where those are empty too, so the evaluation names them as missing).
- Tax assessed on the books (tsme ``audit_taxation``): the approved yearly figures' 查账征收, None while not stated.
- R&D management (hte ``rd_management_1..4``): True when confirmed evidence of the sub-item is recorded for the
  fiscal year, else False.
- Violations, from the integrity records (违法失信记录, entered by the bureau): hte ``violation_last_year`` is True
  when a major safety or quality accident or a serious environmental violation is dated within the 365 days before
  the application date (1 January of ``year + 1``), else False; tsme ``violation`` is True when any record is dated in
  the fiscal year or the next (up to today), or a listing (经营异常名录, 严重违法失信名单) made by then has not been
  removed by then, else False. The master file cannot prove a negative: an organisation without records is taken to
  have none, which is what the bureau's check of the declaration comes to."""

import datetime

from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce

from kechuang.achievements.choices import AwardLevel, ParticipantKind
from kechuang.achievements.models import Award, AwardParticipant, Conversion
from kechuang.carriers.choices import CarrierKind
from kechuang.carriers.models import Carrier
from kechuang.core.access import restrict
from kechuang.ip.choices import OtherIPKind, StandardLevel, StandardRole
from kechuang.ip.models import OtherIP
from kechuang.ip.selectors import ip_counts_by_organisation
from kechuang.orgs.choices import OrgKind, RecognitionLevel
from kechuang.orgs.models import Certificate
from kechuang.orgs.selectors import (
    approved_figures,
    headcount_averages,
    hte_valid_q,
    hte_violators,
    rd_management_flags,
    tsme_violators,
)

from .hte import RD_FLAGS, SLOTS, YEAR_FIELDS
from .models import EvaluationResult
from .rules import ruleset
from .tsme import FLAGS

RD_INSTITUTIONS = (CarrierKind.ETRC, CarrierKind.ETC, CarrierKind.KEY_LAB, CarrierKind.NEW_RD)
PROVINCIAL_OR_ABOVE = (RecognitionLevel.NATIONAL, RecognitionLevel.REGION)

NATIONAL_OR_INDUSTRY = (StandardLevel.INTERNATIONAL, StandardLevel.NATIONAL, StandardLevel.INDUSTRY)


def tsme_columns(*, user, year: int, organisations=None) -> dict[str, list]:
    """The tech-SME inputs of every organisation in scope (or of ``organisations`` among them) with approved figures
    for ``year`` (the fiscal year an evaluation in ``year + 1`` uses), in organisation order; IP and certificates as
    in force on 31 December."""
    day = datetime.date(year, 12, 31)
    figures = _figures(user, organisations).filter(year=year)
    names = ("organisation_id", "organisation__uscc", "organisation__name", "organisation__kind",
             "organisation__industry__code", "audit_taxation", "staff_total", "st_staff", "sales_revenue",
             "total_assets", "rd_expense", "total_costs")  # fmt: skip
    rows = figures.order_by("organisation_id").values_list(*names)
    ids, uscc, name, kinds, industries, audit_taxation, *numbers = _columns(rows, len(names))
    columns = {"organisation_id": ids, "uscc": uscc, "name": name}
    columns |= dict(zip(("staff_total", "st_staff", "sales_revenue", "total_assets", "rd_expense", "total_costs"),
                        numbers, strict=True))  # fmt: skip
    owners = figures.values("organisation_id")
    _staff_from_months(columns, owners, year)
    ip = ip_counts_by_organisation(day=day, organisations=owners)
    columns["class1_ip"] = [ip.get(pk, {}).get("I", 0) for pk in ids]
    columns["class2_ip"] = [ip.get(pk, {}).get("II", 0) for pk in ids]
    holders = _holders(Certificate.objects.filter(hte_valid_q(day), organisation__in=owners))
    since = _years_before(day, 5)
    led = _holders(
        _standards(owners).filter(
            standard_role=StandardRole.LEAD, standard_level__in=NATIONAL_OR_INDUSTRY, date__gt=since, date__lte=day
        )
    )
    national = Award.objects.filter(level=AwardLevel.NATIONAL, year__gt=year - 5, year__lte=year)
    awarded = _holders(national.filter(organisation__in=owners)) | _holders(
        AwardParticipant.objects.filter(
            award__in=national, kind=ParticipantKind.UNIT, position__lte=3, organisation__in=owners
        )
    )
    institutions = _holders(
        Carrier.objects.filter(kind__in=RD_INSTITUTIONS, level__in=PROVINCIAL_OR_ABOVE, host__in=owners,
                               recognised_date__lte=day).exclude(revoked_date__lte=day),
        field="host_id",
    )  # fmt: skip
    excluded = set(ruleset("tsme").conditions("excluded_divisions"))
    columns |= {flag: [None] * len(ids) for flag in FLAGS}
    columns["audit_taxation"] = audit_taxation
    violators = tsme_violators(organisations=owners, year=year)
    columns["violation"] = [pk in violators for pk in ids]
    columns["resident"] = [kind == OrgKind.ENTERPRISE for kind in kinds]
    columns["excluded_industry"] = [None if code is None else code in excluded for code in industries]
    columns["provincial_rd_institution"] = [pk in institutions for pk in ids]
    columns["hte_valid"] = [pk in holders for pk in ids]
    columns["national_award_top3_5y"] = [pk in awarded for pk in ids]
    columns["led_standard_5y"] = [pk in led for pk in ids]
    return columns


def hte_columns(*, user, year: int, organisations=None) -> dict[str, list]:
    """The high-tech-enterprise inputs, as ``hte.columns_of`` arranges them, of every organisation in scope with
    approved figures for ``year``: the fiscal years ``year − 2`` to ``year`` (the actual ones for a younger firm, oldest
    first), staff and high-tech revenue of ``year``, IP in force on 31 December, conversions of the three years,
    standards drafted; evaluated as at 1 January of ``year + 1``."""
    day, first = datetime.date(year, 12, 31), year - 2
    figures = _figures(user, organisations).filter(year__range=(first, year))
    latest = figures.filter(year=year)
    by_year = {f"{name}@{y}": Max(name, filter=Q(year=y)) for name in YEAR_FIELDS for y in range(first, year + 1)}
    present = {f"has@{y}": Count("pk", filter=Q(year=y)) for y in range(first, year + 1)}
    pivot = (
        figures.filter(organisation__in=latest.values("organisation_id"))
        .values(
            "organisation_id",
            "organisation__uscc",
            "organisation__name",
            "organisation__registration_date",
            "organisation__hitech_domain",
        )
        .annotate(
            **by_year,
            **present,
            staff=Max("staff_total", filter=Q(year=year)),
            st=Max("st_staff", filter=Q(year=year)),
            hitech=Max("hitech_revenue", filter=Q(year=year)),
        )
        .order_by("organisation_id")
    )
    owners = latest.values("organisation_id")
    ip = ip_counts_by_organisation(day=day, organisations=owners)
    # The implementing unit, or else the achievement's first completing unit; one achievement (or one unregistered
    # subject) converted in several forms or years counts once (195号).
    implementer = Coalesce("organisation_id", "achievement__organisation_id")
    conversions = dict(
        Conversion.objects.filter(year__range=(first, year))
        .annotate(unit=implementer)
        .filter(unit__in=owners)
        .values("unit")
        .annotate(n=Count("achievement", distinct=True) + Count("subject", distinct=True,
                                                                 filter=Q(achievement__isnull=True)))
        .values_list("unit", "n")
    )  # fmt: skip
    drafted = _holders(_standards(owners).filter(standard_level__in=NATIONAL_OR_INDUSTRY, date__lte=day))
    scalars = ("uscc", "name", "registration_date", "domain", "staff_total", "st_staff", "hitech_revenue_last_year",
               "class1_ip", "class2_ip", "own_rd_ip", "conversions_3y", "standards_drafted")  # fmt: skip
    columns: dict[str, list] = {name: [] for name in ("organisation_id", *scalars, "years")}
    for name in ("year", *YEAR_FIELDS):
        for slot in SLOTS:
            columns[f"{name}_{slot}"] = []
    for row in pivot:  # one pass to place each firm's years in the slots, oldest first
        pk = row["organisation_id"]
        columns["organisation_id"].append(pk)
        held = ip.get(pk, {})
        values = (row["organisation__uscc"], row["organisation__name"], row["organisation__registration_date"],
                  row["organisation__hitech_domain"], row["staff"], row["st"], row["hitech"], held.get("I", 0),
                  held.get("II", 0), held.get("own_rd", False), conversions.get(pk, 0), pk in drafted)  # fmt: skip
        for name, value in zip(scalars, values, strict=True):
            columns[name].append(value)
        years = []  # the consecutive run of years ending with ``year``: growth compares neighbouring years
        for y in range(year, first - 1, -1):
            if not row[f"has@{y}"]:
                break
            years.insert(0, y)
        columns["years"].append(len(years))
        for slot in SLOTS:
            y = years[slot - 1] if slot <= len(years) else None
            columns[f"year_{slot}"].append(y)
            for name in YEAR_FIELDS:
                columns[f"{name}_{slot}"].append(row[f"{name}@{y}"] if y is not None else None)
    size, ids = len(columns["uscc"]), columns["organisation_id"]
    application = datetime.date(year + 1, 1, 1)
    columns["application_date"] = [application] * size
    _staff_from_months(columns, owners, year)
    violators = hte_violators(organisations=owners, application_date=application)
    columns["violation_last_year"] = [pk in violators for pk in ids]
    evidence = rd_management_flags(organisations=owners, year=year)
    for k in range(RD_FLAGS):
        columns[f"rd_management_{k + 1}"] = [k + 1 in evidence.get(pk, ()) for pk in ids]
    columns["expert_scores"] = [{}] * size
    return columns


def results(*, user, kind: str, year: int):
    """The current stored results of a kind and fiscal year in the user's scope, by organisation."""
    return (
        restrict(EvaluationResult, user)
        .filter(kind=kind, year=year, current=True)
        .select_related("organisation", "ruleset")
        .order_by("organisation_id")
    )


def _staff_from_months(columns: dict[str, list], owners, year: int) -> None:
    """Staff and S&T staff as the yearly averages of the monthly head counts where every operating month is there
    (one query); the yearly figures' counts stay for the others."""
    averages = headcount_averages(organisations=owners, year=year)
    if not averages:
        return
    for row, pk in enumerate(columns["organisation_id"]):
        if pk in averages:
            columns["staff_total"][row], columns["st_staff"][row] = averages[pk]


def _figures(user, organisations):
    """Approved figures within the user's scope, of some organisations only if they are given."""
    figures = approved_figures(user=user)
    return figures if organisations is None else figures.filter(organisation__in=organisations)


def _columns(rows, width: int) -> list[list]:
    found = [list(column) for column in zip(*rows, strict=True)]
    return found or [[] for _ in range(width)]


def _holders(queryset, field: str = "organisation_id") -> set[int]:
    return set(queryset.values_list(field, flat=True))


def _standards(owners):
    return OtherIP.objects.filter(kind=OtherIPKind.STANDARD, organisation__in=owners)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year - years)
