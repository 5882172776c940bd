"""/api/v1/evaluation: the national high-tech-enterprise (hte) and tech-SME (tsme) evaluations.

``POST /{kind}`` evaluates the enterprises in the body (the JSON of ``kechuang evaluate``, the same fixed keys) and
answers the same results: a computation on the caller's own figures that reads and writes no record, open to every
signed-in user. ``GET /{kind}/screening?year=`` evaluates every organisation in the caller's scope from its master
file (approved figures of that fiscal year) and lists the verdicts, for the roles that may read yearly figures.
``POST /{kind}/results?year=`` does the same and stores every result with the rule-set version used (the bureau);
``GET /{kind}/results?year=`` lists the stored current results in scope.
"""

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from kechuang.core.access import AccessDenied, permitted
from kechuang.orgs.models import AnnualFigures
from kechuang.orgs.schemas import ErrorOut

from . import hte, selectors, services
from .inputs import InputRefused, read_inputs
from .models import EvaluationResult

router = Router(tags=[_("评价与政策")])
Kind = Literal["hte", "tsme"]


class ConditionOut(Schema):
    code: str
    passed: bool | None
    value: Any = None
    threshold: Any = None
    margin: Any = None


class ResultOut(Schema):
    uscc: str
    verdict: str
    conditions: list[ConditionOut]
    scores: dict[str, list[int]]
    total: list[int]
    route: str | None
    rd_method: str | None
    missing: list[str]
    gaps: list[str]


class ScreeningOut(Schema):
    uscc: str
    name: str
    verdict: str
    total: list[int]
    route: str | None


class StoredOut(Schema):
    ruleset: str
    stored: int


class StoredResultOut(Schema):
    uscc: str
    name: str
    year: int
    verdict: str
    total: list[int]
    route: str | None
    ruleset: str
    computed_at: str


@router.post(
    "/{kind}",
    response={200: list[ResultOut], 400: ErrorOut},
    summary=_("按国家标准评价企业（请求体同 kechuang evaluate 的 JSON）"),
)
def evaluate(request, kind: Kind):
    engine, _load = services.ENGINES[kind]
    try:
        records = read_inputs(kind, request.body, "input.json")
        return engine.evaluate(records)
    except (InputRefused, hte.ExpertScoreError) as exc:
        raise ValidationError(exc.messages) from exc


@router.get(
    "/{kind}/screening",
    response={200: list[ScreeningOut], 403: ErrorOut},
    summary=_("按单位档案筛选管辖范围内的全部单位"),
)
@paginate(LimitOffsetPagination)
def screening(request, kind: Kind, year: int):
    if not permitted(request.user, AnnualFigures, "view"):
        raise AccessDenied(gettext("无权查看单位年度数据"))
    engine, load = services.ENGINES[kind]
    columns = load(user=request.user, year=year)
    evaluation = engine.Evaluation(columns=columns)
    if kind == "hte":
        verdicts, low, high, routes = evaluation.verdict, evaluation.total_low, evaluation.total_high, None
    else:
        verdicts = ["qualifies" if q else "fails" for q in evaluation.qualifies]
        low = high = evaluation.total
        routes = evaluation.route
    return [
        {"uscc": uscc, "name": name, "verdict": str(verdict), "total": [int(a), int(b)],
         "route": routes[i] if routes is not None else None}
        for i, (uscc, name, verdict, a, b) in enumerate(zip(columns["uscc"], columns["name"], verdicts, low, high,
                                                              strict=True))
    ]  # fmt: skip


@router.post(
    "/{kind}/results",
    response={201: StoredOut, 403: ErrorOut},
    summary=_("评价管辖范围内的全部单位并保存结果（连同所用规则版本）"),
)
def results_store(request, kind: Kind, year: int):
    version, stored = services.evaluations_store(actor=request.user, kind=kind, year=year)
    return Status(201, {"ruleset": services.describe(version), "stored": stored})


@router.get(
    "/{kind}/results",
    response={200: list[StoredResultOut], 403: ErrorOut},
    summary=_("已保存的当前评价结果"),
)
@paginate(LimitOffsetPagination)
def results_list(request, kind: Kind, year: int):
    if not permitted(request.user, EvaluationResult, "view"):
        raise AccessDenied(gettext("无权查看评价结果"))
    stored = selectors.results(user=request.user, kind=kind, year=year)
    return [
        {"uscc": r.organisation.uscc, "name": r.organisation.name, "year": r.year, "verdict": r.verdict,
         "total": [r.total_min, r.total_max], "route": r.route or None, "ruleset": services.describe(r.ruleset),
         "computed_at": r.computed_at.isoformat()}
        for r in stored
    ]  # fmt: skip
