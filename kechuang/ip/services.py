"""Writes to the IP registry; each checks the actor's right and scope and is audited in the same transaction.

A patent's owners and legal-status events are written only through these services, which keep the values
stored on the patent for fast counting (first patentee's region, owner names, grant date, end date) in step.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from kechuang.core.access import ensure_may
from kechuang.core.exceptions import ServiceError
from kechuang.core.services import record_create, record_delete, record_update
from kechuang.core.validators import normalise_patent, normalise_uscc, uscc_error
from kechuang.orgs.models import Organisation
from kechuang.regions.models import Region

from .choices import PatentEnd, PatentStatus
from .models import ENDING, STATUS_ORDER, OtherIP, Patent, PatentEvent, PatentOwner, number_type

__all__ = [
    "OwnerResolver",
    "OwnerSpec",
    "PatentChange",
    "PatentDraft",
    "apply_owners",
    "derive",
    "event_error",
    "other_ip_bulk_create",
    "other_ip_create",
    "other_ip_delete",
    "other_ip_update",
    "owner_rows",
    "patent_create",
    "patent_delete",
    "patent_event_add",
    "patent_event_delete",
    "patent_update",
    "patents_bulk_write",
    "sequence_error",
    "split_names",
    "stored_owner_key",
]

MAX_OWNERS = 20
# Lists in one cell: 、 ； ; , ， or a new line (a name never contains them).
SEPARATORS = re.compile(r"[、；;,，\n\r]+")


def split_names(text: str | None) -> list[str]:
    """The names in one text cell, in order, without blanks."""
    return [part.strip() for part in SEPARATORS.split(text or "") if part.strip()]


@dataclass(frozen=True)
class OwnerSpec:
    """One patentee as given: a registered organisation, or a name (its region matters if it comes first)."""

    name: str
    organisation: Organisation | None = None
    region: Region | None = None

    @property
    def placing_region(self) -> Region | None:
        return self.organisation.region if self.organisation is not None else self.region

    def key(self) -> tuple:
        """What identifies the owner, to compare with a stored one."""
        if self.organisation is not None:
            return ("org", self.organisation.pk)
        return ("name", self.name, self.region.pk if self.region is not None else None)


def stored_owner_key(owner: PatentOwner) -> tuple:
    if owner.organisation_id is not None:
        return ("org", owner.organisation_id)
    return ("name", owner.name, owner.region_id)


class OwnerResolver:
    """Turns owner cells (credit codes or names) into OwnerSpecs, looking every organisation up in one query."""

    def __init__(self, items: Iterable[str]):
        items = {item.strip() for item in items if item and item.strip()}
        codes = {normalise_uscc(i) for i in items if _looks_like_uscc(i)}
        names = items - set(codes)
        self.by_code: dict[str, Organisation] = {}
        self.by_name: dict[str, list[Organisation]] = defaultdict(list)
        found = Organisation.objects.filter(Q(uscc__in=codes) | Q(name__in=names)).select_related("region")
        for org in found:
            self.by_code[org.uscc] = org
            self.by_name[org.name].append(org)

    def resolve(self, items: list[str], first_region: Region | None = None) -> tuple[list[OwnerSpec], list[str]]:
        """The owners in order, and every problem found (in Chinese)."""
        owners, errors = [], []
        if not items:
            return [], [gettext("至少填写一个专利权人")]
        if len(items) > MAX_OWNERS:
            errors.append(gettext("专利权人最多 {n} 个").format(n=MAX_OWNERS))
        for item in items:
            spec, error = self._one(item.strip())
            if error:
                errors.append(error)
            elif spec.key() in {o.key() for o in owners}:
                errors.append(gettext("专利权人“{name}”重复").format(name=spec.name))
            else:
                owners.append(spec)
        if owners and owners[0].organisation is None and not errors:
            if first_region is None:
                errors.append(
                    gettext(
                        "第一专利权人“{name}”不是已登记的单位，请填写其所在区划（专利按第一专利权人所在区划统计）"
                    ).format(name=owners[0].name)
                )
            else:
                owners[0] = OwnerSpec(name=owners[0].name, region=first_region)
        return owners, errors

    def _one(self, item: str) -> tuple[OwnerSpec | None, str | None]:
        if _looks_like_uscc(item):
            code = normalise_uscc(item)
            if error := uscc_error(code):
                return None, gettext("“{item}”：{error}").format(item=item, error=error)
            org = self.by_code.get(code)
            if org is None:
                return None, gettext("统一社会信用代码为 {code} 的单位尚未登记，请先登记该单位或改填名称").format(
                    code=code
                )
            return OwnerSpec(name=org.name, organisation=org), None
        if len(item) > 128:
            return None, gettext("专利权人名称“{name}…”过长，不能超过 128 字").format(name=item[:20])
        matches = self.by_name.get(item, [])
        if len(matches) > 1:
            return None, gettext("名称“{name}”对应多个单位，请改填统一社会信用代码").format(name=item)
        if matches:
            return OwnerSpec(name=item, organisation=matches[0]), None
        return OwnerSpec(name=item), None


def _looks_like_uscc(text: str) -> bool:
    code = normalise_uscc(text)
    return len(code) == 18 and code.isascii() and code.isalnum()


def owner_rows(patent: Patent, owners: list[OwnerSpec]) -> list[PatentOwner]:
    return [
        PatentOwner(
            patent=patent,
            position=position,
            organisation=owner.organisation,
            name=owner.name,
            region=owner.placing_region,
        )
        for position, owner in enumerate(owners, 1)
    ]


def apply_owners(patent: Patent, owners: list[OwnerSpec]) -> None:
    """Set what the owners decide on the patent: the owner names, and the region of the first owner."""
    if not owners:
        raise ServiceError({"owners": [gettext("至少填写一个专利权人")]})
    region = owners[0].placing_region
    if region is None:
        raise ServiceError({"owners": [gettext("请填写第一专利权人所在区划（专利按第一专利权人所在区划统计）")]})
    patent.owner_names = [owner.name for owner in owners]
    patent.region = region
    patent.pending_owners = owners


# --- legal status ----------------------------------------------------------------------------------------


def _sort_key(event: tuple) -> tuple:
    return (event[1], STATUS_ORDER[event[0]])


def derive(patent: Patent, events: Iterable[tuple[str, datetime.date]]) -> dict:
    """The grant date, the end date and its reason, from the events and the statutory term."""
    ordered = sorted(events, key=_sort_key)
    grant = next((day for status, day in ordered if status == PatentStatus.GRANTED), None)
    end = next(((status, day) for status, day in ordered if status in ENDING), None)
    ended_on, reason = (end[1], str(ENDING[end[0]])) if end else (None, "")
    term_end = patent.term_end() if grant is not None else None
    if term_end is not None and (ended_on is None or term_end < ended_on):
        ended_on, reason = term_end, str(PatentEnd.EXPIRED)
    return {"grant_date": grant, "ended_on": ended_on, "end_reason": reason}


def event_error(
    earlier: list[tuple[str, datetime.date]],
    status: str,
    day: datetime.date,
    *,
    application_date: datetime.date | None,
    today: datetime.date,
) -> str | None:
    """Why an event cannot follow the ``earlier`` ones (all dated on or before it), or None."""
    label = PatentStatus(status).label
    if day > today:
        return gettext("状态日期 {date} 晚于今天").format(date=day.isoformat())
    if application_date and day < application_date:
        return gettext("“{label}”的日期 {date} 早于申请日 {filed}").format(
            label=label, date=day.isoformat(), filed=application_date.isoformat()
        )
    grant = next((d for s, d in earlier if s == PatentStatus.GRANTED), None)
    end = next(((s, d) for s, d in earlier if s in ENDING), None)
    if end is not None:
        return gettext("该专利已于 {date} {ended}，此后不能再登记“{label}”").format(
            date=end[1].isoformat(), ended=PatentStatus(end[0]).label, label=label
        )
    if status == PatentStatus.PENDING:
        if any(s == PatentStatus.PENDING for s, _ in earlier):
            return gettext("已登记“审查中”（申请受理），不能重复登记")
        if grant is not None:
            return gettext("已于 {date} 授权的专利不能再登记“审查中”").format(date=grant.isoformat())
    elif status == PatentStatus.GRANTED and grant is not None:
        return gettext("该专利已于 {date} 授权，不能重复登记授权").format(date=grant.isoformat())
    elif status in (PatentStatus.LAPSED, PatentStatus.INVALIDATED):
        if grant is None:
            return gettext("只有已授权的专利才能登记“{label}”；未授权的申请请登记“驳回或撤回”").format(label=label)
        if day <= grant:
            return gettext("“{label}”的日期应晚于授权日期 {date}").format(label=label, date=grant.isoformat())
    elif status == PatentStatus.REJECTED and grant is not None:
        return gettext("已授权的专利不能登记“驳回或撤回”，请登记“失效”或“无效”")
    return None


def sequence_error(
    events: Iterable[tuple[str, datetime.date]], *, application_date: datetime.date | None, today=None
) -> str | None:
    """The first contradiction in a patent's events taken in date order, or None."""
    today = today or timezone.localdate()
    seen: list[tuple[str, datetime.date]] = []
    for status, day in sorted(events, key=_sort_key):
        if error := event_error(seen, status, day, application_date=application_date, today=today):
            return error
        seen.append((status, day))
    return None


