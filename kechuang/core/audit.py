"""Writing the audit trail: JSON snapshots of a record, one AuditLog row per change."""

import datetime
import decimal
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from . import context
from .i18n import stored_text
from .models import AuditLog

# Values never written to the audit trail in clear; the model may add its own maskers in AUDIT_MASK.
ALWAYS_HIDDEN = {"password"}


def _json_value(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return value.name or None
    return value


def snapshot(instance: models.Model) -> dict:
    """The record's own field values as JSON-ready data, with secrets masked."""
    meta = instance._meta  # not type(instance): a request's user is a lazy proxy
    return snapshot_values(meta.model, {f.attname: getattr(instance, f.attname) for f in meta.concrete_fields})


def snapshot_values(model: type[models.Model], values: dict) -> dict:
    """``snapshot`` of a record given as its values by attname."""
    attnames = [f.attname for f in model._meta.concrete_fields]
    return snapshotter(model, attnames)([values.get(name) for name in attnames])


def snapshotter(model: type[models.Model], attnames: list[str]) -> Callable[[list], dict]:
    """A function giving ``snapshot`` of records given as value lists in the order of ``attnames`` — the rules
    (hidden fields, maskers, JSON forms) worked out once for all the rows of an import."""
    maskers = getattr(model, "AUDIT_MASK", {})
    hidden = ALWAYS_HIDDEN | set(getattr(model, "AUDIT_EXCLUDE", ()))
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    plan = []
    for position, attname in enumerate(attnames):
        field = by_attname[attname]
        if field.name not in hidden:
            plan.append((field.name, position, maskers.get(field.name)))

    last: dict[int, tuple] = {}  # rows of an import share some values (time stamps): convert each once

    def take(values: list) -> dict:
        data = {}
        for name, position, masker in plan:
            value = values[position]
            if value is not None and type(value) not in (int, str, bool):
                seen = last.get(position)
                if seen is None or seen[0] is not value:
                    seen = last[position] = (value, _json_value(value))
                value = seen[1]
            if masker is not None and value:
                value = masker(value)
            data[name] = value
        return data

    return take


def audit_write(*, actor, action: str, instance: models.Model, before: dict | None, after: dict | None) -> AuditLog:
    """Write one audit row; must run inside the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_write must run inside the transaction of the change")
    ctx = context.current()
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "system",
        request_id=ctx.request_id,
        source=ctx.source,
        ip=ctx.ip,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=stored_text(instance)[:255],
        before=before,
        after=after,
    )


def audit_bulk(*, actor, action: str, entries: list[tuple[models.Model, dict | None, dict | None]]) -> None:
    """Audit rows for many changes at once (imports), in the transaction of those changes."""
    if not entries:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_bulk must run inside the transaction of the changes")
    ctx = context.current()
    content_type = ContentType.objects.get_for_model(entries[0][0], for_concrete_model=True)
    common = {
        "actor": actor if getattr(actor, "pk", None) else None,
        "actor_name": getattr(actor, "username", "") or "system",
        "request_id": ctx.request_id,
        "source": ctx.source,
        "ip": ctx.ip,
        "action": action,
        "content_type": content_type,
    }
    AuditLog.objects.bulk_create(
        [
            AuditLog(object_id=str(obj.pk), object_repr=str(obj)[:255], before=before, after=after, **common)
            for obj, before, after in entries
        ],
        batch_size=1000,
    )
