"""/api/v1/talent: the talents, S&T commissioners and their service logs (科技人才储备库、科技特派员) registry.

Reads go through restrict() (a record outside the caller's scope answers 404), writes through the services
(403 without the right, audit row in the same transaction). Identity numbers come back masked unless the
caller may read them (talent.identity).
"""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from kechuang.core.access import permitted, restrict
from kechuang.core.exceptions import AccessDenied, ServiceError
from kechuang.orgs.apikit import region_by_code
from kechuang.orgs.models import Organisation

from . import selectors, services
from .choices import TitleLevel
from .identity import may_see_identity
from .models import Commissioner, Person, Title
from .schemas import (
    CommissionerIn,
    CommissionerOut,
    CommissionerPatch,
    CommissionerSummaryOut,
    ErrorOut,
    PersonFilters,
    PersonIn,
    PersonOut,
    PersonPatch,
    ServiceLogIn,
    ServiceLogOut,
    ServiceLogPatch,
    TalentFiguresOut,
    TitleIn,
    TitleOut,
)

router = Router(tags=[_("科技人才")])

READ_ERRORS = {404: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

# --- payload codes → records -------------------------------------------------------------------------------


def _organisation(request, uscc: str | None, field: str = "organisation", scoped: bool = True):
    """The organisation of a credit code: a person's must be in the caller's scope; a sending unit may be any."""
    if not uscc:
        return None
    candidates = restrict(Organisation, request.user) if scoped else Organisation.objects.all()
    organisation = candidates.filter(uscc=uscc.strip().upper()).first()
    if organisation is None:
        raise ServiceError(
            {field: [gettext("统一社会信用代码“{code}”的单位不存在或不在您的管辖范围内").format(code=uscc)]}
        )
    return organisation


def _person_data(request, data: dict) -> dict:
    if "organisation" in data:
        data["organisation"] = _organisation(request, data["organisation"])
    if "region" in data:
        data["region"] = region_by_code(data["region"])
    if data.get("education") is None and "education" in data:
        data["education"] = ""
    return data


# --- people -------------------------------------------------------------------------------------------------


def _person(request, person_id: int, action: str = "view") -> Person:
    return selectors.person_get(user=request.user, pk=person_id, action=action)


def _fresh(request, person: Person) -> Person:
    return selectors.person_get(user=request.user, pk=person.pk)


@router.get("/people", response=list[PersonOut], summary=_("科技人才列表"))
@paginate(LimitOffsetPagination, max_limit=200)
def person_list(request, filters: Query[PersonFilters]):
    data = filters.dict(exclude_none=True)
    if "region" in data:
        data["region"] = region_by_code(data["region"])
    return selectors.person_list(user=request.user, filters=data)


@router.get("/people/{person_id}", response={200: PersonOut, **READ_ERRORS}, summary=_("科技人才详情"))
def person_detail(request, person_id: int):
    return _person(request, person_id)


@router.post("/people", response={201: PersonOut, **WRITE_ERRORS}, summary=_("新增科技人才"))
def person_create(request, payload: PersonIn):
    data = _person_data(request, payload.dict())
    person = services.person_create(actor=request.user, **data)
    return Status(201, _fresh(request, person))


@router.patch("/people/{person_id}", response={200: PersonOut, **WRITE_ERRORS}, summary=_("修改科技人才"))
def person_update(request, person_id: int, payload: PersonPatch):
    person = _person(request, person_id)
    data = _person_data(request, payload.dict(exclude_unset=True))
    if "organisation" in data and data["organisation"] is not None and "region" not in data:
        data["region"] = None  # moving to an organisation: the person's own region no longer applies
    services.person_update(actor=request.user, person=person, data=data)
    return _fresh(request, person)


@router.delete("/people/{person_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除科技人才"))
def person_delete(request, person_id: int):
    services.person_delete(actor=request.user, instance=_person(request, person_id))
    return Status(204, None)


@router.put(
    "/people/{person_id}/titles/{level}",
    response={200: TitleOut, **WRITE_ERRORS},
    summary=_("登记或修改某一级别的职称"),
    description=_("每人每个级别一条职称：已有则修改，没有则新增。"),
)
def title_save(request, person_id: int, level: TitleLevel, payload: TitleIn):
    person = _person(request, person_id)
    return services.title_save(actor=request.user, person=person, level=level, **payload.dict())


@router.delete("/people/{person_id}/titles/{level}", response={204: None, **WRITE_ERRORS}, summary=_("删除职称"))
def title_delete(request, person_id: int, level: TitleLevel):
    person = _person(request, person_id)
    services.title_delete(actor=request.user, instance=Title.objects.get(person=person, level=level))
    return Status(204, None)


# --- commissioners ------------------------------------------------------------------------------------------


def _commissioner(request, pk: int) -> Commissioner:
    return selectors.commissioner_list(user=request.user).get(pk=pk)


def _revealed(request, queryset):
    from django.db.models import Value

    return queryset.annotate(reveal_id=Value(may_see_identity(request.user)))


def _commissioner_data(request, data: dict) -> dict:
    if "township" in data:
        data["township"] = region_by_code(data["township"], "township")
    if "sending_unit" in data:
        data["sending_unit"] = _organisation(request, data["sending_unit"], "sending_unit", scoped=False)
    return data


@router.get("/commissioners", response=list[CommissionerOut], summary=_("科技特派员列表"))
@paginate(LimitOffsetPagination, max_limit=200)
def commissioner_list(request, year: int | None = None, township: str | None = None):
    filters = {"year": year, "township": region_by_code(township, "township")}
    return _revealed(request, selectors.commissioner_list(user=request.user, filters=filters))


