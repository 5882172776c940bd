"""/api/v1/achievements: S&T achievements, conversions, technology contracts and awards (科技成果、技术合同、科技奖励).

Reads go through restrict(), so a record outside the caller's scope answers 404 and its existence does not
leak; writes go through the services, which check the permission (403) and write the audit rows in the same
transaction. Codes in a payload (credit codes, registration numbers, region codes) are turned into records here.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from kechuang.core.access import ensure_may
from kechuang.core.exceptions import ServiceError
from kechuang.core.validators import normalise_uscc
from kechuang.orgs.apikit import region_by_code
from kechuang.orgs.models import Organisation

from . import selectors, services
from .models import Achievement, Award, Conversion, TechContract, normalise_number
from .references import UnitNotFound, resolve_units
from .schemas import (
    AchievementFilters,
    AchievementIn,
    AchievementOut,
    AchievementPatch,
    AwardFilters,
    AwardIn,
    AwardOut,
    AwardPatch,
    ContractFilters,
    ContractIn,
    ContractOut,
    ContractPatch,
    ConversionFilters,
    ConversionIn,
    ConversionOut,
    ConversionPatch,
    ErrorOut,
)

router = Router(tags=[_("科技成果")])

READ_ERRORS = {404: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


# --- payload codes → records -------------------------------------------------------------------------------


def _organisation(code: str | None, field: str) -> Organisation | None:
    if not code:
        return None
    organisation = Organisation.objects.filter(uscc=normalise_uscc(code)).first()
    if organisation is None:
        raise ServiceError({field: [gettext("统一社会信用代码“{code}”不在单位档案中").format(code=code)]})
    return organisation


def _achievement_ref(request, number: str | None) -> Achievement | None:
    if not number:
        return None
    achievement = selectors.achievement_list(user=request.user).filter(number=normalise_number(number)).first()
    if achievement is None:
        message = gettext("登记号“{number}”的科技成果不存在或不在您的管辖范围内").format(number=number)
        raise ServiceError({"achievement": [message]})
    return achievement


def _units(tokens: list[str] | None):
    if tokens is None:
        return None
    try:
        return resolve_units([t.strip() for t in tokens if t and t.strip()])
    except UnitNotFound as error:
        raise ServiceError({"units": [str(error)]}) from None


def _filters(filters) -> dict:
    data = filters.dict(exclude_none=True)
    if "region" in data:
        data["region"] = region_by_code(data["region"])
    return data


def _records(request, data: dict, organisations: tuple[str, ...] = ()) -> dict:
    """The payload with credit codes, numbers and region codes replaced by records."""
    data = dict(data)
    for name in organisations:
        if name in data:
            data[name] = _organisation(data[name], name)
    if "achievement" in data:
        data["achievement"] = _achievement_ref(request, data["achievement"])
    if "buyer_region" in data:
        data["buyer_region"] = region_by_code(data["buyer_region"], "buyer_region")
    if data.get("evaluation_conclusion", "") is None:
        data["evaluation_conclusion"] = ""
    return data


# --- achievements ------------------------------------------------------------------------------------------


def _achievement(request, pk: int, action: str = "view"):
    return selectors.achievement_list(user=request.user, action=action).get(pk=pk)


@router.get("/", response=list[AchievementOut], summary=_("科技成果列表"))
@paginate(LimitOffsetPagination, max_limit=200)
def achievement_list(request, filters: Query[AchievementFilters]):
    return selectors.achievement_list(user=request.user, filters=_filters(filters))


@router.get("/{int:achievement_id}", response={200: AchievementOut, **READ_ERRORS}, summary=_("科技成果详情"))
def achievement_detail(request, achievement_id: int):
    return _achievement(request, achievement_id)


@router.post("/", response={201: AchievementOut, **WRITE_ERRORS}, summary=_("登记科技成果"))
def achievement_create(request, payload: AchievementIn):
    services.ensure_may_add(request.user, Achievement)
    data = _records(request, payload.dict(), organisations=("organisation",))
    units = _units(data.pop("units"))
    achievement = services.achievement_create(actor=request.user, units=units, **data)
    return Status(201, _achievement(request, achievement.pk))


@router.patch("/{int:achievement_id}", response={200: AchievementOut, **WRITE_ERRORS}, summary=_("修改科技成果"))
def achievement_update(request, achievement_id: int, payload: AchievementPatch):
    achievement = _achievement(request, achievement_id)
    ensure_may(request.user, "change", achievement)
    data = _records(request, payload.dict(exclude_unset=True), organisations=("organisation",))
    units = _units(data.pop("units", None))
    services.achievement_update(actor=request.user, achievement=achievement, data=data, units=units)
    return _achievement(request, achievement_id)


@router.delete("/{int:achievement_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除科技成果"))
def achievement_delete(request, achievement_id: int):
    services.achievement_delete(actor=request.user, achievement=_achievement(request, achievement_id))
    return Status(204, None)


# --- conversions -------------------------------------------------------------------------------------------


def _conversion(request, pk: int):
    return selectors.conversion_list(user=request.user).get(pk=pk)


@router.get("/conversions", response=list[ConversionOut], summary=_("成果转化列表"))
@paginate(LimitOffsetPagination, max_limit=200)
def conversion_list(request, filters: Query[ConversionFilters]):
    return selectors.conversion_list(user=request.user, filters=_filters(filters))


@router.get("/conversions/{int:conversion_id}", response={200: ConversionOut, **READ_ERRORS}, summary=_("成果转化详情"))
def conversion_detail(request, conversion_id: int):
    return _conversion(request, conversion_id)


@router.post("/conversions", response={201: ConversionOut, **WRITE_ERRORS}, summary=_("登记成果转化"))
def conversion_create(request, payload: ConversionIn):
    services.ensure_may_add(request.user, Conversion)
    data = _records(request, payload.dict(), organisations=("organisation",))
    conversion = services.conversion_create(actor=request.user, **data)
    return Status(201, _conversion(request, conversion.pk))


@router.patch(
    "/conversions/{int:conversion_id}", response={200: ConversionOut, **WRITE_ERRORS}, summary=_("修改成果转化")
)
def conversion_update(request, conversion_id: int, payload: ConversionPatch):
    conversion = _conversion(request, conversion_id)
    ensure_may(request.user, "change", conversion)
    data = _records(request, payload.dict(exclude_unset=True), organisations=("organisation",))
    services.conversion_update(actor=request.user, conversion=conversion, data=data)
    return _conversion(request, conversion_id)


@router.delete("/conversions/{int:conversion_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除成果转化"))
def conversion_delete(request, conversion_id: int):
    services.conversion_delete(actor=request.user, conversion=_conversion(request, conversion_id))
    return Status(204, None)


# --- technology contracts ----------------------------------------------------------------------------------


def _contract(request, pk: int):
    return selectors.contract_list(user=request.user).get(pk=pk)


def _buyer_fields(data: dict) -> dict:
    """A buyer in the register needs no name or region of its own."""
    if data.get("buyer") is not None:
        data = {**data, "buyer_name": "", "buyer_region": None}
    return data


@router.get("/contracts", response=list[ContractOut], summary=_("技术合同列表"))
@paginate(LimitOffsetPagination, max_limit=200)
def contract_list(request, filters: Query[ContractFilters]):
    return selectors.contract_list(user=request.user, filters=_filters(filters))


@router.get("/contracts/{int:contract_id}", response={200: ContractOut, **READ_ERRORS}, summary=_("技术合同详情"))
def contract_detail(request, contract_id: int):
    return _contract(request, contract_id)


@router.post("/contracts", response={201: ContractOut, **WRITE_ERRORS}, summary=_("登记技术合同"))
def contract_create(request, payload: ContractIn):
    services.ensure_may_add(request.user, TechContract)
    data = _buyer_fields(_records(request, payload.dict(), organisations=("seller", "buyer")))
    contract = services.contract_create(actor=request.user, **data)
    return Status(201, _contract(request, contract.pk))


@router.patch("/contracts/{int:contract_id}", response={200: ContractOut, **WRITE_ERRORS}, summary=_("修改技术合同"))
def contract_update(request, contract_id: int, payload: ContractPatch):
    contract = _contract(request, contract_id)
    ensure_may(request.user, "change", contract)
    data = _buyer_fields(_records(request, payload.dict(exclude_unset=True), organisations=("seller", "buyer")))
    services.contract_update(actor=request.user, contract=contract, data=data)
    return _contract(request, contract_id)


@router.delete("/contracts/{int:contract_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除技术合同"))
def contract_delete(request, contract_id: int):
    services.contract_delete(actor=request.user, contract=_contract(request, contract_id))
    return Status(204, None)


# --- awards ------------------------------------------------------------------------------------------------


def _award(request, pk: int):
    return selectors.award_list(user=request.user).get(pk=pk)


@router.get("/awards", response=list[AwardOut], summary=_("科技奖励列表"))
@paginate(LimitOffsetPagination, max_limit=200)
def award_list(request, filters: Query[AwardFilters]):
    return selectors.award_list(user=request.user, filters=_filters(filters))


@router.get("/awards/{int:award_id}", response={200: AwardOut, **READ_ERRORS}, summary=_("科技奖励详情"))
def award_detail(request, award_id: int):
    return _award(request, award_id)


@router.post("/awards", response={201: AwardOut, **WRITE_ERRORS}, summary=_("登记科技奖励"))
def award_create(request, payload: AwardIn):
    services.ensure_may_add(request.user, Award)
    data = _records(request, payload.dict(), organisations=("organisation",))
    units, people = _units(data.pop("units")), data.pop("people")
    award = services.award_create(actor=request.user, units=units, people=people, **data)
    return Status(201, _award(request, award.pk))


@router.patch("/awards/{int:award_id}", response={200: AwardOut, **WRITE_ERRORS}, summary=_("修改科技奖励"))
def award_update(request, award_id: int, payload: AwardPatch):
    award = _award(request, award_id)
    ensure_may(request.user, "change", award)
    data = _records(request, payload.dict(exclude_unset=True), organisations=("organisation",))
    units, people = _units(data.pop("units", None)), data.pop("people", None)
    services.award_update(actor=request.user, award=award, data=data, units=units, people=people)
    return _award(request, award_id)


@router.delete("/awards/{int:award_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除科技奖励"))
def award_delete(request, award_id: int):
    services.award_delete(actor=request.user, award=_award(request, award_id))
    return Status(204, None)


__all__ = ["router"]
