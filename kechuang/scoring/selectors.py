"""Reads of the scoring models and their evaluation over every subject in a user's scope, ranked."""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext

from kechuang.core.access import permitted, restrict
from kechuang.core.exceptions import AccessDenied
from kechuang.core.i18n import join_list

from .choices import ModelStatus, Subject
from .engine import Outcome, Rule, rule_of, score
from .fields import LOADERS, SOURCES, Population
from .models import ScoringModel, ScoringResult


@dataclass
class Row:
    rank: int
    pk: int | None
    name: str
    key: str
    organisation: int | None
    region: int | None
    outcome: Outcome

    @property
    def missing_text(self) -> str:
        return join_list(self.outcome.missing)


def model_list(*, user, filters: dict | None = None) -> QuerySet:
    models = restrict(ScoringModel, user)
    filters = filters or {}
    if filters.get("subject"):
        models = models.filter(subject=filters["subject"])
    if filters.get("status"):
        models = models.filter(status=filters["status"])
    return models.order_by("subject", "code", "-version")


def model_get(*, user, pk: int, action: str = "view") -> ScoringModel:
    found = restrict(ScoringModel, user, action).filter(pk=pk).first()
    if found is None:
        raise Http404(gettext("没有该评价模型，或无权查看"))
    return found


def versions(model: ScoringModel) -> QuerySet:
    return ScoringModel.objects.filter(code=model.code).order_by("-version")


def schemes() -> QuerySet:
    """The published enterprise models with a pass score: the county's schemes (达标方案). Policy is public, like
    the national rule sets: the calculator shows them to every user who may see an enterprise's figures."""
    return ScoringModel.objects.filter(
        subject=Subject.ENTERPRISE, status=ModelStatus.PUBLISHED, pass_score__isnull=False
    ).prefetch_related("criteria").order_by("code")  # fmt: skip


def rules(model: ScoringModel) -> list[Rule]:
    return [rule_of(c) for c in model.criteria.all()]


def may_evaluate(user, model: ScoringModel) -> bool:
    """Whether the user may read the data the model scores (projects: values the user types in)."""
    source = SOURCES.get(model.subject)
    return source is None or permitted(user, apps.get_model(source), "view")


def load(*, user, subject: str, year: int, organisations=None) -> Population:
    """The field values of every subject of this kind in the user's scope for ``year``: load once, score with as
    many models of the subject as needed (``evaluate(population=...)``)."""
    return LOADERS[subject](user=user, year=year, organisations=organisations)


def evaluate(
    *, user, model: ScoringModel, year: int, organisations=None, population: Population | None = None
) -> list[Row]:
    """Every subject in the user's scope scored for ``year``, best first (ties by name); ``population`` when the
    caller loaded it already for the model's subject."""
    if model.subject == Subject.PROJECT:
        raise ValueError("projects are scored from entered values: use evaluate_entered")
    if not may_evaluate(user, model):
        raise AccessDenied(gettext("无权查看该模型所评价的数据"))
    if population is None:
        population = load(user=user, subject=model.subject, year=year, organisations=organisations)
    criteria = rules(model)
    outcomes = [score(criteria, population.row(i), model.pass_score) for i in range(len(population.ids))]
    order = sorted(range(len(outcomes)), key=lambda i: (-outcomes[i].total, population.names[i]))
    return [
        Row(rank, population.ids[i], population.names[i], population.keys[i], population.organisations[i],
            population.regions[i], outcomes[i])
        for rank, i in enumerate(order, start=1)
    ]  # fmt: skip


def evaluate_entered(*, model: ScoringModel, entries: list[tuple[str, dict]]) -> list[Row]:
    """Subjects typed in or uploaded (projects): each a name and its values by criterion code, ranked."""
    criteria = rules(model)
    outcomes = [(name, score(criteria, values, model.pass_score)) for name, values in entries]
    ranked = sorted(outcomes, key=lambda pair: (-pair[1].total, pair[0]))
    return [Row(rank, None, name, "", None, None, outcome) for rank, (name, outcome) in enumerate(ranked, start=1)]


def results(*, user, model: ScoringModel, year: int | None = None) -> QuerySet:
    found = restrict(ScoringResult, user).filter(model=model)
    if year is not None:
        found = found.filter(year=year)
    return found.order_by("-computed_at", "-total")
