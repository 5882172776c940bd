"""/api/v1/ip: patents with their legal-status events, and other IP (知识产权).

Reads go through restrict(), so a record outside the caller's scope answers 404; writes go through the
services, which check the permission (403) and write the audit rows in the same transaction.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from kechuang.core.access import ACTION_LABELS, AccessDenied, permitted, restrict
from kechuang.core.exceptions import ServiceError
from kechuang.core.validators import normalise_uscc
from kechuang.orgs.apikit import region_by_code
from kechuang.orgs.models import Organisation

from . import selectors, services
from .models import OtherIP, Patent, PatentEvent
from .schemas import (
    ErrorOut,
    EventIn,
    EventOut,
    OtherIPFilters,
    OtherIPIn,
    OtherIPOut,
    OtherIPPatch,
    OwnerIn,
    PatentFilters,
    PatentIn,
    PatentOut,
    PatentPatch,
    PatentSummaryOut,
)

router = Router(tags=[_("知识产权")])

READ_ERRORS = {404: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _require(request, model, action: str) -> None:
    """Refuse (403) before looking anything up when the role may not do this at all."""
    if not permitted(request.user, model, action):
        raise AccessDenied(
            gettext("无权{action}{model}").format(action=ACTION_LABELS[action], model=model._meta.verbose_name)
        )


def _owners(owners: list[OwnerIn]) -> list[services.OwnerSpec]:
    """Owner payloads → OwnerSpecs (credit code → the registered organisation; a name with its region)."""
    items, problems = [], []
    for position, owner in enumerate(owners, 1):
        item = normalise_uscc(owner.uscc) if owner.uscc else (owner.name or "").strip()
        if not item:
            problems.append(gettext("第{n}个专利权人须填写统一社会信用代码或名称").format(n=position))
        items.append(item)
    if problems:
        raise ServiceError({"owners": problems})
    regions = [region_by_code(owner.region, "owners") for owner in owners]
    specs, problems = services.OwnerResolver(items).resolve(items, first_region=regions[0])
    if problems:
        raise ServiceError({"owners": problems})
    return [
        services.OwnerSpec(name=spec.name, region=region) if spec.organisation is None and region else spec
        for spec, region in zip(specs, regions, strict=True)
    ]


# --- patents -----------------------------------------------------------------------------------------------


def _patent(request, patent_id: int, action: str = "view") -> Patent:
    return selectors.patent_get(user=request.user, pk=patent_id, action=action)


def _with_children(queryset):
    return queryset.prefetch_related("owners__organisation", "owners__region", "events")


@router.get("/patents", response=list[PatentOut], summary=_("专利列表"))
@paginate(LimitOffsetPagination, max_limit=200)
def patent_list(request, filters: Query[PatentFilters]):
    data = filters.dict(exclude_none=True)
    if "region" in data:
        data["region"] = region_by_code(data["region"])
    if "organisation" in data:
        data["organisation"] = restrict(Organisation, request.user).filter(pk=data["organisation"]).first()
        if data["organisation"] is None:
            return Patent.objects.none()
    return _with_children(selectors.patent_list(user=request.user, filters=data))


@router.get("/patents/summary", response={200: PatentSummaryOut, **WRITE_ERRORS}, summary=_("专利统计"))
def patent_summary(request, since: int, until: int, region: str | None = None, day: datetime.date | None = None):
    """Applications and grants by type over the years since…until, invention patents in force on a day (default
    31 December of ``until``) and per 10,000 residents — counted over the patents the caller may see."""
    _require(request, Patent, "view")
    area = region_by_code(region)
    day = day or datetime.date(until, 12, 31)
    per_10k = None
    if area is not None:
        value = selectors.inventions_per_10k(region=area, year=day.year, user=request.user)
        if value is not None and day == datetime.date(day.year, 12, 31):
            per_10k = str(value.quantize(Decimal("0.01"), ROUND_HALF_UP))
    return {
        "region": area.code if area else None,
        "since": since,
        "until": until,
        "applications": selectors.patent_applications(since=since, until=until, region=area, user=request.user).counts,
        "grants": selectors.patent_grants(since=since, until=until, region=area, user=request.user).counts,
        "day": day,
        "valid_inventions": selectors.valid_inventions(day=day, region=area, user=request.user).count(),
        "per_10k": per_10k,
    }


@router.get("/patents/{patent_id}", response={200: PatentOut, **READ_ERRORS}, summary=_("专利详情"))
def patent_detail(request, patent_id: int):
    return _with_children(restrict(Patent, request.user).select_related("region")).get(pk=patent_id)


@router.post("/patents", response={201: PatentOut, **WRITE_ERRORS}, summary=_("新增专利"))
def patent_create(request, payload: PatentIn):
    _require(request, Patent, "add")
    data = payload.dict()
    owners = _owners(payload.owners)
    data.pop("owners")
    data["patent_type"] = data["patent_type"] or ""
    patent = services.patent_create(actor=request.user, owners=owners, **data)
    return Status(201, _with_children(Patent.objects.select_related("region")).get(pk=patent.pk))


@router.patch("/patents/{patent_id}", response={200: PatentOut, **WRITE_ERRORS}, summary=_("修改专利"))
def patent_update(request, patent_id: int, payload: PatentPatch):
    patent = _patent(request, patent_id)
    data = payload.dict(exclude_unset=True)
    owners = _owners(payload.owners) if "owners" in data else None
    data.pop("owners", None)
    if "patent_type" in data:
        data["patent_type"] = data["patent_type"] or ""
    services.patent_update(actor=request.user, patent=patent, data=data, owners=owners)
    return _with_children(Patent.objects.select_related("region")).get(pk=patent.pk)


@router.delete("/patents/{patent_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除专利"))
def patent_delete(request, patent_id: int):
    services.patent_delete(actor=request.user, patent=_patent(request, patent_id))
    return Status(204, None)


@router.post("/patents/{patent_id}/events", response={201: EventOut, **WRITE_ERRORS}, summary=_("登记法律状态"))
def event_create(request, patent_id: int, payload: EventIn):
    patent = _patent(request, patent_id)
    return Status(201, services.patent_event_add(actor=request.user, patent=patent, **payload.dict()))


@router.delete("/patents/events/{event_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除法律状态"))
def event_delete(request, event_id: int):
    visible = restrict(Patent, request.user)
    event = PatentEvent.objects.select_related("patent").get(pk=event_id, patent__in=visible)
    services.patent_event_delete(actor=request.user, instance=event)
    return Status(204, None)


# --- other IP ----------------------------------------------------------------------------------------------


def _other(request, record_id: int) -> OtherIP:
    return restrict(OtherIP, request.user).select_related("organisation").get(pk=record_id)


@router.get("/other", response=list[OtherIPOut], summary=_("其他知识产权列表"))
@paginate(LimitOffsetPagination, max_limit=200)
def other_list(request, filters: Query[OtherIPFilters]):
    data = filters.dict(exclude_none=True)
    if "region" in data:
        data["region"] = region_by_code(data["region"])
    return selectors.other_ip_list(user=request.user, filters=data)


@router.get("/other/{record_id}", response={200: OtherIPOut, **READ_ERRORS}, summary=_("其他知识产权详情"))
def other_detail(request, record_id: int):
    return _other(request, record_id)


@router.post("/other", response={201: OtherIPOut, **WRITE_ERRORS}, summary=_("新增其他知识产权"))
def other_create(request, payload: OtherIPIn):
    _require(request, OtherIP, "add")
    data = payload.dict()
    code = normalise_uscc(data.pop("uscc"))
    organisation = restrict(Organisation, request.user).filter(uscc=code).first()
    if organisation is None:
        raise ServiceError(
            {"uscc": [gettext("统一社会信用代码为 {code} 的单位不存在或不在您的管辖范围内").format(code=code)]}
        )
    return Status(201, services.other_ip_create(actor=request.user, organisation=organisation, **data))


@router.patch("/other/{record_id}", response={200: OtherIPOut, **WRITE_ERRORS}, summary=_("修改其他知识产权"))
def other_update(request, record_id: int, payload: OtherIPPatch):
    record = _other(request, record_id)
    return services.other_ip_update(actor=request.user, instance=record, data=payload.dict(exclude_unset=True))


@router.delete("/other/{record_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除其他知识产权"))
def other_delete(request, record_id: int):
    services.other_ip_delete(actor=request.user, instance=_other(request, record_id))
    return Status(204, None)


__all__ = ["router"]
