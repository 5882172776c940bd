"""Writes of the evaluations: recording the rule-set version used and storing organisations' results with it."""

from django.db import transaction
from django.utils.translation import gettext

from kechuang.core.access import ensure_permitted, restrict
from kechuang.core.audit import audit_bulk
from kechuang.core.choices import AuditAction
from kechuang.orgs.selectors import approved_figures

from . import hte, selectors, tsme
from .common import decode, encode
from .models import EvaluationResult, RuleSetVersion
from .rules import RuleSet, from_source, ruleset

ENGINES = {"hte": (hte, selectors.hte_columns), "tsme": (tsme, selectors.tsme_columns)}


def ruleset_version(rules: RuleSet) -> RuleSetVersion:
    """The stored version of a rule set, recorded the first time it is used (the same file is one version)."""
    version, _created = RuleSetVersion.objects.get_or_create(
        digest=rules.digest,
        defaults={
            "kind": rules.kind,
            "version": rules.version,
            "name": rules.name,
            "documents": list(rules.documents),
            "effective_from": rules.effective_from,
            "effective_to": rules.effective_to,
            "source": rules.source,
        },
    )
    return version


@transaction.atomic
def evaluations_store(*, actor, kind: str, year: int) -> tuple[RuleSetVersion, int]:
    """Evaluate every organisation in the actor's scope with approved figures for ``year`` under the shipped rules
    and store each result with the rule-set version and the inputs used; the earlier result of the same
    organisation, kind and year stays as history. Audited. Returns the version and the number stored."""
    ensure_permitted(actor, EvaluationResult, "add")
    engine, load = ENGINES[kind]
    rules = ruleset(kind)
    version = ruleset_version(rules)
    columns = load(user=actor, year=year)
    evaluation = engine.Evaluation(columns=columns, rules=rules)
    earlier = EvaluationResult.objects.all() if actor is None else restrict(EvaluationResult, actor)
    earlier.filter(
        kind=kind, year=year, current=True,
        organisation__in=approved_figures(user=actor).filter(year=year).values("organisation_id"),
    ).update(current=False)  # fmt: skip
    rows = []
    for i, organisation_id in enumerate(columns["organisation_id"]):
        result = evaluation.result(i)
        rows.append(
            EvaluationResult(
                organisation_id=organisation_id, kind=kind, year=year, ruleset=version, verdict=result["verdict"],
                total_min=result["total"][0], total_max=result["total"][1], route=result["route"] or "",
                result=result, inputs=encode(evaluation.record(i)), computed_by=actor,
            )
        )  # fmt: skip
    EvaluationResult.objects.bulk_create(rows, batch_size=2000)
    audit_bulk(actor=actor, action=AuditAction.CREATE, entries=[(row, None, _summary(row)) for row in rows])
    return version, len(rows)


def _summary(row: EvaluationResult) -> dict:
    return {"kind": row.kind, "year": row.year, "ruleset": row.ruleset.digest[:12], "verdict": row.verdict,
            "total": [row.total_min, row.total_max]}  # fmt: skip


def reproduce(stored: EvaluationResult) -> dict:
    """The result of a stored evaluation computed again from its inputs under the rule-set version it used, whatever
    the rules shipped today say."""
    engine, _load = ENGINES[stored.kind]
    return engine.evaluate([decode(stored.inputs)], from_source(stored.ruleset.source))[0]


def describe(version: RuleSetVersion) -> str:
    return gettext("{name} {version}（{digest}）").format(
        name=version.name, version=version.version, digest=version.digest[:12]
    )
