"""/api/v1/scoring: the scoring models (list, one version with its criteria) and their evaluation — ``GET
/models/{id}/evaluate?year=`` ranks every subject in the caller's scope; a project model scores the entries posted
to ``POST /models/{id}/evaluate``; the policy calculator's schemes (``GET /schemes``, ``GET /calculator?uscc=&year=``
for one enterprise, ``GET /schemes/{key}/candidates?year=``: the 免申即享 list, for the bureau)."""

from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from kechuang.core.access import AccessDenied, permitted
from kechuang.core.exceptions import NotFound
from kechuang.orgs.models import AnnualFigures
from kechuang.orgs.schemas import ErrorOut

from . import calculator, selectors
from .choices import Subject
from .engine import LIMIT, format_number
from .models import ScoringModel

router = Router(tags=[_("评价模型")])


class BandOut(Schema):
    lower: Decimal
    inclusive: bool
    value: Decimal


class CriterionOut(Schema):
    code: str
    name: str
    field: str
    weight: Decimal
    unit: str
    bands: list[BandOut]
    order: int


class ModelOut(Schema):
    id: int
    code: str
    version: int
    name: str
    subject: str
    purpose: str
    total: Decimal
    pass_score: Decimal | None
    status: str


class ModelDetailOut(ModelOut):
    criteria: list[CriterionOut]


class ItemOut(Schema):
    code: str
    value: Decimal | None
    band: str
    points: Decimal
    missing: bool


class RowOut(Schema):
    rank: int
    id: int | None
    name: str
    key: str
    total: Decimal
    verdict: str
    missing: list[str]
    items: list[ItemOut]


# A typed value the engine scores: finite (pydantic refuses NaN and infinities) and within the engine's range.
Entered = Annotated[Decimal, Field(gt=-LIMIT, lt=LIMIT)]
# The data years the pages offer (YearForm): a year outside has no figures and no valid 31 December.
Year = Query(..., ge=2000, le=2100, description=_("数据年度"))
# "Nearly meets": short of a pass score by at most this fraction of it.
Margin = Annotated[Decimal | None, Query(None, ge=0, le=1, description=_("接近符合的差距（达标分数线的比例）"))]


class EntryIn(Schema):
    name: str = Field(..., min_length=1, max_length=255)
    values: dict[str, Entered | None]


def _readable(request):
    if not permitted(request.user, ScoringModel, "view"):
        raise AccessDenied(gettext("无权查看评价模型"))


def _plain(value: Decimal | None) -> Decimal | None:
    """A Decimal without trailing zeros (81, 65, 3.5), rounded to four places: the same number whatever the inputs'
    scales."""
    return None if value is None else Decimal(format_number(value))


def _rows(rows) -> list[dict]:
    return [
        {"rank": r.rank, "id": r.pk, "name": r.name, "key": r.key or "", "total": _plain(r.outcome.total),
         "verdict": r.outcome.verdict, "missing": r.outcome.missing,
         "items": [{"code": i.code, "value": _plain(i.value), "band": i.band, "points": _plain(i.points),
                    "missing": i.missing} for i in r.outcome.items]}
        for r in rows
    ]  # fmt: skip


@router.get("/models", response={200: list[ModelOut], 403: ErrorOut}, summary=_("评价模型列表（全部版本）"))
@paginate(LimitOffsetPagination)
def model_list(request, subject: str = "", status: str = ""):
    _readable(request)
    return selectors.model_list(user=request.user, filters={"subject": subject, "status": status})


@router.get("/models/{pk}", response={200: ModelDetailOut, 403: ErrorOut, 404: ErrorOut}, summary=_("评价模型详情"))
def model_detail(request, pk: int):
    _readable(request)
    model = selectors.model_get(user=request.user, pk=pk)
    return {**{f: getattr(model, f) for f in ModelOut.model_fields if f != "id"}, "id": model.pk,
            "criteria": list(model.criteria.all().values(*CriterionOut.model_fields))}  # fmt: skip


@router.get(
    "/models/{pk}/evaluate",
    response={200: list[RowOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary=_("按模型评价管辖范围内的全部对象（排名）"),
)
def model_evaluate(request, pk: int, year: int = Year):
    _readable(request)
    model = selectors.model_get(user=request.user, pk=pk)
    if model.subject == Subject.PROJECT:
        raise ValidationError(gettext("项目模型按录入值评分：请用 POST 提交各项目的指标值"))
    return _rows(selectors.evaluate(user=request.user, model=model, year=year))


@router.post(
    "/models/{pk}/evaluate",
    response={200: list[RowOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary=_("按项目模型为录入的指标值评分（排名）"),
)
def model_evaluate_entered(request, pk: int, entries: list[EntryIn]):
    _readable(request)
    model = selectors.model_get(user=request.user, pk=pk)
    if model.subject != Subject.PROJECT:
        raise ValidationError(gettext("只有项目模型按录入值评分；其他模型请用 GET 并给出年度"))
    return _rows(selectors.evaluate_entered(model=model, entries=[(e.name, e.values) for e in entries]))


class SchemeOut(Schema):
    key: str
    title: str
    status: str
    score: str
    reasons: list[str]
    gaps: list[str]
    missing: list[str]


class CandidateOut(Schema):
    uscc: str
    name: str
    status: str
    score: str
    notes: str


class SchemeChoiceOut(Schema):
    key: str
    title: str


@router.get("/schemes", response={200: list[SchemeChoiceOut], 403: ErrorOut}, summary=_("政策方案列表"))
def scheme_list(request):
    _calculator_user(request)
    return [{"key": key, "title": title} for key, title in calculator.scheme_choices()]


@router.get(
    "/calculator",
    response={200: list[SchemeOut], 403: ErrorOut, 404: ErrorOut},
    summary=_("政策计算器：一家企业符合或接近符合的政策方案"),
)
def scheme_calculator(request, uscc: str = "", year: int | None = Query(None, ge=2000, le=2100), margin: Margin = None):
    """Enterprise and service-provider users get their own organisation; the bureau and leaders name one in scope by
    its credit code. The year defaults to the organisation's latest year of approved figures; ``margin`` (a fraction
    of the pass score) to the setting ``SCORING_NEAR_MARGIN``."""
    user = _calculator_user(request)
    organisation = calculator.enterprise(user=user, uscc=uscc)
    years = calculator.figure_years(user=user, organisation=organisation)
    if not years:
        raise NotFound(gettext("该单位还没有已审核的年度数据"))
    year = years[0] if year is None else year
    if year not in years:
        raise NotFound(gettext("该单位没有 {year} 年已审核的年度数据").format(year=year))
    found = calculator.for_enterprise(user=user, organisation=organisation, year=year, margin=margin)
    return [{"key": s.key, "title": s.title, "status": s.status, "score": s.score, "reasons": s.reasons,
             "gaps": s.gaps, "missing": s.missing} for s in found]  # fmt: skip


@router.get(
    "/schemes/{key}/candidates",
    response={200: list[CandidateOut], 403: ErrorOut, 404: ErrorOut},
    summary=_("免申即享名单：管辖范围内仅凭数据即符合该方案的企业"),
)
def scheme_candidates(request, key: str, year: int = Year):
    user = _calculator_user(request)
    calculator.ensure_bureau(user)
    if key not in dict(calculator.scheme_choices()):
        raise NotFound(gettext("没有该政策方案，或方案未发布"))
    return [vars(c) for c in calculator.candidates(user=request.user, scheme=key, year=year)]


def _calculator_user(request):
    if not permitted(request.user, AnnualFigures, "view"):
        raise AccessDenied(gettext("无权查看单位年度数据"))
    return request.user
