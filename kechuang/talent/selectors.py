"""Reads of the talent registry, always through restrict(), and the figures plan monitoring counts.

The figure selectors are set-based (one SQL query each, whatever the number of people) and each has a
twin returning the records behind the number, so a figure can be drilled down to the people or visits.
Pass ``user`` to count what that user may see, and ``region`` to count a region subtree; without a user the
selectors read every record (the system: commands, the demo, the cockpit's own checks).

Definitions (also in docs/manual/talent.md):

- senior / intermediate professionals at the end of year Y: people whose highest title obtained on or
  before 31 December of Y is 高级 / 中级 (a person promoted from 中级 to 高级 in Y counts as 高级 only);
- researchers (科研人员): people flagged 研发人员;
- commissioners in years Y1–Y2: distinct people on the roster of any of those years, placed by the
  township they serve; visits (实地服务次数) and days: service logs of every kind but 技术培训;
  trainings and trainees: the 技术培训 logs and the people they trained; villages: distinct
  (township, village) places of the logs.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from kechuang.core.access import restrict
from kechuang.core.validators import is_valid_idcard, normalise_idcard

from . import identity
from .choices import VISIT_KINDS, ServiceKind, TitleLevel
from .models import Commissioner, Person, ServiceLog, Title, person_region_q

# --- people -------------------------------------------------------------------------------------------------


def _people(user, action: str = "view") -> QuerySet:
    return restrict(Person, user, action) if user is not None else Person.objects.all()


def person_list(*, user, action: str = "view", filters: dict | None = None) -> QuerySet:
    """People the user may see, with what the list shows, marked with whether full numbers may be shown."""
    qs = (
        _people(user, action)
        .select_related("organisation", "organisation__region", "region")
        .prefetch_related(Prefetch("titles", queryset=Title.objects.order_by("obtained")))
        .annotate(reveal_id=Value(identity.may_see_identity(user)))
    )
    return person_filter(qs, filters or {})


def person_search(queryset: QuerySet, text: str) -> QuerySet:
    """A full identity number (by its keyed hash), the last digits of one, or part of a name."""
    text = text.strip()
    if not text:
        return queryset
    number = normalise_idcard(text)
    if len(number) == 18 and is_valid_idcard(number):
        return queryset.filter(id_number_hash=identity.lookup_hash(number))
    if 4 <= len(number) <= 6 and number[:-1].isdigit():
        return queryset.filter(Q(id_number_masked__endswith=number[-4:]) | Q(name__icontains=text))
    return queryset.filter(Q(name__icontains=text) | Q(field__icontains=text) | Q(organisation__name__icontains=text))


def person_filter(qs: QuerySet, filters: dict) -> QuerySet:
    if q := filters.get("q"):
        qs = person_search(qs, q)
    if region := filters.get("region"):
        qs = qs.filter(person_region_q(region.path))
    if organisation := filters.get("organisation"):
        qs = qs.filter(organisation=organisation)
    if filters.get("education"):
        qs = qs.filter(education=filters["education"])
    if filters.get("is_researcher") is not None:
        qs = qs.filter(is_researcher=filters["is_researcher"])
    if level := filters.get("title_level"):
        qs = qs.filter(level_q(level, filters.get("day") or timezone.localdate()))
    if programme := filters.get("programme"):
        qs = qs.filter(programmes__icontains=programme)
    return qs


def person_get(*, user, pk: int, action: str = "view") -> Person:
    return person_list(user=user, action=action).get(pk=pk)


def person_by_id_number(*, user, id_number: str, action: str = "view") -> Person | None:
    number = normalise_idcard(id_number)
    if len(number) != 18:
        return None
    return _people(user, action).filter(id_number_hash=identity.lookup_hash(number)).first()


def person_history(*, user, person: Person, limit: int = 50) -> QuerySet:
    """Audit rows of a person and of their titles (deleted ones too), if the user may read histories."""
    from django.contrib.contenttypes.models import ContentType

    from kechuang.accounts.roles import role_allows
    from kechuang.core.models import AuditLog
    from kechuang.core.selectors import HISTORY

    if not role_allows(user.role, HISTORY, "view") or not restrict(Person, user).filter(pk=person.pk).exists():
        return AuditLog.objects.none()
    person_type, title_type = ContentType.objects.get_for_models(Person, Title).values()
    rows = AuditLog.objects.filter(
        Q(content_type=person_type, object_id=str(person.pk))
        | Q(content_type=title_type, after__person=person.pk)
        | Q(content_type=title_type, before__person=person.pk)
    )
    return rows.select_related("actor", "content_type").order_by("-time", "-id")[:limit]


# --- titles held on a day -------------------------------------------------------------------------------------


def _held(level: str, day: datetime.date) -> Exists:
    return Exists(Title.objects.filter(person=OuterRef("pk"), level=level, obtained__lte=day))


def level_q(level: str, day: datetime.date) -> Q:
    """People whose highest title obtained by ``day`` is of ``level``."""
    above = {
        TitleLevel.SENIOR: (),
        TitleLevel.INTERMEDIATE: (TitleLevel.SENIOR,),
        TitleLevel.JUNIOR: (TitleLevel.SENIOR, TitleLevel.INTERMEDIATE),
    }[level]
    q = Q(_held(level, day))
    for higher in above:
        q &= ~Q(_held(higher, day))
    return q


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def _placed(qs: QuerySet, region) -> QuerySet:
    return qs.filter(person_region_q(region.path)) if region is not None else qs


def professionals(*, level: str, year: int, region=None, user=None) -> QuerySet:
    """People whose highest title at the end of ``year`` is of ``level``, in a region subtree."""
    return _placed(_people(user), region).filter(level_q(level, year_end(year)))


def senior_professionals(*, year: int, region=None, user=None) -> QuerySet:
    """高级职称专业技术人员 at the end of a year."""
    return professionals(level=TitleLevel.SENIOR, year=year, region=region, user=user)


def intermediate_professionals(*, year: int, region=None, user=None) -> QuerySet:
    """中级职称专业技术人员 at the end of a year (those who already hold a senior title are counted there)."""
    return professionals(level=TitleLevel.INTERMEDIATE, year=year, region=region, user=user)


def researchers(*, region=None, user=None) -> QuerySet:
    """科研人员: people flagged as researchers (研发人员)."""
    return _placed(_people(user), region).filter(is_researcher=True)


# --- S&T commissioners ----------------------------------------------------------------------------------------


def _years(year: int | None, year_from: int | None, year_to: int | None) -> tuple[int, int]:
    if year is not None:
        return year, year
    if year_from is None or year_to is None:
        raise ValueError("give year, or year_from and year_to")
    return year_from, year_to


def commissioner_list(*, user, action: str = "view", filters: dict | None = None) -> QuerySet:
    qs = restrict(Commissioner, user, action).select_related(
        "person", "township", "sending_unit", "person__organisation"
    )
    return commissioner_filter(qs, filters or {})


def commissioner_filter(qs: QuerySet, filters: dict) -> QuerySet:
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(person__in=person_search(Person.objects.all(), q)) | Q(village__icontains=q))
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if township := filters.get("township"):
        qs = qs.filter(township__path__startswith=township.path)
    if filters.get("level"):
        qs = qs.filter(level=filters["level"])
    return qs


def _commissioners(user) -> QuerySet:
    return restrict(Commissioner, user) if user is not None else Commissioner.objects.all()


def _logs(user) -> QuerySet:
    return restrict(ServiceLog, user) if user is not None else ServiceLog.objects.all()


def commissioners_in(
    *, year: int | None = None, year_from: int | None = None, year_to: int | None = None, region=None, user=None
) -> QuerySet:
    """The roster rows of a year or a span of years, by the township served."""
    first, last = _years(year, year_from, year_to)
    qs = _commissioners(user).filter(year__gte=first, year__lte=last)
    return qs.filter(township__path__startswith=region.path) if region is not None else qs


def commissioner_people(**kwargs) -> QuerySet:
    """The distinct people behind ``commissioners_in`` (one person serving several years counts once)."""
    return Person.objects.filter(pk__in=commissioners_in(**kwargs).values("person"))


def service_logs_in(
    *,
    year: int | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    region=None,
    user=None,
    kinds=None,
) -> QuerySet:
    """Service logs of commissioners of a year or span, optionally of some kinds only."""
    first, last = _years(year, year_from, year_to)
    qs = _logs(user).filter(commissioner__year__gte=first, commissioner__year__lte=last)
    if region is not None:
        qs = qs.filter(commissioner__township__path__startswith=region.path)
    return qs.filter(kind__in=kinds) if kinds else qs


def visits_in(**kwargs) -> QuerySet:
    """实地科技服务: every service log but the trainings."""
    return service_logs_in(kinds=VISIT_KINDS, **kwargs)


def trainings_in(**kwargs) -> QuerySet:
    return service_logs_in(kinds=(ServiceKind.TRAINING,), **kwargs)


@dataclass(frozen=True)
class CommissionerFigures:
    """The plan's commissioner figures for a region and years, each computed by one query."""

    commissioners: int
    visits: int
    days: int
    villages: int
    trainings: int
    trainees: int