def _events_of(patent: Patent) -> list[tuple[str, datetime.date]]:
    return list(patent.events.values_list("status", "date"))


def _refresh(actor, patent: Patent) -> Patent:
    """Recompute the stored grant and end dates from the events (saved and audited only when they change)."""
    derived = derive(patent, _events_of(patent))
    if all(getattr(patent, name) == value for name, value in derived.items()):
        return patent
    return record_update(actor=actor, instance=patent, data=derived, check=False)


# --- patents ---------------------------------------------------------------------------------------------


def _number_taken(number: str, exclude_pk: int | None = None) -> None:
    taken = Patent.objects.filter(number=number).exclude(pk=exclude_pk)
    if taken.exists():
        raise ServiceError(
            {"number": [gettext("申请号 {number} 已经登记，请在专利列表中查找并编辑").format(number=number)]}
        )


@transaction.atomic
def patent_create(
    *,
    actor,
    owners: list[OwnerSpec],
    grant_date: datetime.date | None = None,
    events: Iterable[tuple[str, datetime.date]] = (),
    **fields,
) -> Patent:
    """Register a patent with its owners; its application is recorded as 审查中 on the filing date, and a grant
    date (or further events) as dated events."""
    patent = Patent(**fields)
    patent.number = normalise_patent(patent.number)
    patent.patent_type = patent.patent_type or number_type(patent.number) or ""
    apply_owners(patent, owners)
    _number_taken(patent.number)
    timeline = [(PatentStatus.PENDING, patent.application_date)] if patent.application_date else []
    if grant_date is not None:
        timeline.append((PatentStatus.GRANTED, grant_date))
    timeline += list(events)
    if patent.application_date:
        if error := sequence_error(timeline, application_date=patent.application_date):
            raise ServiceError({"grant_date" if grant_date else "__all__": [error]})
        for name, value in derive(patent, timeline).items():
            setattr(patent, name, value)
    record_create(actor=actor, instance=patent, check=actor is not None)
    PatentOwner.objects.bulk_create(owner_rows(patent, owners))
    del patent.pending_owners
    for status, day in sorted(timeline, key=_sort_key):
        record_create(actor=actor, instance=PatentEvent(patent=patent, status=status, date=day), check=False)
    return patent


