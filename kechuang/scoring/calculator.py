"""政策计算器 and 免申即享 (issue #5 item 6): for one enterprise, every scheme it meets or nearly meets — the two
national rule sets and each published enterprise scoring model with a pass score — with reasons and gaps; and for a
scheme and a year, the enterprises in scope that meet it from data alone.

A scheme's status is one of ``meets``; ``pending`` (nothing the data says fails, but the master file lacks data the
rules need, e.g. 查账征收 or expert scores, so the bureau confirms before granting); ``nearly`` (a national rule set
failed on exactly one condition, or a model's total short of the pass score by at most the margin — by default 10 %
of the pass score, setting ``SCORING_NEAR_MARGIN``); ``fails``."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.roles import scope_kind
from kechuang.core.access import AccessDenied, restrict
from kechuang.core.exceptions import NotFound
from kechuang.core.i18n import join_list
from kechuang.core.validators import normalise_uscc
from kechuang.evaluation import labels
from kechuang.evaluation.services import ENGINES

from . import selectors
from .choices import Verdict
from .engine import Outcome, format_number
from .models import ScoringModel

STATUSES = {
    "meets": _("符合"),
    "pending": _("数据显示符合，待确认"),
    "nearly": _("接近符合"),
    "fails": _("不符合"),
}
# The tech-SME score conditions do not apply to an enterprise that qualifies by a direct route.
SCORE_CONDITIONS = ("score", "st_staff_nonzero")


def enterprise(*, user, uscc: str):
    """The organisation a calculator is for: an organisation user's own (named or not), or the one in the user's scope
    with the credit code (404 when none is named or it is outside the scope)."""
    from kechuang.orgs.models import Organisation

    named = normalise_uscc(uscc)
    if scope_kind(user.role) == "org":
        own = user.organisation
        if named and (own is None or named != own.uscc):  # never another firm's, and never silently one's own instead
            raise NotFound(gettext("只能查看本单位：统一社会信用代码“{uscc}”不是您所在单位的").format(uscc=named[:18]))
        return own
    if not named:
        raise NotFound(gettext("请给出统一社会信用代码"))
    found = restrict(Organisation, user).filter(uscc=named).first()
    if found is None:
        raise NotFound(gettext("没有统一社会信用代码为“{uscc}”的单位，或不在您的管辖范围内").format(uscc=named[:18]))
    return found


def figure_years(*, user, organisation) -> list[int]:
    """The years of the organisation's approved figures, newest first (whole years)."""
    from kechuang.orgs.selectors import approved_figures

    found = approved_figures(user=user).filter(organisation=organisation).order_by("-year")
    return [int(y) for y in found.values_list("year", flat=True)]


def ensure_bureau(user) -> None:
    """免申即享 lists are the bureau's: users whose scope is a region."""
    if scope_kind(user.role) != "region":
        raise AccessDenied(gettext("免申即享名单仅供科技局查看"))


def default_margin() -> Decimal:
    return Decimal(str(getattr(settings, "SCORING_NEAR_MARGIN", "0.10")))


@dataclass
class Scheme:
    key: str  # "hte", "tsme" or "model:<pk>"
    title: str
    status: str
    reasons: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    score: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUSES[self.status])

    @property
    def missing_text(self) -> str:
        return join_list(self.missing)


def scheme_choices() -> list[tuple[str, str]]:
    national = [(kind, str(labels.TITLES[kind])) for kind in ENGINES]
    return national + [(f"model:{m.pk}", f"{m.name}（v{m.version}）") for m in selectors.schemes()]


def national_status(kind: str, result: dict) -> Scheme:
    failed = [
        c for c in result["conditions"]
        if c["passed"] is False and not (kind == "tsme" and result.get("route") not in (None, "score")
                                         and c["code"] in SCORE_CONDITIONS)
    ]  # fmt: skip
    undecided = [c for c in result["conditions"] if c["passed"] is None]
    if result["verdict"] in ("likely", "qualifies"):
        status = "meets"
    elif not failed:
        status = "pending"
    elif len(failed) == 1:
        status = "nearly"
    else:
        status = "fails"
    reasons = [gettext("不符合：{c}").format(c=labels.CONDITIONS[kind][c["code"]]) for c in failed]
    reasons += [gettext("待定：{c}").format(c=labels.CONDITIONS[kind][c["code"]]) for c in undecided]
    if result.get("route"):
        route = labels.ROUTES.get(result["route"], result["route"])
        reasons.insert(0, gettext("认定途径：{route}").format(route=route))
    low, high = result["total"]
    return Scheme(
        key=kind, title=str(labels.TITLES[kind]), status=status, reasons=reasons, gaps=list(result["gaps"]),
        missing=list(dict.fromkeys(str(labels.FIELDS.get(n.split("[")[0], n)) for n in result["missing"])),
        score=str(low) if low == high else f"{low}–{high}",
    )  # fmt: skip


