"""Writes to the achievements registry; every one is checked by restrict() and audited in the same transaction.

An achievement's ranked units and an award's ranked units and people are child rows: a service replaces them
together with the record, each created or removed row leaving its own audit entry.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from kechuang.core.access import AccessDenied, ensure_may, ensure_permitted
from kechuang.core.exceptions import ServiceError
from kechuang.core.services import record_create, record_delete, record_update

from .choices import ParticipantKind
from .models import (
    Achievement,
    AchievementUnit,
    Award,
    AwardParticipant,
    Conversion,
    TechContract,
    normalise_names,
    people_error,
)

__all__ = [
    "UnitRef",
    "achievement_create",
    "achievement_delete",
    "achievement_update",
    "award_create",
    "award_delete",
    "award_update",
    "contract_create",
    "contract_delete",
    "contract_update",
    "conversion_create",
    "conversion_delete",
    "conversion_update",
    "ensure_may_add",
]

# A ranked unit: an organisation of the register, or only a name (a unit outside the register).
UnitRef = tuple[object | None, str]


def ensure_may_add(actor, model) -> None:
    """The role's right comes first (before any reference is resolved or any rule checked); the scope is checked
    on the finished record by record_create."""
    ensure_permitted(actor, model, "add")


def _may_change(actor, instance) -> None:
    if actor is not None:
        ensure_may(actor, "change", instance)


def _validated(instance) -> None:
    """Field and row rules before the scope check, so an incomplete record is told what is wrong rather than
    refused as out of scope (a record without its organisation has no region yet)."""
    try:
        instance.full_clean()
    except ValidationError as error:
        raise ServiceError(error.error_dict if hasattr(error, "error_dict") else error.error_list) from None


def _changes(instance, data: dict) -> dict:
    """The values that differ from the stored record (foreign keys compared by id), so an unchanged save writes
    no audit row."""
    changed = {}
    for name, value in data.items():
        target = value.pk if hasattr(value, "_meta") else value
        if getattr(instance, instance._meta.get_field(name).attname) != target:
            changed[name] = value
    return changed


def _update(*, actor, instance, data: dict):
    if changed := _changes(instance, data):
        return record_update(actor=actor, instance=instance, data=changed, check=actor is not None)
    return instance


def _candidate(instance, data: dict):
    """An unsaved copy of a stored record with new values, to validate before anything is written."""
    model = type(instance)
    candidate = model(**{f.attname: getattr(instance, f.attname) for f in model._meta.concrete_fields})
    for name, value in data.items():
        setattr(candidate, name, value)
    candidate._state.adding = False
    return candidate


def _check_units(lead, units: Sequence[UnitRef], field: str = "units") -> None:
    seen_orgs, seen_names = {getattr(lead, "pk", None)}, set()
    for organisation, name in units:
        if organisation is not None and organisation.pk in seen_orgs:
            raise ServiceError(
                {field: [gettext("单位“{name}”重复出现（第一完成单位不用再列）").format(name=organisation)]}
            )
        if organisation is None and name in seen_names:
            raise ServiceError({field: [gettext("单位“{name}”重复出现").format(name=name)]})
        if organisation is None and not name.strip():
            raise ServiceError({field: [gettext("单位名称不能为空")]})
        if organisation is not None:
            seen_orgs.add(organisation.pk)
        else:
            seen_names.add(name)


def _visible(actor, record, field: str) -> None:
    """A referenced record (an achievement) must be one the actor may see."""
    if actor is not None and record is not None:
        try:
            ensure_may(actor, "view", record)
        except AccessDenied:
            message = gettext("该{model}不存在或不在您的管辖范围内").format(model=record._meta.verbose_name)
            raise ServiceError({field: [message]}) from None


def _replace(*, actor, current: list, wanted: list) -> None:
    """Replace child rows when their (rank, organisation, name) differ, auditing each removal and creation."""
    shape = [(getattr(c, "kind", ""), c.position, c.organisation_id, c.name) for c in current]
    target = [(getattr(w, "kind", ""), w.position, w.organisation_id, w.name) for w in wanted]
    if shape == target:
        return
    for child in current:
        record_delete(actor=actor, instance=child, check=False)
    for child in wanted:
        record_create(actor=actor, instance=child, check=False)


# --- achievements ------------------------------------------------------------------------------------------


def _unit_rows(achievement: Achievement, units: Sequence[UnitRef]) -> list[AchievementUnit]:
    return [
        AchievementUnit(
            achievement=achievement,
            position=rank,
            organisation=organisation,
            name="" if organisation is not None else name.strip(),
        )
        for rank, (organisation, name) in enumerate(units, start=2)
    ]


@transaction.atomic
def achievement_create(*, actor, units: Sequence[UnitRef] = (), **fields) -> Achievement:
    """Register an achievement with its first completing unit, the other units in rank order and its people."""
    ensure_may_add(actor, Achievement)
    achievement = Achievement(**fields)
    _validated(achievement)
    _check_units(achievement.organisation, units)
    record_create(actor=actor, instance=achievement, check=actor is not None)
    for unit in _unit_rows(achievement, units):
        record_create(actor=actor, instance=unit, check=False)
    return achievement


@transaction.atomic
def achievement_update(
    *, actor, achievement: Achievement, data: dict, units: Sequence[UnitRef] | None = None
) -> Achievement:
    """Change an achievement; ``units`` (when given) replaces the units ranked second and later."""
    _may_change(actor, achievement)
    candidate = _candidate(achievement, data)
    _validated(candidate)
    if units is not None:
        _check_units(candidate.organisation, units)
    _update(actor=actor, instance=achievement, data=data)
    if units is not None:
        _replace(
            actor=actor,
            current=list(achievement.units.all()),
            wanted=_unit_rows(achievement, units),
        )
    return achievement


@transaction.atomic
def achievement_delete(*, actor, achievement: Achievement) -> None:
    """Delete an achievement that no conversion refers to; awards keep their record without the link."""
    ensure_may(actor, "delete", achievement)
    if count := achievement.conversions.count():
        raise ServiceError(gettext("该成果有 {n} 条成果转化记录，不能删除；请先删除或改挂这些转化记录").format(n=count))
    for award in achievement.awards.all():
        record_update(actor=actor, instance=award, data={"achievement": None}, check=False)
    for unit in achievement.units.all():
        record_delete(actor=actor, instance=unit, check=False)
    record_delete(actor=actor, instance=achievement)


# --- conversions -------------------------------------------------------------------------------------------


def _check_conversion_key(conversion: Conversion) -> None:
    """The natural key (achievement or subject, year, form, implementing unit) is unique; the database enforces it
    only when both the achievement and the organisation are given, so the other cases are checked here."""
    same = Conversion.objects.filter(
        achievement=conversion.achievement_id,
        year=conversion.year,
        form=conversion.form,
        organisation=conversion.organisation_id,
    )
    if not conversion.achievement_id:
        same = same.filter(subject=conversion.subject)
    if conversion.pk:
        same = same.exclude(pk=conversion.pk)
    if same.exists():
        raise ServiceError(gettext("该年度已有同一转化对象、同一实施单位、同一转化方式的转化记录，请勿重复登记"))


@transaction.atomic
def conversion_create(*, actor, **fields) -> Conversion:
    ensure_may_add(actor, Conversion)
    conversion = Conversion(**fields)
    _validated(conversion)
    _visible(actor, conversion.achievement, "achievement")
    _check_conversion_key(conversion)
    return record_create(actor=actor, instance=conversion, check=actor is not None)


@transaction.atomic
def conversion_update(*, actor, conversion: Conversion, data: dict) -> Conversion:
    _may_change(actor, conversion)
    candidate = _candidate(conversion, data)
    _validated(candidate)
    if "achievement" in data:
        _visible(actor, candidate.achievement, "achievement")
    _check_conversion_key(candidate)
    return _update(actor=actor, instance=conversion, data=data)


def conversion_delete(*, actor, conversion: Conversion) -> None:
    record_delete(actor=actor, instance=conversion)


# --- technology contracts ----------------------------------------------------------------------------------


@transaction.atomic
def contract_create(*, actor, **fields) -> TechContract:
    ensure_may_add(actor, TechContract)
    contract = TechContract(**fields)
    _validated(contract)
    return record_create(actor=actor, instance=contract, check=actor is not None)


@transaction.atomic
def contract_update(*, actor, contract: TechContract, data: dict) -> TechContract:
    _may_change(actor, contract)
    _validated(_candidate(contract, data))
    return _update(actor=actor, instance=contract, data=data)


def contract_delete(*, actor, contract: TechContract) -> None:
    record_delete(actor=actor, instance=contract)


# --- awards ------------------------------------------------------------------------------------------------


def _participant_rows(award: Award, units: Sequence[UnitRef], people: Sequence[str]) -> list[AwardParticipant]:
    rows = [
        AwardParticipant(
            award=award,
            kind=ParticipantKind.UNIT,
            position=rank,
            organisation=organisation,
            name="" if organisation is not None else name.strip(),
        )
        for rank, (organisation, name) in enumerate(units, start=2)
    ]
    rows += [
        AwardParticipant(award=award, kind=ParticipantKind.PERSON, position=rank, name=name.strip())
        for rank, name in enumerate(people, start=1)
    ]
    return rows


def _check_people(people: Sequence[str]) -> None:
    if error := people_error(list(people)):
        raise ServiceError({"people": [error]})


@transaction.atomic
def award_create(*, actor, units: Sequence[UnitRef] = (), people: Sequence[str] = (), **fields) -> Award:
    """Record an award with its first completing unit, the other units and the people, each in rank order."""
    ensure_may_add(actor, Award)
    people = normalise_names(people)
    award = Award(**fields)
    _validated(award)
    _visible(actor, award.achievement, "achievement")
    _check_units(award.organisation, units)
    _check_people(people)
    record_create(actor=actor, instance=award, check=actor is not None)
    for row in _participant_rows(award, units, people):
        record_create(actor=actor, instance=row, check=False)
    return award


@transaction.atomic
def award_update(
    *,
    actor,
    award: Award,
    data: dict,
    units: Sequence[UnitRef] | None = None,
    people: Sequence[str] | None = None,
) -> Award:
    """Change an award; ``units`` and ``people`` (when given) replace the ranked participants of that kind."""
    _may_change(actor, award)
    candidate = _candidate(award, data)
    _validated(candidate)
    if "achievement" in data:
        _visible(actor, candidate.achievement, "achievement")
    current = list(award.participants.all())
    if units is None:
        units = [(p.organisation, p.name) for p in current if p.kind == ParticipantKind.UNIT]
    people = (
        [p.name for p in current if p.kind == ParticipantKind.PERSON] if people is None else normalise_names(people)
    )
    _check_units(candidate.organisation, units)
    _check_people(people)
    _update(actor=actor, instance=award, data=data)
    _replace(actor=actor, current=current, wanted=_participant_rows(award, units, people))
    return award


@transaction.atomic
def award_delete(*, actor, award: Award) -> None:
    ensure_may(actor, "delete", award)
    for row in award.participants.all():
        record_delete(actor=actor, instance=row, check=False)
    record_delete(actor=actor, instance=award)