@transaction.atomic
def patent_update(*, actor, patent: Patent, data: dict, owners: list[OwnerSpec] | None = None) -> Patent:
    """Change a patent's own fields and, when given, its owners (the patent may move to another region)."""
    data = dict(data)
    stored = Patent.objects.get(pk=patent.pk)
    if actor is not None:
        ensure_may(actor, "change", stored)
    if "number" in data:
        data["number"] = normalise_patent(data["number"])
        _number_taken(data["number"], exclude_pk=patent.pk)
    if "patent_type" in data and not data["patent_type"]:
        data["patent_type"] = number_type(data.get("number", stored.number)) or ""
    new_owners = None
    if owners is not None:
        current = [stored_owner_key(o) for o in stored.owners.all()]
        if [o.key() for o in owners] != current or [o.name for o in owners] != stored.owner_names:
            new_owners = owners
            apply_owners(patent, owners)
            data.update(owner_names=patent.owner_names, region=patent.region)
    filed = data.get("application_date", stored.application_date)
    events = _events_of(stored)
    if filed != stored.application_date:
        # The filing is recorded as 审查中 on the filing date: it moves with a corrected date.
        events = [(s, filed if s == PatentStatus.PENDING and d == stored.application_date else d) for s, d in events]
    if error := sequence_error(events, application_date=filed):
        raise ServiceError({"application_date": [error]})
    candidate = Patent(application_date=filed, patent_type=data.get("patent_type", stored.patent_type))
    data.update(derive(candidate, events))
    record_update(actor=actor, instance=patent, data=data, check=actor is not None)
    if filed != stored.application_date:
        for event in stored.events.filter(status=PatentStatus.PENDING, date=stored.application_date):
            record_update(actor=actor, instance=event, data={"date": filed}, check=False)
    if new_owners is not None:
        patent.owners.all().delete()
        PatentOwner.objects.bulk_create(owner_rows(patent, new_owners))
    if hasattr(patent, "pending_owners"):
        del patent.pending_owners
    return patent


def patent_delete(*, actor, patent: Patent) -> None:
    """Delete a patent with its owners and events; the audit trail keeps its last state."""
    record_delete(actor=actor, instance=patent)


@transaction.atomic
def patent_event_add(*, actor, patent: Patent, status: str, date: datetime.date, note: str = "") -> PatentEvent:
    """Record a dated legal-status event (授权, 转让, 失效 …) after checking it fits the patent's history."""
    if actor is not None:
        ensure_may(actor, "change", patent)
    events = _events_of(patent)
    if (status, date) in events:
        raise ServiceError(
            {"date": [gettext("该专利已登记 {date} 的“{label}”").format(date=date, label=PatentStatus(status).label)]}
        )
    if error := sequence_error([*events, (status, date)], application_date=patent.application_date):
        raise ServiceError({"date": [error]})
    event = record_create(
        actor=actor, instance=PatentEvent(patent=patent, status=status, date=date, note=note), check=False
    )
    _refresh(actor, patent)
    return event


