"""/api/v1/activities: the innovation competitions, trainings, science popularisation and its spending (科技活动、科普).

Reads go through the selectors (restrict()), so a record outside the caller's scope answers 404; writes go
through the services (permission 403, rules 400, audit row in the same transaction). A region code and an
organisation's credit code in a payload are turned into records here and nothing else is.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from kechuang.core.access import AccessDenied, ensure_permitted, permitted
from kechuang.orgs.apikit import organisation_in_scope, region_by_code
from kechuang.orgs.schemas import ErrorOut
from kechuang.regions.models import Region

from . import selectors, services
from .models import Activity, PopularisationSpending
from .schemas import (
    ActivityFilters,
    ActivityIn,
    ActivityOut,
    ActivityPatch,
    PerResidentOut,
    SpendingFilters,
    SpendingIn,
    SpendingOut,
    SpendingPatch,
)

router = Router(tags=[_("科技活动")])

READ_ERRORS = {400: ErrorOut, 404: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _records(request, data: dict) -> dict:
    if "region" in data:
        data["region"] = region_by_code(data["region"])
    if "organisation" in data:
        data["organisation"] = organisation_in_scope(request.user, data["organisation"])
    return data


# --- popularisation spending (before /{activity_id}, whose path would not match it anyway) --------------------


def _spending(request, pk: int) -> PopularisationSpending:
    return selectors.spending_list(user=request.user).get(pk=pk)


@router.get("/spending", response=list[SpendingOut], summary=_("科普经费列表"))
@paginate(LimitOffsetPagination, max_limit=200)
def spending_list(request, filters: Query[SpendingFilters]):
    data = filters.dict(exclude_none=True)
    return selectors.spending_list(user=request.user, filters=_records(request, data))


@router.get(
    "/spending/per-resident",
    response={200: PerResidentOut, **READ_ERRORS},
    summary=_("年人均科普经费"),
    description=_("区划及其下级的科普经费合计除以该区划该年度常住人口。"),
)
def spending_per_resident(request, region: str, year: int):
    if not permitted(request.user, PopularisationSpending, "view"):
        raise AccessDenied(gettext("无权查看科普经费"))
    area = region_by_code(region)
    if not selectors.region_in_scope(user=request.user, region=area):
        raise Region.DoesNotExist
    figure = selectors.popularisation_per_resident(user=request.user, year=year, region=area)
    value = figure.value
    return {
        "region": area.code,
        "region_name": area.name,
        "year": year,
        "spending": figure.spending,
        "population": figure.population,
        "per_resident": None if value is None else value.quantize(Decimal("0.01"), ROUND_HALF_UP),
    }


@router.get("/spending/{spending_id}", response={200: SpendingOut, **READ_ERRORS}, summary=_("科普经费详情"))
def spending_detail(request, spending_id: int):
    return _spending(request, spending_id)


@router.post("/spending", response={201: SpendingOut, **WRITE_ERRORS}, summary=_("登记科普经费"))
def spending_create(request, payload: SpendingIn):
    ensure_permitted(request.user, PopularisationSpending, "add")
    return Status(201, services.spending_create(actor=request.user, **_records(request, payload.dict())))


@router.patch("/spending/{spending_id}", response={200: SpendingOut, **WRITE_ERRORS}, summary=_("修改科普经费"))
def spending_update(request, spending_id: int, payload: SpendingPatch):
    spending = _spending(request, spending_id)
    data = payload.dict(exclude_unset=True)
    return services.spending_update(actor=request.user, spending=spending, data=data)


@router.delete("/spending/{spending_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除科普经费"))
def spending_delete(request, spending_id: int):
    services.spending_delete(actor=request.user, spending=_spending(request, spending_id))
    return Status(204, None)


# --- activities --------------------------------------------------------------------------------------------


def _activity(request, pk: int) -> Activity:
    return selectors.activity_list(user=request.user).get(pk=pk)


@router.get("/", response=list[ActivityOut], summary=_("科技活动列表"))
@paginate(LimitOffsetPagination, max_limit=200)
def activity_list(request, filters: Query[ActivityFilters]):
    data = filters.dict(exclude_none=True)
    return selectors.activity_list(user=request.user, filters=_records(request, data))


@router.get("/{activity_id}", response={200: ActivityOut, **READ_ERRORS}, summary=_("科技活动详情"))
def activity_detail(request, activity_id: int):
    return _activity(request, activity_id)


@router.post("/", response={201: ActivityOut, **WRITE_ERRORS}, summary=_("新增科技活动"))
def activity_create(request, payload: ActivityIn):
    ensure_permitted(request.user, Activity, "add")
    return Status(201, services.activity_create(actor=request.user, **_records(request, payload.dict())))


@router.patch("/{activity_id}", response={200: ActivityOut, **WRITE_ERRORS}, summary=_("修改科技活动"))
def activity_update(request, activity_id: int, payload: ActivityPatch):
    activity = _activity(request, activity_id)
    ensure_permitted(request.user, Activity, "change")
    data = _records(request, payload.dict(exclude_unset=True))
    return services.activity_update(actor=request.user, activity=activity, data=data)


@router.delete("/{activity_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除科技活动"))
def activity_delete(request, activity_id: int):
    services.activity_delete(actor=request.user, activity=_activity(request, activity_id))
    return Status(204, None)


__all__ = ["router"]