def model_status(model: ScoringModel, outcome: Outcome, margin: Decimal) -> Scheme:
    """A model's verdict with the margin: short of the pass score by at most ``margin × pass score`` is nearly."""
    status = {Verdict.MEETS: "meets", Verdict.UNDECIDED: "pending"}.get(outcome.verdict, "fails")
    if status == "fails" and outcome.shortfall is not None and outcome.shortfall <= margin * model.pass_score:
        status = "nearly"
    reasons = [
        gettext("{name}：{value}，{band}得 {points} 分").format(
            name=i.name, value=format_number(i.value), band=f"{i.band} " if i.band else gettext("未达最低档，"),
            points=format_number(i.points),
        )
        for i in outcome.items if not i.missing
    ]  # fmt: skip
    gaps = []
    if outcome.shortfall:
        gaps.append(gettext("总分还差 {n} 分达到达标线 {line} 分").format(
            n=format_number(outcome.shortfall), line=format_number(model.pass_score)))  # fmt: skip
        gaps += [gettext("{name}：{gap} 分").format(name=i.name, gap=i.next_gap) for i in outcome.items if i.next_gap]
    return Scheme(
        key=f"model:{model.pk}", title=f"{model.name}（v{model.version}）", status=status, reasons=reasons, gaps=gaps,
        missing=list(outcome.missing), score=format_number(outcome.total),
    )  # fmt: skip


def for_enterprise(
    *, user, organisation, year: int, margin: Decimal | None = None, national: dict[str, dict] | None = None
) -> list[Scheme]:
    """Every scheme, with the enterprise's status under it, for the fiscal year ``year``; ``national`` are the
    enterprise's national results when the caller has them already (by kind)."""
    margin = default_margin() if margin is None else margin
    found = []
    for kind, (engine, load) in ENGINES.items():
        if national is not None and kind in national:
            found.append(national_status(kind, national[kind]))
            continue
        columns = load(user=user, year=year, organisations=[organisation.pk])
        if columns["organisation_id"]:
            found.append(national_status(kind, engine.Evaluation(columns=columns).result(0)))
    population = None  # the enterprise's fields, loaded once for every scheme
    for model in selectors.schemes():
        if population is None:
            population = selectors.load(user=user, subject=model.subject, year=year, organisations=[organisation.pk])
        rows = selectors.evaluate(user=user, model=model, year=year, population=population)
        if rows:
            found.append(model_status(model, rows[0].outcome, margin))
    return found


@dataclass
class Candidate:
    uscc: str
    name: str
    status: str
    score: str
    notes: str

    @property
    def status_label(self) -> str:
        return str(STATUSES[self.status])


def candidates(*, user, scheme: str, year: int) -> list[Candidate]:
    """The enterprises in scope that meet the scheme from data alone (met, or met pending data the master file
    lacks), those that meet first, then by score."""
    found = []
    if scheme in ENGINES:
        engine, load = ENGINES[scheme]
        columns = load(user=user, year=year)
        evaluation = engine.Evaluation(columns=columns)
        for i in range(len(columns["organisation_id"])):
            status = national_status(scheme, evaluation.result(i))
            if status.status in ("meets", "pending"):
                notes = join_list(status.reasons if status.status == "pending" else status.reasons[:1])
                found.append(Candidate(columns["uscc"][i], columns["name"][i], status.status, status.score, notes))
    else:
        model = _scheme_model(scheme)
        for row in selectors.evaluate(user=user, model=model, year=year):
            if row.outcome.verdict in (Verdict.MEETS, Verdict.UNDECIDED):
                status = "meets" if row.outcome.verdict == Verdict.MEETS else "pending"
                notes = gettext("缺少数据：{m}").format(m=row.missing_text) if row.outcome.missing else ""
                found.append(Candidate(row.key, row.name, status, format_number(row.outcome.total), notes))
    return sorted(found, key=lambda c: (c.status != "meets", -_number(c.score), c.name))


def _number(text: str) -> Decimal:
    try:
        return Decimal(text.split("–")[-1])
    except ArithmeticError:
        return Decimal(0)


def _scheme_model(scheme: str) -> ScoringModel:
    pk = scheme.removeprefix("model:")
    model = selectors.schemes().filter(pk=int(pk)).first() if pk.isdigit() else None
    if model is None:
        raise LookupError(scheme)
    return model