@transaction.atomic
def patent_event_delete(*, actor, instance: PatentEvent) -> None:
    """Remove an event entered by mistake, if the history left behind still holds together."""
    patent = instance.patent
    if actor is not None:
        ensure_may(actor, "change", patent)
    rest = [(s, d) for pk, s, d in patent.events.values_list("pk", "status", "date") if pk != instance.pk]
    if error := sequence_error(rest, application_date=patent.application_date):
        raise ServiceError(gettext("删除后法律状态前后矛盾：{error}。请先删除后面的状态").format(error=error))
    record_delete(actor=actor, instance=instance, check=False)
    _refresh(actor, patent)


# --- many at once (imports, the demo) ---------------------------------------------------------------------


@dataclass
class PatentDraft:
    """A new patent checked and ready to write, with its owners and its events."""

    patent: Patent
    owners: list[OwnerSpec]
    events: list[tuple[str, datetime.date]]


@dataclass
class PatentChange:
    """Changes to a stored patent: field values, a new list of owners (or None), events to append."""

    patent: Patent
    changed: dict
    owners: list[OwnerSpec] | None
    events: list[tuple[str, datetime.date]]


def patents_bulk_write(*, actor, drafts: list[PatentDraft] = (), changes: list[PatentChange] = (),
                       batch: int = 1000) -> None:  # fmt: skip
    """Write checked patents in bulk, each with one audit row (and one per event), in the caller's transaction.
    The drafts must carry their derived values already (``apply_owners``, ``derive``)."""
    from kechuang.core.audit import audit_bulk, snapshot
    from kechuang.core.choices import AuditAction

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("patents_bulk_write must run inside a transaction")
    for start in range(0, len(drafts), batch):
        chunk = drafts[start : start + batch]
        patents = Patent.objects.bulk_create([draft.patent for draft in chunk])
        PatentOwner.objects.bulk_create([row for draft in chunk for row in owner_rows(draft.patent, draft.owners)])
        events = PatentEvent.objects.bulk_create(
            [
                PatentEvent(patent=d.patent, status=s, date=day)
                for d in chunk
                for s, day in sorted(d.events, key=_sort_key)
            ]
        )
        audit_bulk(actor=actor, action=AuditAction.CREATE, entries=[(p, None, snapshot(p)) for p in patents])
        audit_bulk(actor=actor, action=AuditAction.CREATE, entries=[(e, None, snapshot(e)) for e in events])
        for draft in chunk:
            draft.patent.__dict__.pop("pending_owners", None)
    for start in range(0, len(changes), batch):
        chunk = changes[start : start + batch]
        entries, fields = [], set()
        for change in chunk:
            before = snapshot(change.patent)
            for name, value in change.changed.items():
                setattr(change.patent, name, value)
            fields.update(change.changed)
            if before != snapshot(change.patent):
                entries.append((change.patent, before, snapshot(change.patent)))
        if fields:
            Patent.objects.bulk_update([c.patent for c in chunk if c.changed], sorted(fields))
        audit_bulk(actor=actor, action=AuditAction.UPDATE, entries=entries)
        moved = [c for c in chunk if c.owners is not None]
        PatentOwner.objects.filter(patent__in=[c.patent for c in moved]).delete()
        PatentOwner.objects.bulk_create([row for c in moved for row in owner_rows(c.patent, c.owners)])
        events = PatentEvent.objects.bulk_create(
            [PatentEvent(patent=c.patent, status=s, date=day) for c in chunk for s, day in c.events]
        )
        audit_bulk(actor=actor, action=AuditAction.CREATE, entries=[(e, None, snapshot(e)) for e in events])


def other_ip_bulk_create(*, actor, records: list[OtherIP]) -> list[OtherIP]:
    """Create checked other-IP records in bulk, each with its audit row, in the caller's transaction."""
    from kechuang.core.audit import audit_bulk, snapshot
    from kechuang.core.choices import AuditAction

    created = OtherIP.objects.bulk_create(records)
    audit_bulk(actor=actor, action=AuditAction.CREATE, entries=[(r, None, snapshot(r)) for r in created])
    return created


# --- other IP --------------------------------------------------------------------------------------------


def other_ip_create(*, actor, **fields) -> OtherIP:
    return record_create(actor=actor, instance=OtherIP(**fields), check=actor is not None)


def other_ip_update(*, actor, instance: OtherIP, data: dict) -> OtherIP:
    return record_update(actor=actor, instance=instance, data=data, check=actor is not None)


def other_ip_delete(*, actor, instance: OtherIP) -> None:
    record_delete(actor=actor, instance=instance)
