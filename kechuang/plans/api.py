"""/api/v1/plans: plans, their assessments (the fixed JSON of issue 4 §5), the metric catalogue, the records behind
a value, and manual observations (enter, submit, approve, return).

Reads go through the selectors (restrict()), so a plan or region outside the caller's scope answers 404; writes go
through the services (permission 403, rules 400, audit row in the same transaction).
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from kechuang.core.access import AccessDenied, permitted
from kechuang.orgs.schemas import ErrorOut
from kechuang.regions.models import Region

from . import selectors, services
from .models import Assessment, Observation, Plan
from .schemas import AssessmentOut, MetricOut, ObservationIn, ObservationOut, PlanOut, RecordOut, ReturnIn

router = Router(tags=[_("规划监测")])

READ_ERRORS = {403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _plan(request, code: str) -> Plan:
    plan = selectors.plan_list(user=request.user).filter(code=code).first()
    if plan is None:
        raise Plan.DoesNotExist(gettext("没有代码为“{code}”的规划，或无权查看").format(code=code))
    return plan


def _region(request, plan: Plan, code: str | None) -> Region:
    return selectors.plan_regions(user=request.user, plan=plan).get(code=code or plan.region.code)


def _may_view_results(request) -> None:
    if not permitted(request.user, Assessment, "view"):
        raise AccessDenied(gettext("无权查看评估结果"))


@router.get("/", response=list[PlanOut], summary=_("规划列表"))
def plan_list(request):
    return [
        {
            "code": p.code,
            "name": p.name,
            "region": p.region.code,
            "baseline_year": p.baseline_year,
            "target_year": p.target_year,
            "status": p.status,
        }
        for p in selectors.plan_list(user=request.user)
    ]


@router.get("/metrics", response=list[MetricOut], summary=_("计算指标目录"))
def metric_list(request):
    from .metrics import METRICS

    if not permitted(request.user, Plan, "view"):
        raise AccessDenied(gettext("无权查看规划"))
    return [
        {"code": m.code, "name": str(m.name), "unit": m.unit, "nature": m.nature, "description": str(m.description)}
        for m in METRICS.values()
    ]


@router.get("/{code}", response={200: dict, **READ_ERRORS}, summary=_("规划及其指标（与 YAML 文件的键相同）"))
def plan_detail(request, code: str):
    from .planfile import plan_to_data

    data = plan_to_data(_plan(request, code))
    for item in data["indicators"]:
        for revision in item.get("revisions", []):
            revision["date"] = revision["date"].isoformat()
    return data


@router.get(
    "/{code}/assessment",
    response={200: AssessmentOut, **READ_ERRORS},
    summary=_("评估结果"),
    description=_("该规划、区划（默认规划所属区划）和年份的当前评估结果；尚未评估时返回 404，可先 POST 同一地址评估。"),
)
def assessment_get(request, code: str, year: int, region: str | None = None):
    _may_view_results(request)
    plan = _plan(request, code)
    run = selectors.assessment_current(user=request.user, plan=plan, region=_region(request, plan, region), year=year)
    if run is None:
        raise Assessment.DoesNotExist(gettext("{year}年尚未评估").format(year=year))
    return selectors.assessment_data(run)


@router.post("/{code}/assessment", response={200: AssessmentOut, **WRITE_ERRORS}, summary=_("评估（保存结果）"))
def assessment_post(request, code: str, year: int, region: str | None = None):
    plan = _plan(request, code)
    run = services.assessment_run(actor=request.user, plan=plan, region=_region(request, plan, region), year=year)
    return selectors.assessment_data(run)


@router.get(
    "/{code}/indicators/{indicator}/records",
    response={200: list[RecordOut], **READ_ERRORS},
    summary=_("数值背后的记录（数据明细）"),
)
@paginate(LimitOffsetPagination, max_limit=500)
def records(request, code: str, indicator: str, year: int, region: str | None = None):
    _may_view_results(request)
    plan = _plan(request, code)
    if year not in plan.years:
        raise Assessment.DoesNotExist(
            gettext("{plan}只能评估 {first}—{last} 年").format(plan=plan.name, first=plan.years[0], last=plan.years[-1])
        )
    item = plan.indicators.get(code=indicator)
    area = _region(request, plan, region)
    drill = selectors.drilldown(
        user=request.user, indicator=item, region=area, years=selectors.years_needed(item, year)
    )
    return [
        {"id": r.pk, "text": str(r), "url": r.get_absolute_url() if hasattr(r, "get_absolute_url") else None}
        for r in drill.queryset
    ]


@router.get("/{code}/observations", response=list[ObservationOut], summary=_("统计数据列表"))
@paginate(LimitOffsetPagination, max_limit=500)
def observation_list(request, code: str):
    return selectors.observation_list(user=request.user).filter(indicator__plan=_plan(request, code))


@router.post("/{code}/observations", response={201: ObservationOut, **WRITE_ERRORS}, summary=_("填报统计数据（草稿）"))
def observation_create(request, code: str, payload: ObservationIn):
    plan = _plan(request, code)
    data = payload.dict()
    indicator = plan.indicators.get(code=data.pop("indicator"))
    region = _region(request, plan, data.pop("region"))
    observation, _outcome = services.observation_enter(actor=request.user, indicator=indicator, region=region, **data)
    return Status(201, observation)


def _observation(request, pk: int) -> Observation:
    return selectors.observation_list(user=request.user).get(pk=pk)


@router.post("/observations/{pk}/submit", response={200: ObservationOut, **WRITE_ERRORS}, summary=_("提交审核"))
def observation_submit(request, pk: int):
    return services.observation_submit(actor=request.user, observation=_observation(request, pk))


@router.post("/observations/{pk}/approve", response={200: ObservationOut, **WRITE_ERRORS}, summary=_("审核通过"))
def observation_approve(request, pk: int):
    return services.observation_approve(actor=request.user, observation=_observation(request, pk))


@router.post("/observations/{pk}/return", response={200: ObservationOut, **WRITE_ERRORS}, summary=_("退回"))
def observation_return(request, pk: int, payload: ReturnIn):
    return services.observation_return(
        actor=request.user, observation=_observation(request, pk), comment=payload.comment
    )
