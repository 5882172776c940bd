"""API of the organisation master file (单位档案): organisations, yearly figures, certificates, pools, services.

Reads go through restrict(), so a record outside the caller's scope answers 404 and its existence does not
leak; writes go through the services, which check the permission (403) and write the audit row in the same
transaction. Codes in a payload (region, industry, pool) are turned into records here and nothing else is.
"""

from django.db.models import Model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Path, Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from kechuang.core.access import permitted, restrict, user_scope
from kechuang.core.exceptions import AccessDenied, ServiceError
from kechuang.regions.models import Region

from . import selectors, services
from .choices import IndustryLevel, ReviewStatus
from .models import (
    AnnualFigures,
    Certificate,
    Industry,
    IntegrityRecord,
    MonthlyHeadcount,
    Organisation,
    Pool,
    PoolMembership,
    RDManagementEvidence,
    ServiceRecord,
)
from .schemas import (
    CertificateIn,
    CertificateOut,
    CertificatePatch,
    ErrorOut,
    FiguresIn,
    FiguresOut,
    HeadcountAverageOut,
    HeadcountIn,
    HeadcountOut,
    HeadcountPatch,
    IntegrityIn,
    IntegrityOut,
    IntegrityPatch,
    MembershipIn,
    MembershipOut,
    MembershipPatch,
    OrganisationFilters,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    RDEvidenceIn,
    RDEvidenceOut,
    RDEvidencePatch,
    ReviewIn,
    ReviewManyIn,
    ReviewManyOut,
    RoundFilters,
    RoundIn,
    RoundMissingOut,
    RoundOut,
    RoundPatch,
    RoundReportedOut,
    ServiceRecordIn,
    ServiceRecordOut,
    ServiceRecordPatch,
)

router = Router(tags=[_("单位档案")])

READ_ERRORS = {404: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
Year = Path(..., ge=1949, le=2100, description=_("年度"))

# The bureau owns an organisation's identity and classification; its own users keep the other details current.
# Same list as OrganisationForm's disabled fields (orgs/forms.py); the rule belongs in organisation_update.
# --- payload codes → records -------------------------------------------------------------------------------


def _region(code: str) -> Region:
    region = Region.objects.filter(code=code.strip()).first()
    if region is None:
        raise ServiceError({"region": [gettext("区划代码“{code}”不存在").format(code=code)]})
    return region


def _industry(code: str | None) -> Industry | None:
    if not code:
        return None
    industry = Industry.objects.filter(code=code.strip(), level=IndustryLevel.DIVISION).first()
    if industry is None:
        raise ServiceError({"industry": [gettext("行业大类代码“{code}”不存在").format(code=code)]})
    return industry


def _pool(code: str) -> Pool:
    pool = Pool.objects.filter(code=code.strip()).first()
    if pool is None:
        raise ServiceError({"pool": [gettext("培育库代码“{code}”不存在").format(code=code)]})
    return pool


RESOLVERS = {"region": _region, "industry": _industry, "pool": _pool}


def _records(data: dict) -> dict:
    """The payload with every code replaced by the record it names."""
    return {name: RESOLVERS[name](value) if name in RESOLVERS else value for name, value in data.items()}


# --- organisations -----------------------------------------------------------------------------------------


def _organisation(request, org_id: int) -> Organisation:
    return selectors.organisation_get(user=request.user, pk=org_id)


@router.get("/", response=list[OrganisationOut], summary=_("单位列表"))
@paginate(LimitOffsetPagination, max_limit=200)
def organisation_list(request, filters: Query[OrganisationFilters]):
    return selectors.organisation_list(user=request.user, filters=_records(filters.dict(exclude_none=True)))


@router.get("/{org_id}", response={200: OrganisationOut, **READ_ERRORS}, summary=_("单位详情"))
def organisation_detail(request, org_id: int):
    return _organisation(request, org_id)


@router.post("/", response={201: OrganisationOut, **WRITE_ERRORS}, summary=_("新增单位"))
def organisation_create(request, payload: OrganisationIn):
    return Status(201, services.organisation_create(actor=request.user, **_records(payload.dict())))


@router.patch("/{org_id}", response={200: OrganisationOut, **WRITE_ERRORS}, summary=_("修改单位"))
def organisation_update(request, org_id: int, payload: OrganisationPatch):
    organisation = _organisation(request, org_id)
    data = _records(payload.dict(exclude_unset=True))
    return services.organisation_update(actor=request.user, organisation=organisation, data=data)


@router.delete("/{org_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除单位"))
def organisation_delete(request, org_id: int):
    services.organisation_delete(actor=request.user, organisation=_organisation(request, org_id))
    return Status(204, None)


