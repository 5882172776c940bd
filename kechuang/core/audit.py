"""Writing the audit trail: JSON snapshots of a record, one AuditLog row per change."""

import datetime
import decimal
from collections.abc import Callable, Collection

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

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
    hidden = _hidden(model)
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


def _hidden(model: type[models.Model]) -> set[str]:
    """The fields never written to the audit trail."""
    return ALWAYS_HIDDEN | set(getattr(model, "AUDIT_EXCLUDE", ()))


def _origin(actor) -> dict:
    """Who made a change and from where (the request's context): the fields every audit row shares."""
    ctx = context.current()
    return {
        "actor": actor if getattr(actor, "pk", None) else None,
        "actor_name": getattr(actor, "username", "") or "system",
        "request_id": ctx.request_id,
        "source": ctx.source,
        "ip": ctx.ip,
    }


def audit_write(*, actor, action: str, instance: models.Model, before: dict | None, after: dict | None) -> AuditLog:
    """Write one audit row; must run inside the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_write must run inside the transaction of the change")
    return AuditLog.objects.create(
        **_origin(actor),
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
    content_type = ContentType.objects.get_for_model(entries[0][0], for_concrete_model=True)
    common = {**_origin(actor), "action": action, "content_type": content_type}
    AuditLog.objects.bulk_create(
        [
            AuditLog(object_id=str(obj.pk), object_repr=str(obj)[:255], before=before, after=after, **common)
            for obj, before, after in entries
        ],
        batch_size=1000,
    )


def audit_inserted(
    model: type[models.Model], pks: Collection[int], *, actor, describe: tuple[str, dict[str, str]]
) -> None:
    """Create-audit rows for records just inserted in bulk (their primary keys ``pks``, a list or a range), written by
    the database itself in one ``INSERT … SELECT``: each row's snapshot is built in SQL from the stored record, equal
    to what ``snapshot`` gives for it, so no record travels back through Python. ``describe`` is the record's text as a
    message with placeholders and, for each, a column or a ``relation__column`` one foreign key away
    (``("{organisation} {year}年度数据", {"organisation": "organisation__name", "year": "year"})``). Models whose
    audit masks values (``AUDIT_MASK``) must be audited in Python."""
    from django.db import connection

    if getattr(model, "AUDIT_MASK", None):
        raise ValueError(f"{model._meta.label} masks audited values: audit it with audit_bulk")
    if not pks:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_inserted must run inside the transaction of the changes")
    quote, meta = connection.ops.quote_name, model._meta
    joins: dict[str, str] = {}

    def column(path: str) -> str:
        if "__" not in path:
            return f"t.{quote(meta.get_field(path).column)}"
        relation, name = path.split("__")
        field = meta.get_field(relation)
        alias = joins.setdefault(relation, f"j{len(joins)}")
        target = field.related_model._meta
        return f"{alias}.{quote(target.get_field(name).column)}"

    template, places = describe
    parts, params = [], []
    for literal, name in _template_parts(stored_text(template)):
        if literal:
            parts.append("%s")
            params.append(literal)
        if name is not None:
            parts.append(f"COALESCE(CAST({column(places[name])} AS TEXT), '')")
    text = "SUBSTR({}, 1, 255)".format(" || ".join(parts) or "''")
    hidden = _hidden(model)
    pairs = [(f.name, _json_sql(f, f"t.{quote(f.column)}", connection.vendor))
             for f in meta.concrete_fields if f.name not in hidden]  # fmt: skip
    after = _json_object_sql(pairs, connection.vendor)
    origin = _origin(actor)
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True).pk
    now = AuditLog._meta.get_field("time").get_db_prep_save(timezone.now(), connection)
    common = [now, origin["actor"] and origin["actor"].pk, origin["actor_name"], origin["request_id"],
              origin["source"], origin["ip"], "create", content_type]  # fmt: skip
    names = ("time", "actor_id", "actor_name", "request_id", "source", "ip", "action", "content_type_id",
             "object_id", "object_repr", "before", "after")  # fmt: skip
    from_sql = f"{quote(meta.db_table)} t"
    for relation, alias in joins.items():
        field = meta.get_field(relation)
        target = f"{alias}.{quote(field.target_field.column)}"
        from_sql += f" JOIN {quote(field.related_model._meta.db_table)} {alias} ON {target} = t.{quote(field.column)}"
    pk_column = f"t.{quote(meta.pk.column)}"
    for runs in _chunks(_runs(pks), 200):
        where = " OR ".join(f"{pk_column} BETWEEN %s AND %s" for _ in runs)
        sql = (
            f"INSERT INTO {quote(AuditLog._meta.db_table)} ({', '.join(quote(n) for n in names)}) "
            f"SELECT {', '.join(['%s'] * 8)}, CAST({pk_column} AS TEXT), {text}, NULL, {after} "
            f"FROM {from_sql} WHERE {where} ORDER BY {pk_column}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*common, *params, *(bound for run in runs for bound in run)])


def _template_parts(template: str) -> list[tuple[str, str | None]]:
    """A ``str.format`` message as (literal text, placeholder name or None) pairs."""
    import string

    return [(literal, name) for literal, name, _spec, _conversion in string.Formatter().parse(template)]


def _json_sql(field: models.Field, column: str, vendor: str) -> str:
    """The SQL giving a stored value as ``snapshot`` writes it in JSON: decimals and times as text (times in UTC with
    the offset, as ``isoformat`` writes them), booleans as true/false, foreign keys as the key."""
    kind = field.get_internal_type()
    if vendor == "postgresql":
        if kind == "DecimalField":
            return f"CAST({column} AS TEXT)"
        if kind == "DateField":
            return f"TO_CHAR({column}, 'YYYY-MM-DD')"
        if kind == "DateTimeField":
            utc = f"({column} AT TIME ZONE 'UTC')"
            return (
                f"TO_CHAR({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN EXTRACT(MICROSECONDS FROM {utc})::bigint "
                f"%% 1000000 = 0 THEN '' ELSE TO_CHAR({utc}, '.US') END || '+00:00'"
            )
        if kind == "JSONField":
            return f"CAST({column} AS JSONB)"
        return column
    if kind == "DecimalField":
        return f"CASE WHEN {column} IS NULL THEN NULL ELSE PRINTF('%%.{field.decimal_places}f', {column}) END"
    if kind == "DateTimeField":  # stored as UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]'
        return f"CASE WHEN {column} IS NULL THEN NULL ELSE REPLACE({column}, ' ', 'T') || '+00:00' END"
    if kind == "BooleanField":
        return f"CASE WHEN {column} IS NULL THEN NULL WHEN {column} THEN JSON('true') ELSE JSON('false') END"
    if kind == "JSONField":
        return f"JSON({column})"
    return column


def _json_object_sql(pairs: list[tuple[str, str]], vendor: str) -> str:
    """A JSON object of (key, SQL value) pairs, in groups that stay under the engines' limits on arguments."""
    build, join = ("JSONB_BUILD_OBJECT", " || ") if vendor == "postgresql" else ("JSON_OBJECT", None)
    groups = [
        "{}({})".format(build, ", ".join(f"'{key}', {value}" for key, value in group)) for group in _chunks(pairs, 40)
    ]
    if join:
        return join.join(groups)
    expression = groups[0]
    for group in groups[1:]:
        expression = f"JSON_PATCH({expression}, {group})"
    return expression


def _runs(pks) -> list[tuple[int, int]]:
    """Integer keys as (first, last) runs of consecutive values, in order (a range is one run)."""
    if isinstance(pks, range) and pks.step == 1:
        return [(pks.start, pks.stop - 1)] if pks else []
    runs: list[list[int]] = []
    for pk in sorted(pks):
        if runs and pk == runs[-1][1] + 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    return [tuple(run) for run in runs]


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]