@router.get(
    "/commissioners/summary",
    response=list[CommissionerSummaryOut],
    summary=_("科技特派员年度服务汇总"),
    description=_("某年度每名特派员的实地服务次数、服务天数、服务村数、培训次数和培训人数。"),
)
def commissioner_summary(request, year: int):
    return _revealed(request, selectors.commissioner_summary(user=request.user, year=year))


@router.get(
    "/commissioners/{commissioner_id}", response={200: CommissionerOut, **READ_ERRORS}, summary=_("科技特派员详情")
)
def commissioner_detail(request, commissioner_id: int):
    return _revealed(request, selectors.commissioner_list(user=request.user)).get(pk=commissioner_id)


@router.post("/commissioners", response={201: CommissionerOut, **WRITE_ERRORS}, summary=_("登记科技特派员"))
def commissioner_create(request, payload: CommissionerIn):
    if not permitted(request.user, Commissioner, "add"):
        raise AccessDenied(gettext("无权新增科技特派员"))
    data = _commissioner_data(request, payload.dict())
    person = selectors.person_by_id_number(user=request.user, id_number=data.pop("id_number"))
    if person is None:
        raise ServiceError(
            {"id_number": [gettext("人才库中没有该身份证号码的人员（或不在您的管辖范围内），请先登记人员")]}
        )
    commissioner = services.commissioner_create(actor=request.user, person=person, **data)
    return Status(201, _revealed(request, Commissioner.objects.all()).get(pk=commissioner.pk))


@router.patch(
    "/commissioners/{commissioner_id}", response={200: CommissionerOut, **WRITE_ERRORS}, summary=_("修改科技特派员")
)
def commissioner_update(request, commissioner_id: int, payload: CommissionerPatch):
    commissioner = _commissioner(request, commissioner_id)
    data = _commissioner_data(request, payload.dict(exclude_unset=True))
    services.commissioner_update(actor=request.user, instance=commissioner, data=data)
    return _revealed(request, Commissioner.objects.all()).get(pk=commissioner.pk)


@router.delete("/commissioners/{commissioner_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除科技特派员"))
def commissioner_delete(request, commissioner_id: int):
    services.commissioner_delete(actor=request.user, instance=_commissioner(request, commissioner_id))
    return Status(204, None)


# --- service logs -------------------------------------------------------------------------------------------


@router.get("/service-logs", response=list[ServiceLogOut], summary=_("特派员服务记录列表"))
@paginate(LimitOffsetPagination, max_limit=200)
def servicelog_list(request, year: int | None = None, commissioner_id: int | None = None, kind: str | None = None):
    filters = {"year": year, "kind": kind, "commissioner": commissioner_id}
    return selectors.servicelog_list(user=request.user, filters=filters)


@router.get("/service-logs/{log_id}", response={200: ServiceLogOut, **READ_ERRORS}, summary=_("特派员服务记录详情"))
def servicelog_detail(request, log_id: int):
    return selectors.servicelog_list(user=request.user).get(pk=log_id)


@router.post("/service-logs", response={201: ServiceLogOut, **WRITE_ERRORS}, summary=_("新增特派员服务记录"))
def servicelog_create(request, payload: ServiceLogIn):
    data = payload.dict()
    commissioner = _commissioner(request, data.pop("commissioner_id"))
    return Status(201, services.servicelog_create(actor=request.user, commissioner=commissioner, **data))


@router.patch("/service-logs/{log_id}", response={200: ServiceLogOut, **WRITE_ERRORS}, summary=_("修改特派员服务记录"))
def servicelog_update(request, log_id: int, payload: ServiceLogPatch):
    log = selectors.servicelog_list(user=request.user).get(pk=log_id)
    return services.servicelog_update(actor=request.user, instance=log, data=payload.dict(exclude_unset=True))


@router.delete("/service-logs/{log_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除特派员服务记录"))
def servicelog_delete(request, log_id: int):
    log = selectors.servicelog_list(user=request.user).get(pk=log_id)
    services.servicelog_delete(actor=request.user, instance=log)
    return Status(204, None)


# --- figures for plan monitoring ------------------------------------------------------------------------------


@router.get(
    "/figures",
    response={200: TalentFiguresOut, **READ_ERRORS},
    summary=_("人才与科技特派员指标"),
    description=_(
        "某年末高级、中级职称专业技术人员数，科研人员数，以及该年度科技特派员的人数、实地服务次数与天数、"
        "服务村数、培训次数与人数；只统计调用者可见的记录。year_from 可与 year 组成多年合计（特派员部分）。"
    ),
)
def figures(request, year: int | None = None, region: str | None = None, year_from: int | None = None):
    if not permitted(request.user, Person, "view") or not permitted(request.user, Commissioner, "view"):
        raise AccessDenied(gettext("无权查看人才指标"))
    year = year or timezone.localdate().year - 1
    area = region_by_code(region)
    user = request.user
    span = {"year_from": year_from or year, "year_to": year}
    people = {"year": year, "region": area, "user": user}
    return {
        "year": year,
        "region": area.code if area else None,
        "senior": selectors.senior_professionals(**people).count(),
        "intermediate": selectors.intermediate_professionals(**people).count(),
        "researchers": selectors.researchers(region=area, user=user).count(),
        "commissioners": selectors.commissioner_figures(region=area, user=user, **span).__dict__,
    }


__all__ = ["router"]