# --- yearly figures ----------------------------------------------------------------------------------------


@router.get("/{org_id}/figures", response={200: list[FiguresOut], **READ_ERRORS}, summary=_("年度数据列表"))
def figures_list(request, org_id: int):
    return selectors.figures_for(user=request.user, organisation=_organisation(request, org_id))


@router.put(
    "/{org_id}/figures/{year}",
    response={200: FiguresOut, **WRITE_ERRORS},
    summary=_("填报或修改某年度数据"),
    description=_("整年替换：未提交的数值保存为空。金额单位为元。"),
)
def figures_save(request, org_id: int, payload: FiguresIn, year: int = Year):
    data = payload.dict(exclude=set() if payload.source else {"source"})
    organisation = _organisation(request, org_id)
    return services.figures_save(actor=request.user, organisation=organisation, year=year, data=data)


@router.delete("/{org_id}/figures/{year}", response={204: None, **WRITE_ERRORS}, summary=_("删除某年度数据"))
def figures_delete(request, org_id: int, year: int = Year):
    figures = selectors.figures_for(user=request.user, organisation=_organisation(request, org_id)).get(year=year)
    services.figures_delete(actor=request.user, figures=figures)
    return Status(204, None)


def _figures(request, org_id: int, year: int):
    return selectors.figures_for(user=request.user, organisation=_organisation(request, org_id)).get(year=year)


@router.post(
    "/{org_id}/figures/{year}/submit",
    response={200: FiguresOut, **WRITE_ERRORS},
    summary=_("提交年度数据审核"),
    description=_("草稿或被退回的数据提交给科技局审核；须已填写统计口径。"),
)
def figures_submit(request, org_id: int, year: int = Year):
    return services.figures_submit(actor=request.user, figures=_figures(request, org_id, year))


@router.post(
    "/{org_id}/figures/{year}/approve",
    response={200: FiguresOut, **WRITE_ERRORS},
    summary=_("审核通过年度数据"),
    description=_("只能审核已提交的数据；审核通过后计入评价和指标。"),
)
def figures_approve(request, payload: ReviewIn, org_id: int, year: int = Year):
    figures = _figures(request, org_id, year)
    return services.figures_approve(actor=request.user, figures=figures, comment=payload.comment)


@router.post(
    "/{org_id}/figures/{year}/return",
    response={200: FiguresOut, **WRITE_ERRORS},
    summary=_("退回年度数据"),
    description=_("退回已提交或已审核的数据，须填写退回意见。"),
)
def figures_return(request, payload: ReviewIn, org_id: int, year: int = Year):
    figures = _figures(request, org_id, year)
    return services.figures_return(actor=request.user, figures=figures, comment=payload.comment)


# --- yearly reporting rounds (年报填报) ----------------------------------------------------------------------
# Under /reporting/ so that no path of a round can be read as an organisation's id.


def _round(request, round_id: int):
    return selectors.round_get(user=request.user, pk=round_id)


def _oversees(user) -> bool:
    return user_scope(user).kind in ("region", "all")


def _oversight(request):
    """The round's lists are the bureau's: an organisation's own users get their figures from /{org_id}/figures."""
    if not _oversees(request.user):
        raise AccessDenied(gettext("只有科技局用户可以查看报送情况"))


