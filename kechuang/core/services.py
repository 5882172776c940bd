"""Generic audited writes; each app's services call these after their own checks."""

from django.db import models, transaction
from django.utils.translation import gettext

from .access import ensure_may, ensure_permitted
from .audit import audit_write, snapshot
from .choices import AuditAction
from .models import attachment_path


@transaction.atomic
def record_create(*, actor, instance: models.Model, check: bool = True) -> models.Model:
    """Validate, check the actor may add it, save and audit a new record."""
    if check:
        ensure_may(actor, "add", instance)
    instance.full_clean()
    instance.save()
    audit_write(actor=actor, action=AuditAction.CREATE, instance=instance, before=None, after=snapshot(instance))
    return instance


@transaction.atomic
def record_add(*, actor, instance: models.Model) -> models.Model:
    """Create a record for a service: the role's right first, then the record's own rules (so a record without a
    place is told why rather than refused as out of scope), then its scope and the audit row (``record_create``).
    ``actor`` None is the system, which is not checked."""
    ensure_permitted(actor, type(instance), "add")
    instance.full_clean()
    return record_create(actor=actor, instance=instance, check=actor is not None)


@transaction.atomic
def record_update(*, actor, instance: models.Model, data: dict, check: bool = True) -> models.Model:
    """Apply data to a record the actor may change, validate, save and audit before and after."""
    # "Before" and the scope check come from the stored row: the instance may already carry a form's new values.
    stored = type(instance)._default_manager.get(pk=instance.pk)
    if check:
        ensure_may(actor, "change", stored)
    before = snapshot(stored)
    for name, value in data.items():
        setattr(instance, name, value)
    if check:
        ensure_may(actor, "change", instance)  # the new values must stay inside the actor's scope too
    instance.full_clean()
    instance.save()
    after = snapshot(instance)
    if after != before:
        audit_write(actor=actor, action=AuditAction.UPDATE, instance=instance, before=before, after=after)
    return instance


CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@transaction.atomic
def record_upsert(*, actor, model: type[models.Model], key: dict, values: dict, check: bool = True):
    """Create the record named by ``key``, or update it to ``values``; untouched (no audit row) when equal.

    Returns the record and CREATED, UPDATED or UNCHANGED.
    """
    existing = model._default_manager.filter(**key).first()
    if existing is None:
        return record_create(actor=actor, instance=model(**key, **values), check=check), CREATED
    changed = {}
    for name, value in values.items():
        # Compare foreign keys by id so a check costs no query.
        target = value.pk if isinstance(value, models.Model) else value
        if getattr(existing, model._meta.get_field(name).attname) != target:
            changed[name] = value
    if not changed:
        return existing, UNCHANGED
    return record_update(actor=actor, instance=existing, data=changed, check=check), UPDATED


@transaction.atomic
def record_delete(*, actor, instance: models.Model, check: bool = True) -> None:
    """Delete a record the actor may delete, keeping its last state in the audit trail."""
    if check:
        ensure_may(actor, "delete", instance)
    before = snapshot(instance)
    audit_write(actor=actor, action=AuditAction.DELETE, instance=instance, before=before, after=None)
    instance.delete()


# --- attachments ------------------------------------------------------------------------------------------

ALLOWED_TYPES = {
    # extension: leading bytes of a genuine file of that type
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}


def _owning_organisation(target):
    from kechuang.orgs.models import Organisation

    return target if isinstance(target, Organisation) else getattr(target, "organisation", None)


@transaction.atomic
def attachment_add(*, actor, target, upload, kind: str):
    """Store an uploaded evidence file on a record, after checking its type by content and its size."""
    import hashlib
    from pathlib import Path

    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType

    from .exceptions import ServiceError
    from .models import Attachment

    extension = Path(upload.name).suffix.lower()
    if extension not in ALLOWED_TYPES:
        raise ServiceError(
            {
                "file": [
                    gettext("不支持“{extension}”类型的文件，请上传 PDF、JPG、PNG、Word 或 Excel 文件").format(
                        extension=extension or gettext("无扩展名")
                    )
                ]
            }
        )
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ServiceError(
            {
                "file": [
                    gettext("文件过大（{size:.1f} MB），不能超过 {limit} MB").format(
                        size=upload.size / 1048576, limit=settings.ATTACHMENT_MAX_BYTES // 1048576
                    )
                ]
            }
        )
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(ALLOWED_TYPES[extension]):
        raise ServiceError(
            {
                "file": [
                    gettext("文件内容与扩展名“{extension}”不符，可能已损坏或被改名，请检查后重新上传").format(
                        extension=extension
                    )
                ]
            }
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        organisation=_owning_organisation(target),
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        kind=kind,
        original_name=Path(upload.name).name[:255],
        extension=extension,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    ensure_may(actor, "add", attachment)
    attachment.file.save(attachment_path(attachment, upload.name), upload, save=False)
    return record_create(actor=actor, instance=attachment)
