"""Writes of the talent registry; every one is checked by restrict() and audited in the same transaction.

Titles and service-log photos belong to their person and log: a user who may change the person (or the log)
may change them, and their audit rows are written like any other record's.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from kechuang.core.access import ensure_may
from kechuang.core.choices import AttachmentKind
from kechuang.core.exceptions import ServiceError
from kechuang.core.models import Attachment, attachment_path
from kechuang.core.services import ALLOWED_TYPES, record_create, record_delete, record_update

from .models import Commissioner, Person, ServiceLog, Title

# The stored columns an identity number sets (Person.set_id_number).
ID_COLUMNS = ("id_number_masked", "id_number_encrypted", "id_number_hash", "gender", "birth_year")
PERSON_FIELDS = ("name", "organisation", "region", "field", "education", "is_researcher", "programmes", "phone")


def _with_id_number(person: Person, id_number) -> None:
    """Store a number on the person (refused with the field's message when invalid or already registered)."""
    try:
        person.set_id_number(id_number)
    except ValidationError as error:
        raise ServiceError(error.message_dict) from error
    clash = Person.objects.filter(id_number_hash=person.id_number_hash).exclude(pk=person.pk)
    if clash.exists():
        raise ServiceError({"id_number": [gettext("该身份证号码已登记在人才库中，请勿重复登记")]})


def _changed(instance, data: dict) -> dict:
    """The values that differ from the stored record (foreign keys by id): an unchanged save writes no audit row."""
    changed = {}
    for name, value in data.items():
        attname = instance._meta.get_field(name).attname
        if getattr(instance, attname) != (value.pk if hasattr(value, "_meta") else value):
            changed[name] = value
    return changed


def _update(*, actor, instance, data: dict, check: bool = True):
    stored = type(instance)._default_manager.get(pk=instance.pk)
    changed = _changed(stored, data)
    if not changed:
        if check and actor is not None:
            ensure_may(actor, "change", stored)
        return instance
    return record_update(actor=actor, instance=instance, data=changed, check=check and actor is not None)


def _clean_programmes(values) -> list[str]:
    return [p.strip() for p in values or [] if isinstance(p, str) and p.strip()]


@transaction.atomic
def person_create(*, actor, id_number: str, **fields) -> Person:
    person = Person(**fields)
    person.name = (person.name or "").strip()
    person.programmes = _clean_programmes(person.programmes)
    _with_id_number(person, id_number)
    # The rules first: a person placed nowhere should hear "fill in the region", not "outside your scope".
    person.full_clean()
    return record_create(actor=actor, instance=person, check=actor is not None)


@transaction.atomic
def person_update(*, actor, person: Person, data: dict) -> Person:
    """Change a person; ``id_number`` in data is the typed number (its masked form leaves it unchanged)."""
    data = dict(data)
    id_number = data.pop("id_number", None)
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
    if "programmes" in data:
        data["programmes"] = _clean_programmes(data["programmes"])
    if id_number is not None and id_number != person.id_number_masked:
        probe = Person(pk=person.pk)
        _with_id_number(probe, id_number)
        # The same number typed again keeps the stored ciphertext, so the row does not change at all.
        if probe.id_number_hash != person.id_number_hash:
            data.update({name: getattr(probe, name) for name in ID_COLUMNS})
    return _update(actor=actor, instance=person, data=data)


@transaction.atomic
def person_delete(*, actor, instance: Person) -> None:
    """Delete a person with their titles (each audited); refused while they are on a commissioner roster."""
    ensure_may(actor, "delete", instance)
    if instance.commissioner_years.exists():
        raise ServiceError(gettext("该人员已登记为科技特派员，请先删除其科技特派员记录"))
    for title in instance.titles.all():
        record_delete(actor=actor, instance=title, check=False)
    record_delete(actor=actor, instance=instance)


# --- titles -------------------------------------------------------------------------------------------------


def _may_change_person(actor, person: Person) -> None:
    if actor is not None:
        ensure_may(actor, "change", person)


@transaction.atomic
def title_save(*, actor, person: Person, level: str, name: str, obtained) -> Title:
    """Record the title a person holds at a level: created, or the existing one of that level updated."""
    _may_change_person(actor, person)
    values = {"name": (name or "").strip(), "obtained": obtained}
    existing = Title.objects.filter(person=person, level=level).first()
    if existing is None:
        return record_create(actor=actor, instance=Title(person=person, level=level, **values), check=False)
    return _update(actor=actor, instance=existing, data=values, check=False)


@transaction.atomic
def title_create(*, actor, person: Person, level: str, name: str, obtained) -> Title:
    """Add a title at a level the person does not hold yet (the form's "add": no silent overwrite)."""
    _may_change_person(actor, person)
    held = Title.objects.filter(person=person, level=level).first()
    if held is not None:
        raise ServiceError(
            {
                "level": [
                    gettext("该人员已有{level}职称（{name}），请在职称列表中点“编辑”修改").format(
                        level=held.get_level_display(), name=held.name
                    )
                ]
            }
        )
    title = Title(person=person, level=level, name=(name or "").strip(), obtained=obtained)
    return record_create(actor=actor, instance=title, check=False)


@transaction.atomic
def title_update(*, actor, instance: Title, data: dict) -> Title:
    _may_change_person(actor, instance.person)
    stored = Title.objects.get(pk=instance.pk)
    if data.get("level", stored.level) != stored.level and (
        Title.objects.filter(person=stored.person, level=data["level"]).exclude(pk=stored.pk).exists()
    ):
        raise ServiceError({"level": [gettext("该人员已有这一级别的职称，请修改原有记录")]})
    return _update(actor=actor, instance=instance, data=data, check=False)


@transaction.atomic
def title_delete(*, actor, instance: Title) -> None:
    _may_change_person(actor, instance.person)
    record_delete(actor=actor, instance=instance, check=False)


# --- S&T commissioners ----------------------------------------------------------------------------------------


def _unique_year(person: Person, year: int, exclude_pk=None) -> None:
    if Commissioner.objects.filter(person=person, year=year).exclude(pk=exclude_pk).exists():
        raise ServiceError({"year": [gettext("该人员在{year}年已登记为科技特派员").format(year=year)]})


@transaction.atomic
def commissioner_create(*, actor, person: Person, **fields) -> Commissioner:
    if actor is not None:
        ensure_may(actor, "view", person)  # a person the actor cannot see cannot be put on the roster
    _unique_year(person, fields.get("year"))
    return record_create(actor=actor, instance=Commissioner(person=person, **fields), check=actor is not None)


@transaction.atomic
def commissioner_update(*, actor, instance: Commissioner, data: dict) -> Commissioner:
    stored = Commissioner.objects.get(pk=instance.pk)
    if "year" in data and data["year"] != stored.year:
        _unique_year(stored.person, data["year"], exclude_pk=stored.pk)
        if stored.logs.exists():
            raise ServiceError({"year": [gettext("该年度已有服务记录，不能修改选派年度")]})
    return _update(actor=actor, instance=instance, data=data)


@transaction.atomic
def commissioner_delete(*, actor, instance: Commissioner) -> None:
    ensure_may(actor, "delete", instance)
    if instance.logs.exists():
        raise ServiceError(gettext("该科技特派员已有服务记录，请先删除服务记录"))
    record_delete(actor=actor, instance=instance)


# --- service logs -------------------------------------------------------------------------------------------


@transaction.atomic
def servicelog_create(*, actor, commissioner: Commissioner, **fields) -> ServiceLog:
    fields["village"] = (fields.get("village") or "").strip() or commissioner.village
    log = ServiceLog(commissioner=commissioner, **fields)
    _unique_log(log)
    return record_create(actor=actor, instance=log, check=actor is not None)


@transaction.atomic
def servicelog_update(*, actor, instance: ServiceLog, data: dict) -> ServiceLog:
    if "village" in data:
        data = {**data, "village": (data["village"] or "").strip() or instance.commissioner.village}
    candidate = ServiceLog(pk=instance.pk, commissioner_id=instance.commissioner_id)
    for name in ("date", "village", "kind"):
        setattr(candidate, name, data.get(name, getattr(instance, name)))
    _unique_log(candidate)
    return _update(actor=actor, instance=instance, data=data)


def _unique_log(log: ServiceLog) -> None:
    others = ServiceLog.objects.filter(
        commissioner_id=log.commissioner_id, date=log.date, village=log.village, kind=log.kind
    ).exclude(pk=log.pk)
    if others.exists():
        raise ServiceError({"date": [gettext("这名特派员当天在该村已有同类型的服务记录")]})


@transaction.atomic
def servicelog_delete(*, actor, instance: ServiceLog) -> None:
    ensure_may(actor, "delete", instance)
    for photo in photos_of(instance):
        _photo_remove(actor, photo)
    record_delete(actor=actor, instance=instance)


# --- photos of a service log (core Attachment, scoped through the log) ---------------------------------------

PHOTO_TYPES = (".jpg", ".jpeg", ".png")


def photos_of(log: ServiceLog):
    """The photos on a log; callers have already checked that the user may see the log."""
    content_type = ContentType.objects.get_for_model(ServiceLog)
    return Attachment.objects.filter(content_type=content_type, object_id=str(log.pk)).order_by("created", "pk")


def _check_photo(upload) -> None:
    extension = Path(upload.name).suffix.lower()
    if extension not in PHOTO_TYPES:
        raise ServiceError(
            {
                "file": [
                    gettext("现场照片请上传 JPG 或 PNG 图片，不支持“{extension}”").format(extension=extension or "—")
                ]
            }
        )
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ServiceError(
            {
                "file": [
                    gettext("照片过大（{size:.1f} MB），不能超过 {limit} MB").format(
                        size=upload.size / 1048576, limit=settings.ATTACHMENT_MAX_BYTES // 1048576
                    )
                ]
            }
        )
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(ALLOWED_TYPES[extension]):
        raise ServiceError({"file": [gettext("文件内容不是有效的 JPG 或 PNG 图片，可能已损坏或被改名")]})


@transaction.atomic
def photo_add(*, actor, log: ServiceLog, upload) -> Attachment:
    """Store a photo of a service on its log, after checking the type by content and the size.

    The core attachment service scopes files by their organisation; a log belongs to a township, not an
    organisation, so the right to change the log decides here, and the photo is read only through its log.
    """
    ensure_may(actor, "change", log)
    _check_photo(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    photo = Attachment(
        organisation=None,
        content_type=ContentType.objects.get_for_model(ServiceLog),
        object_id=str(log.pk),
        kind=AttachmentKind.OTHER,
        original_name=Path(upload.name).name[:255],
        extension=Path(upload.name).suffix.lower(),
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    photo.file.save(attachment_path(photo, upload.name), upload, save=False)
    return record_create(actor=actor, instance=photo, check=False)


@transaction.atomic
def photo_delete(*, actor, log: ServiceLog, photo: Attachment) -> None:
    ensure_may(actor, "change", log)
    if photo.content_type.model_class() is not ServiceLog or photo.object_id != str(log.pk):
        raise ServiceError(gettext("该照片不属于这条服务记录"))
    _photo_remove(actor, photo)


def _photo_remove(actor, photo: Attachment) -> None:
    file = photo.file
    record_delete(actor=actor, instance=photo, check=False)
    # The file goes only once the row is gone for good; a rolled-back delete keeps it.
    transaction.on_commit(lambda: file.delete(save=False))