@router.get("/reporting/rounds", response=list[RoundOut], summary=_("年报填报列表"))
@paginate(LimitOffsetPagination, max_limit=200)
def round_list(request, filters: Query[RoundFilters]):
    qs = selectors.round_list(user=request.user)
    for name, value in filters.dict(exclude_none=True).items():
        qs = qs.filter(**{name: value})
    return qs


@router.get("/reporting/rounds/{round_id}", response={200: RoundOut, **READ_ERRORS}, summary=_("年报填报详情"))
def round_detail(request, round_id: int):
    reporting_round = _round(request, round_id)
    if _oversees(request.user):
        reporting_round.counts = selectors.round_counts(user=request.user, reporting_round=reporting_round)
    return reporting_round


@router.post("/reporting/rounds", response={201: RoundOut, **WRITE_ERRORS}, summary=_("发起年报填报"))
def round_create(request, payload: RoundIn):
    return Status(201, services.round_create(actor=request.user, **payload.dict()))


@router.patch("/reporting/rounds/{round_id}", response={200: RoundOut, **WRITE_ERRORS}, summary=_("修改或关闭年报填报"))
def round_update(request, round_id: int, payload: RoundPatch):
    data = payload.dict(exclude_unset=True)
    return services.round_update(actor=request.user, reporting_round=_round(request, round_id), data=data)


@router.get(
    "/reporting/rounds/{round_id}/reported",
    response={200: list[RoundReportedOut], **READ_ERRORS, 403: ErrorOut},
    summary=_("已报送的单位"),
)
@paginate(LimitOffsetPagination, max_limit=500)
def round_reported(request, round_id: int, status: ReviewStatus | None = None):
    _oversight(request)
    reporting_round = _round(request, round_id)
    return selectors.round_reported(user=request.user, reporting_round=reporting_round, status=status or "")


@router.get(
    "/reporting/rounds/{round_id}/missing",
    response={200: list[RoundMissingOut], **READ_ERRORS, 403: ErrorOut},
    summary=_("未报送的单位"),
)
@paginate(LimitOffsetPagination, max_limit=500)
def round_missing(request, round_id: int):
    _oversight(request)
    return selectors.round_missing(user=request.user, reporting_round=_round(request, round_id))


@router.post(
    "/reporting/rounds/{round_id}/review",
    response={200: ReviewManyOut, **WRITE_ERRORS},
    summary=_("批量审核"),
    description=_("对本次填报中勾选的已提交数据批量审核通过或退回；不是已提交状态的跳过。"),
)
def round_review(request, round_id: int, payload: ReviewManyIn):
    reporting_round = _round(request, round_id)
    if not permitted(request.user, AnnualFigures, "approve"):
        raise AccessDenied(gettext("无权审核年度数据"))
    chosen = selectors.round_reported(user=request.user, reporting_round=reporting_round, action="approve")
    chosen = chosen.filter(pk__in=payload.figures)
    done, _ = services.figures_review_many(
        actor=request.user, figures=chosen, action=payload.action, comment=payload.comment
    )
    # Ids outside the round or the caller's scope are skipped like figures not awaiting review.
    return {"done": done, "skipped": len(set(payload.figures)) - done}


# --- certificates, pool memberships, service records -------------------------------------------------------


def _child(request, model: type[Model], pk: int):
    return restrict(model, request.user).get(pk=pk)


def _child_create(request, model: type[Model], org_id: int, data: dict, **extra):
    organisation = _organisation(request, org_id)
    return Status(
        201, services.child_create(actor=request.user, model=model, organisation=organisation, **extra, **data)
    )


def _child_update(request, model: type[Model], pk: int, data: dict):
    return services.child_update(actor=request.user, instance=_child(request, model, pk), data=data)


def _child_delete(request, model: type[Model], pk: int):
    services.child_delete(actor=request.user, instance=_child(request, model, pk))
    return Status(204, None)


