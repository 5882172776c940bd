"""/api/v1/screening: the annual screening into the cultivation pools (年度筛选).

``POST /runs`` screens a pool over a region for a data year and stores the candidates; ``GET /runs`` and
``GET /runs/{id}`` read the runs, ``GET /runs/{id}/candidates`` the candidates with their reasons;
``POST /candidates/{id}/decision`` confirms or rejects one candidate, ``POST /runs/{id}/decisions`` several at once;
``GET /expiring`` lists the high-tech certificates whose validity ends within 12 months. A run or candidate outside
the caller's scope answers 404.
"""

import datetime
from typing import Annotated, Literal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from kechuang.core.access import AccessDenied, permitted, restrict
from kechuang.core.exceptions import ServiceError
from kechuang.orgs.models import Pool
from kechuang.orgs.schemas import ErrorOut
from kechuang.regions.models import Region

from . import selectors, services
from .choices import Proposal
from .forms import FIRST_DAY, LAST_DAY, MAX_ID
from .models import Candidate, ScreeningRun

router = Router(tags=[_("年度筛选")])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class RunIn(Schema):
    pool: str = Field(..., description=_("培育库代码，如 hte-reserve"))
    year: int = Field(..., ge=1949, le=2100, description=_("数据年度"))
    region: str | None = Field(None, description=_("区划代码；不填为本账号的所属区划"))


class RunOut(Schema):
    id: int
    pool: str
    pool_name: str
    year: int
    intake_year: int
    region: str
    digest: str
    criteria: dict
    screened: int
    run_by: str | None
    run_at: datetime.datetime
    counts: dict[str, int]

    @staticmethod
    def resolve_pool(obj):
        return obj.pool.code

    @staticmethod
    def resolve_pool_name(obj):
        return obj.pool.name

    @staticmethod
    def resolve_region(obj):
        return obj.region.code

    @staticmethod
    def resolve_run_by(obj):
        return getattr(obj.run_by, "username", None)

    @staticmethod
    def resolve_counts(obj):
        return {name: getattr(obj, f"n_{name}") for name in (*Proposal.values, "pending")}


class ReasonOut(Schema):
    code: str
    passed: bool
    text: str


class CandidateOut(Schema):
    id: int
    uscc: str
    name: str
    proposal: str
    rank: int | None
    figures: dict
    reasons: list[ReasonOut]
    decision: str
    decided_by: str | None
    decided_at: datetime.datetime | None
    comment: str

    @staticmethod
    def resolve_uscc(obj):
        return obj.organisation.uscc

    @staticmethod
    def resolve_name(obj):
        return obj.organisation.name

    @staticmethod
    def resolve_decided_by(obj):
        return getattr(obj.decided_by, "username", None)


class DecisionIn(Schema):
    decision: Literal["confirmed", "rejected"]
    comment: str = ""


class DecisionsIn(DecisionIn):
    candidates: list[Annotated[int, Field(gt=0, le=MAX_ID)]] = Field(..., min_length=1, description=_("候选记录编号"))


class DecisionsOut(Schema):
    done: int
    skipped: int


class ExpiringOut(Schema):
    uscc: str
    name: str
    number: str
    issue_date: datetime.date
    valid_until: datetime.date


def _readable(user, model) -> None:
    if not permitted(user, model, "view"):
        raise AccessDenied(gettext("无权查看年度筛选"))


@router.post("/runs", response={201: RunOut, **ERRORS}, summary=_("筛选一个培育库并保存候选名单"))
def run_create(request, payload: RunIn):
    if not permitted(request.user, ScreeningRun, "add"):  # before any code is looked up: nothing to learn from it
        raise AccessDenied(gettext("无权发起年度筛选"))
    pool = Pool.objects.filter(code=payload.pool).first()
    if pool is None:
        raise ServiceError({"pool": [gettext("没有代码为“{code}”的培育库").format(code=payload.pool)]})
    region = None
    if payload.region:
        region = Region.objects.filter(code=payload.region).first()
        if region is None:
            raise ServiceError({"region": [gettext("没有代码为“{code}”的区划").format(code=payload.region)]})
    run = services.screening_run(actor=request.user, pool=pool, year=payload.year, region=region)
    return Status(201, selectors.run_list(user=request.user).get(pk=run.pk))


@router.get("/runs", response={200: list[RunOut], 403: ErrorOut}, summary=_("筛选批次"))
@paginate(LimitOffsetPagination)
def run_list(request):
    _readable(request.user, ScreeningRun)
    return selectors.run_list(user=request.user)


@router.get("/runs/{run_id}", response={200: RunOut, 403: ErrorOut, 404: ErrorOut}, summary=_("一个筛选批次"))
def run_detail(request, run_id: int):
    _readable(request.user, ScreeningRun)
    return selectors.run_get(user=request.user, pk=run_id)


@router.get(
    "/runs/{run_id}/candidates",
    response={200: list[CandidateOut], 403: ErrorOut, 404: ErrorOut},
    summary=_("候选名单（含理由和确认结果）"),
)
@paginate(LimitOffsetPagination)
def candidate_list(request, run_id: int, proposal: str = "", decision: str = ""):
    _readable(request.user, Candidate)
    run = selectors.run_get(user=request.user, pk=run_id)
    return selectors.candidate_list(user=request.user, run=run, proposal=proposal, decision=decision)


@router.post(
    "/candidates/{candidate_id}/decision", response={200: CandidateOut, **ERRORS}, summary=_("确认或不予采纳一个候选")
)
def candidate_decide(request, candidate_id: int, payload: DecisionIn):
    candidate = restrict(Candidate, request.user).get(pk=candidate_id)
    decided = services.candidate_decide(
        actor=request.user, candidate=candidate, decision=payload.decision, comment=payload.comment
    )
    return decided


@router.post("/runs/{run_id}/decisions", response={200: DecisionsOut, **ERRORS}, summary=_("批量确认或不予采纳"))
def run_decide(request, run_id: int, payload: DecisionsIn):
    if not permitted(request.user, Candidate, "approve"):
        raise AccessDenied(gettext("无权确认筛选候选"))
    run = selectors.run_get(user=request.user, pk=run_id)
    chosen = selectors.candidate_list(user=request.user, run=run, action="approve").filter(pk__in=payload.candidates)
    done, skipped = services.candidates_decide(
        actor=request.user, candidates=chosen, decision=payload.decision, comment=payload.comment
    )
    return {"done": done, "skipped": skipped}


@router.get("/expiring", response={200: list[ExpiringOut], 403: ErrorOut}, summary=_("12 个月内到期的高新技术企业证书"))
@paginate(LimitOffsetPagination)
def expiring(request, day: datetime.date | None = Query(None, ge=FIRST_DAY, le=LAST_DAY)):  # noqa: B008
    _readable(request.user, ScreeningRun)
    return [
        {
            "uscc": c.organisation.uscc,
            "name": c.organisation.name,
            "number": c.number,
            "issue_date": c.issue_date,
            "valid_until": c.valid_until,
        }
        for c in selectors.expiring_certificates(user=request.user, day=day)
    ]