def commissioner_figures(**kwargs) -> CommissionerFigures:
    """Commissioners, visits and their days, villages, trainings and trainees for a year or a span of years."""
    logs = service_logs_in(**kwargs)
    visit = Q(kind__in=VISIT_KINDS)
    training = Q(kind=ServiceKind.TRAINING)
    totals = logs.aggregate(
        visits=Count("pk", filter=visit),
        days=Coalesce(Sum("days", filter=visit), 0),
        trainings=Count("pk", filter=training),
        trainees=Coalesce(Sum("trainees", filter=training), 0),
    )
    return CommissionerFigures(
        commissioners=commissioner_people(**kwargs).count(),
        villages=logs.values("commissioner__township_id", "village").distinct().count(),
        **totals,
    )


def commissioner_summary(*, user, year: int, filters: dict | None = None) -> QuerySet:
    """Each commissioner of a year with their visits, days, villages, trainings and trainees (年度服务汇总)."""
    visit = Q(logs__kind__in=VISIT_KINDS)
    training = Q(logs__kind=ServiceKind.TRAINING)
    qs = commissioner_list(user=user, filters={**(filters or {}), "year": year})
    return qs.annotate(
        visits=Count("logs", filter=visit),
        days=Coalesce(Sum("logs__days", filter=visit), 0, output_field=IntegerField()),
        villages=Count("logs__village", distinct=True),
        trainings=Count("logs", filter=training),
        trainees=Coalesce(Sum("logs__trainees", filter=training), 0, output_field=IntegerField()),
    ).order_by("township__code", "village", "person__name")


def servicelog_list(*, user, action: str = "view", filters: dict | None = None) -> QuerySet:
    qs = restrict(ServiceLog, user, action).select_related("commissioner__person", "commissioner__township")
    return servicelog_filter(qs, filters or {})


def servicelog_filter(qs: QuerySet, filters: dict) -> QuerySet:
    if q := (filters.get("q") or "").strip():
        people = person_search(Person.objects.all(), q)
        qs = qs.filter(Q(commissioner__person__in=people) | Q(village__icontains=q) | Q(content__icontains=q))
    if filters.get("year"):
        qs = qs.filter(date__year=filters["year"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if township := filters.get("township"):
        qs = qs.filter(commissioner__township__path__startswith=township.path)
    if commissioner := filters.get("commissioner"):
        qs = qs.filter(commissioner=commissioner)
    return qs