@router.get("/{org_id}/certificates", response={200: list[CertificateOut], **READ_ERRORS}, summary=_("资质证书列表"))
def certificate_list(request, org_id: int):
    return selectors.certificates_for(user=request.user, organisation=_organisation(request, org_id))


@router.post("/{org_id}/certificates", response={201: CertificateOut, **WRITE_ERRORS}, summary=_("新增资质证书"))
def certificate_create(request, org_id: int, payload: CertificateIn):
    return _child_create(request, Certificate, org_id, payload.dict())


@router.patch("/certificates/{cert_id}", response={200: CertificateOut, **WRITE_ERRORS}, summary=_("修改资质证书"))
def certificate_update(request, cert_id: int, payload: CertificatePatch):
    return _child_update(request, Certificate, cert_id, payload.dict(exclude_unset=True))


@router.delete("/certificates/{cert_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除资质证书"))
def certificate_delete(request, cert_id: int):
    return _child_delete(request, Certificate, cert_id)


@router.get("/{org_id}/memberships", response={200: list[MembershipOut], **READ_ERRORS}, summary=_("入库记录列表"))
def membership_list(request, org_id: int):
    return selectors.memberships_for(user=request.user, organisation=_organisation(request, org_id))


@router.post("/{org_id}/memberships", response={201: MembershipOut, **WRITE_ERRORS}, summary=_("新增入库记录"))
def membership_create(request, org_id: int, payload: MembershipIn):
    return _child_create(request, PoolMembership, org_id, _records(payload.dict()))


@router.patch("/memberships/{membership_id}", response={200: MembershipOut, **WRITE_ERRORS}, summary=_("修改入库记录"))
def membership_update(request, membership_id: int, payload: MembershipPatch):
    return _child_update(request, PoolMembership, membership_id, _records(payload.dict(exclude_unset=True)))


@router.delete("/memberships/{membership_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除入库记录"))
def membership_delete(request, membership_id: int):
    return _child_delete(request, PoolMembership, membership_id)


@router.get("/{org_id}/services", response={200: list[ServiceRecordOut], **READ_ERRORS}, summary=_("服务记录列表"))
def service_list(request, org_id: int):
    organisation = _organisation(request, org_id)
    return restrict(ServiceRecord, request.user).filter(organisation=organisation).select_related("staff")


@router.post("/{org_id}/services", response={201: ServiceRecordOut, **WRITE_ERRORS}, summary=_("新增服务记录"))
def service_create(request, org_id: int, payload: ServiceRecordIn):
    return _child_create(request, ServiceRecord, org_id, payload.dict(), staff=request.user)


@router.patch("/services/{record_id}", response={200: ServiceRecordOut, **WRITE_ERRORS}, summary=_("修改服务记录"))
def service_update(request, record_id: int, payload: ServiceRecordPatch):
    return _child_update(request, ServiceRecord, record_id, payload.dict(exclude_unset=True))


@router.delete("/services/{record_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除服务记录"))
def service_delete(request, record_id: int):
    return _child_delete(request, ServiceRecord, record_id)


# --- what the evaluations need: monthly head counts, R&D-management evidence, integrity records ---------------
# An organisation's own users enter their months and evidence (counted once the bureau confirms them by saving);
# integrity records are the bureau's.


def _record_create(request, model: type[Model], org_id: int, data: dict):
    organisation = _organisation(request, org_id)
    return Status(
        201, services.evaluation_record_create(actor=request.user, model=model, organisation=organisation, **data)
    )


def _record_update(request, model: type[Model], pk: int, data: dict):
    return services.evaluation_record_update(actor=request.user, instance=_child(request, model, pk), data=data)


def _record_delete(request, model: type[Model], pk: int):
    services.evaluation_record_delete(actor=request.user, instance=_child(request, model, pk))
    return Status(204, None)


