"""/api/v1/carriers: the innovation carriers and their tenants (创新载体) registry.

Reads go through the selectors (restrict()), so a record outside the caller's scope answers 404; writes go
through the services (permission 403, rules 400, audit row in the same transaction). Codes in a payload (a
host's or tenant's credit code, a region code, a carrier id) are turned into records here and nothing else is.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from kechuang.core.access import ensure_permitted
from kechuang.core.exceptions import ServiceError
from kechuang.orgs.apikit import organisation_in_scope, region_by_code
from kechuang.orgs.schemas import ErrorOut

from . import selectors, services
from .models import Carrier, Tenant
from .schemas import (
    CarrierCountOut,
    CarrierFilters,
    CarrierIn,
    CarrierOut,
    CarrierPatch,
    TenantFilters,
    TenantIn,
    TenantOut,
    TenantPatch,
)

router = Router(tags=[_("创新载体")])

READ_ERRORS = {404: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


# --- payload codes → records -------------------------------------------------------------------------------


def _carrier_ref(request, pk: int) -> Carrier:
    carrier = selectors.tenant_choices(user=request.user).filter(pk=pk).first()
    if carrier is None:
        message = gettext("编号为 {pk} 的科技企业孵化器或众创空间不存在或不在您的管辖范围内").format(pk=pk)
        raise ServiceError({"carrier": [message]})
    return carrier


def _carrier_data(request, data: dict) -> dict:
    if "host" in data:
        data["host"] = organisation_in_scope(request.user, data["host"], "host")
    if "region" in data:
        data["region"] = region_by_code(data["region"])
    return data


def _tenant_data(request, data: dict) -> dict:
    if "carrier" in data:
        data["carrier"] = _carrier_ref(request, data["carrier"])
    if "organisation" in data:
        data["organisation"] = organisation_in_scope(request.user, data["organisation"], "organisation")
    return data


def _filters(data: dict) -> dict:
    if data.get("region"):
        data["region"] = region_by_code(data["region"])
    return data


# --- carriers ----------------------------------------------------------------------------------------------


@router.get("/", response=list[CarrierOut], summary=_("创新载体列表"))
@paginate(LimitOffsetPagination, max_limit=200)
def carrier_list(request, filters: Query[CarrierFilters]):
    return selectors.carrier_list(user=request.user, filters=_filters(filters.dict(exclude_none=True)))


@router.get("/counts", response=list[CarrierCountOut], summary=_("年末有效载体数（按类型和级别）"))
def carrier_counts(request, year: int, region: str | None = None):
    counts = selectors.carrier_counts(user=request.user, year=year, region=region_by_code(region))
    return [{"kind": kind, "level": level, "count": n} for (kind, level), n in sorted(counts.items())]


@router.get("/tenants", response=list[TenantOut], summary=_("入驻企业列表"))
@paginate(LimitOffsetPagination, max_limit=200)
def tenant_list(request, filters: Query[TenantFilters]):
    return selectors.tenant_list(user=request.user, filters=_filters(filters.dict(exclude_none=True)))


@router.get("/{carrier_id}", response={200: CarrierOut, **READ_ERRORS}, summary=_("创新载体详情"))
def carrier_detail(request, carrier_id: int):
    return selectors.carrier_get(user=request.user, pk=carrier_id)


@router.post("/", response={201: CarrierOut, **WRITE_ERRORS}, summary=_("新增创新载体"))
def carrier_create(request, payload: CarrierIn):
    ensure_permitted(request.user, Carrier, "add")
    return Status(201, services.carrier_create(actor=request.user, **_carrier_data(request, payload.dict())))


@router.patch("/{carrier_id}", response={200: CarrierOut, **WRITE_ERRORS}, summary=_("修改创新载体"))
def carrier_update(request, carrier_id: int, payload: CarrierPatch):
    carrier = selectors.carrier_get(user=request.user, pk=carrier_id)
    ensure_permitted(request.user, Carrier, "change")
    data = _carrier_data(request, payload.dict(exclude_unset=True))
    return services.carrier_update(actor=request.user, carrier=carrier, data=data)


@router.delete("/{carrier_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除创新载体"))
def carrier_delete(request, carrier_id: int):
    services.carrier_delete(actor=request.user, carrier=selectors.carrier_get(user=request.user, pk=carrier_id))
    return Status(204, None)


# --- tenants -----------------------------------------------------------------------------------------------


def _tenant(request, pk: int):
    return selectors.tenant_list(user=request.user).get(pk=pk)


@router.get("/tenants/{tenant_id}", response={200: TenantOut, **READ_ERRORS}, summary=_("入驻企业详情"))
def tenant_detail(request, tenant_id: int):
    return _tenant(request, tenant_id)


@router.post("/tenants", response={201: TenantOut, **WRITE_ERRORS}, summary=_("新增入驻企业"))
def tenant_create(request, payload: TenantIn):
    ensure_permitted(request.user, Tenant, "add")
    return Status(201, services.tenant_create(actor=request.user, **_tenant_data(request, payload.dict())))


@router.patch("/tenants/{tenant_id}", response={200: TenantOut, **WRITE_ERRORS}, summary=_("修改入驻企业"))
def tenant_update(request, tenant_id: int, payload: TenantPatch):
    tenant = _tenant(request, tenant_id)
    ensure_permitted(request.user, Tenant, "change")
    data = _tenant_data(request, payload.dict(exclude_unset=True))
    return services.tenant_update(actor=request.user, tenant=tenant, data=data)


@router.delete("/tenants/{tenant_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除入驻企业"))
def tenant_delete(request, tenant_id: int):
    services.tenant_delete(actor=request.user, tenant=_tenant(request, tenant_id))
    return Status(204, None)


__all__ = ["router"]