@router.get("/{org_id}/headcounts", response={200: list[HeadcountOut], **READ_ERRORS}, summary=_("月度职工人数列表"))
def headcount_list(request, org_id: int, year: int | None = None):
    organisation = _organisation(request, org_id)
    return selectors.headcounts_for(user=request.user, organisation=organisation, year=year).order_by("year", "month")


@router.get(
    "/{org_id}/headcounts/{year}/average",
    response={200: HeadcountAverageOut, **READ_ERRORS},
    summary=_("年平均职工人数"),
    description=_("按月平均数（月初加月末除以2）的全年平均计算；已确认的月份不全时平均数为空，评价改用年度数据。"),
)
def headcount_average(request, org_id: int, year: int = Year):
    organisation = _organisation(request, org_id)
    return selectors.headcount_average_of(user=request.user, organisation=organisation, year=year)


@router.post("/{org_id}/headcounts", response={201: HeadcountOut, **WRITE_ERRORS}, summary=_("填报月度职工人数"))
def headcount_create(request, org_id: int, payload: HeadcountIn):
    return _record_create(request, MonthlyHeadcount, org_id, payload.dict())


@router.patch("/headcounts/{record_id}", response={200: HeadcountOut, **WRITE_ERRORS}, summary=_("修改月度职工人数"))
def headcount_update(request, record_id: int, payload: HeadcountPatch):
    return _record_update(request, MonthlyHeadcount, record_id, payload.dict(exclude_unset=True))


@router.delete("/headcounts/{record_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除月度职工人数"))
def headcount_delete(request, record_id: int):
    return _record_delete(request, MonthlyHeadcount, record_id)


@router.get(
    "/{org_id}/rd-evidence", response={200: list[RDEvidenceOut], **READ_ERRORS}, summary=_("研发组织管理佐证列表")
)
def rd_evidence_list(request, org_id: int):
    return selectors.rd_evidence_for(user=request.user, organisation=_organisation(request, org_id))


@router.post(
    "/{org_id}/rd-evidence",
    response={201: RDEvidenceOut, **WRITE_ERRORS},
    summary=_("新增研发组织管理佐证"),
    description=_("佐证文件通过附件上传（网页上的“上传佐证材料”）。"),
)
def rd_evidence_create(request, org_id: int, payload: RDEvidenceIn):
    return _record_create(request, RDManagementEvidence, org_id, payload.dict())


@router.patch(
    "/rd-evidence/{record_id}", response={200: RDEvidenceOut, **WRITE_ERRORS}, summary=_("修改研发组织管理佐证")
)
def rd_evidence_update(request, record_id: int, payload: RDEvidencePatch):
    return _record_update(request, RDManagementEvidence, record_id, payload.dict(exclude_unset=True))


@router.delete("/rd-evidence/{record_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除研发组织管理佐证"))
def rd_evidence_delete(request, record_id: int):
    return _record_delete(request, RDManagementEvidence, record_id)


@router.get("/{org_id}/integrity", response={200: list[IntegrityOut], **READ_ERRORS}, summary=_("违法失信记录列表"))
def integrity_list(request, org_id: int):
    return selectors.integrity_records_for(user=request.user, organisation=_organisation(request, org_id))


@router.post("/{org_id}/integrity", response={201: IntegrityOut, **WRITE_ERRORS}, summary=_("新增违法失信记录"))
def integrity_create(request, org_id: int, payload: IntegrityIn):
    return _record_create(request, IntegrityRecord, org_id, payload.dict())


@router.patch("/integrity/{record_id}", response={200: IntegrityOut, **WRITE_ERRORS}, summary=_("修改违法失信记录"))
def integrity_update(request, record_id: int, payload: IntegrityPatch):
    return _record_update(request, IntegrityRecord, record_id, payload.dict(exclude_unset=True))


@router.delete("/integrity/{record_id}", response={204: None, **WRITE_ERRORS}, summary=_("删除违法失信记录"))
def integrity_delete(request, record_id: int):
    return _record_delete(request, IntegrityRecord, record_id)


__all__ = ["router"]
