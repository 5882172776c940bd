"""Writes of the scoring models: create and edit a draft (validated), publish it (freezing the version), make a
new draft version of a published model, retire it, store results under a version. Each is audited in its own
transaction."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from kechuang.core.access import ensure_permitted
from kechuang.core.audit import audit_bulk, audit_write, snapshot
from kechuang.core.choices import AuditAction
from kechuang.core.i18n import join_list

from .choices import BandUnit, ModelStatus, Subject
from .engine import LIMIT, format_number, in_range
from .fields import CATALOGUE
from .models import Criterion, ScoringModel, ScoringResult

MODEL_FIELDS = ("code", "name", "subject", "purpose", "total", "pass_score")
CRITERION_FIELDS = ("code", "name", "field", "weight", "unit", "bands", "order")


def validate(data: dict, criteria: list[dict]) -> None:
    """Every rule a model must keep, each broken one named in a message that says how to fix it."""
    errors = []
    total = Decimal(data.get("total") or 100)
    subject = data.get("subject")
    known = CATALOGUE.get(subject, {})
    pass_score = data.get("pass_score")
    if pass_score is not None and not Decimal(0) < Decimal(pass_score) <= total:
        errors.append(
            gettext("达标分数线 {score} 分应大于 0 且不超过满分 {total} 分。").format(
                score=format_number(Decimal(pass_score)), total=format_number(total)
            )
        )
    if not criteria:
        errors.append(gettext("模型还没有评价指标，请至少添加一项。"))
    seen = set()
    for criterion in criteria:
        errors += _criterion_errors(criterion, known, subject, seen)
    weights = sum((Decimal(c["weight"]) for c in criteria if c.get("weight") is not None), Decimal(0))
    if criteria and weights != total:
        errors.append(
            gettext("各指标权重之和为 {sum} 分，应等于满分 {total} 分；请调整权重（相差 {diff} 分）。").format(
                sum=format_number(weights), total=format_number(total), diff=format_number(total - weights)
            )
        )
    if errors:
        raise ValidationError(errors)


def _criterion_errors(criterion: dict, known: dict, subject: str, seen: set) -> list[str]:
    name = criterion.get("name") or criterion.get("code") or "?"
    errors = []
    code = criterion.get("code")
    if code in seen:
        errors.append(gettext("指标代码“{code}”重复，每个指标的代码应不同。").format(code=code))
    seen.add(code)
    if criterion.get("field") not in known:
        errors.append(
            gettext("指标“{name}”的数据项“{field}”不是{subject}评价的数据项；可选：{choices}。").format(
                name=name, field=criterion.get("field") or "", subject=Subject(subject).label if subject in
                Subject.values else "", choices=join_list(f"{f.code} {f.label}" for f in known.values()),
            )
        )  # fmt: skip
    weight = Decimal(criterion.get("weight") or 0)
    if weight <= 0:
        errors.append(gettext("指标“{name}”的权重应大于 0 分。").format(name=name))
    bands = criterion.get("bands") or []
    if not bands:
        errors.append(gettext("指标“{name}”还没有档位，请至少设置一档（下限与分值）。").format(name=name))
    fraction = criterion.get("unit") == BandUnit.FRACTION
    previous = None
    for i, band in enumerate(bands, start=1):
        try:
            lower, value = Decimal(str(band["lower"])), Decimal(str(band["value"]))
        except (InvalidOperation, KeyError, TypeError):
            errors.append(gettext("指标“{name}”第 {i} 档缺少下限或分值，或不是数字。").format(name=name, i=i))
            continue
        if not (in_range(lower) and in_range(value)):
            errors.append(
                gettext("指标“{name}”第 {i} 档的下限或分值太大：绝对值应小于 {limit}。").format(
                    name=name, i=i, limit=f"{LIMIT:,.0f}"
                )
            )
            continue
        if previous is not None and lower <= previous:
            errors.append(
                gettext(
                    "指标“{name}”的档位未按下限从低到高排列：第 {i} 档下限 {lower} 不大于第 {j} 档下限 {previous}；"
                    "请按下限严格递增排列，下限不得重复。"
                ).format(name=name, i=i, j=i - 1, lower=format_number(lower), previous=format_number(previous))
            )
        previous = lower
        if fraction and not Decimal(0) <= value <= Decimal(1):
            errors.append(
                gettext("指标“{name}”第 {i} 档的比例 {value} 超出 0 至 1 的范围。").format(
                    name=name, i=i, value=format_number(value)
                )
            )
        if not fraction and not Decimal(0) <= value <= weight:
            errors.append(
                gettext("指标“{name}”第 {i} 档的分值 {value} 分超出 0 至权重 {weight} 分的范围。").format(
                    name=name, i=i, value=format_number(value), weight=format_number(weight)
                )
            )
    return errors


def _state(model: ScoringModel) -> dict:
    return snapshot(model) | {"criteria": [_criterion_state(c) for c in model.criteria.all()]}


def _criterion_state(criterion: Criterion) -> dict:
    return {name: str(getattr(criterion, name)) if name == "weight" else getattr(criterion, name)
            for name in CRITERION_FIELDS}  # fmt: skip


def _write_criteria(model: ScoringModel, criteria: list[dict]) -> None:
    model.criteria.all().delete()
    Criterion.objects.bulk_create(
        Criterion(model=model, **{name: c.get(name) for name in CRITERION_FIELDS if name != "order"},
                  order=c.get("order") if c.get("order") is not None else i)
        for i, c in enumerate(criteria)
    )  # fmt: skip


@transaction.atomic
def model_create(*, actor, data: dict, criteria: list[dict]) -> ScoringModel:
    """A new model, version 1, as a draft."""
    ensure_permitted(actor, ScoringModel, "add")
    validate(data, criteria)
    if ScoringModel.objects.filter(code=data["code"]).exists():
        raise ValidationError(
            {"code": gettext("模型代码“{code}”已被使用；要修改该模型，请打开它并点“修改”。").format(code=data["code"])}
        )
    model = ScoringModel.objects.create(**{name: data.get(name) for name in MODEL_FIELDS if name in data})
    _write_criteria(model, criteria)
    audit_write(actor=actor, action=AuditAction.CREATE, instance=model, before=None, after=_state(model))
    return model


@transaction.atomic
def model_update(*, actor, model: ScoringModel, data: dict, criteria: list[dict]) -> ScoringModel:
    """Edit a draft; a published or retired version is frozen (edit its new draft version instead)."""
    ensure_permitted(actor, ScoringModel, "change")
    model = ScoringModel.objects.select_for_update().get(pk=model.pk)
    if model.status != ModelStatus.DRAFT:
        raise ValidationError(gettext("已发布或已停用的版本不能修改；请点“修改”生成新的草稿版本后再编辑。"))
    # A version's code and subject are fixed: they say what its results mean.
    data = {**{name: getattr(model, name) for name in MODEL_FIELDS}, **data, "code": model.code,
            "subject": model.subject}  # fmt: skip
    validate(data, criteria)
    before = _state(model)
    for name in MODEL_FIELDS:
        if name in data and name != "code":
            setattr(model, name, data[name])
    model.save()
    _write_criteria(model, criteria)
    audit_write(actor=actor, action=AuditAction.UPDATE, instance=model, before=before, after=_state(model))
    return model


@transaction.atomic
def model_new_version(*, actor, model: ScoringModel) -> ScoringModel:
    """The draft of the next version of a model, a copy of ``model`` (the existing draft of its code if any)."""
    ensure_permitted(actor, ScoringModel, "add")
    draft = ScoringModel.objects.filter(code=model.code, status=ModelStatus.DRAFT).first()
    if draft is not None:
        return draft
    latest = ScoringModel.objects.filter(code=model.code).aggregate(v=Max("version"))["v"] or 0
    draft = ScoringModel.objects.create(
        **{name: getattr(model, name) for name in MODEL_FIELDS}, version=latest + 1, status=ModelStatus.DRAFT
    )
    _write_criteria(draft, [_criterion_state(c) for c in model.criteria.all()])
    audit_write(actor=actor, action=AuditAction.CREATE, instance=draft, before=None, after=_state(draft))
    return draft


@transaction.atomic
def model_publish(*, actor, model: ScoringModel) -> ScoringModel:
    """Freeze a draft as the published version of its code; the version published before is retired."""
    ensure_permitted(actor, ScoringModel, "change")
    model = ScoringModel.objects.select_for_update().get(pk=model.pk)
    if model.status != ModelStatus.DRAFT:
        raise ValidationError(gettext("只有草稿可以发布；该版本的状态是“{status}”。").format(
            status=model.get_status_display()))  # fmt: skip
    validate(
        {name: getattr(model, name) for name in MODEL_FIELDS},
        [_criterion_state(c) for c in model.criteria.all()],
    )
    for earlier in ScoringModel.objects.select_for_update().filter(code=model.code, status=ModelStatus.PUBLISHED):
        before = snapshot(earlier)
        earlier.status = ModelStatus.RETIRED
        earlier.save(update_fields=["status", "updated"])
        audit_write(actor=actor, action=AuditAction.UPDATE, instance=earlier, before=before, after=snapshot(earlier))
    before = snapshot(model)
    model.status = ModelStatus.PUBLISHED
    model.published_at = timezone.now()
    model.published_by = actor if getattr(actor, "pk", None) else None
    model.save()
    audit_write(actor=actor, action=AuditAction.APPROVE, instance=model, before=before, after=snapshot(model))
    return model


@transaction.atomic
def model_retire(*, actor, model: ScoringModel) -> ScoringModel:
    """Withdraw a published version (it stays, with its results, for the record)."""
    ensure_permitted(actor, ScoringModel, "change")
    model = ScoringModel.objects.select_for_update().get(pk=model.pk)
    if model.status != ModelStatus.PUBLISHED:
        raise ValidationError(gettext("只有已发布的版本可以停用。"))
    before = snapshot(model)
    model.status = ModelStatus.RETIRED
    model.save(update_fields=["status", "updated"])
    audit_write(actor=actor, action=AuditAction.UPDATE, instance=model, before=before, after=snapshot(model))
    return model


@transaction.atomic
def model_delete(*, actor, model: ScoringModel) -> None:
    """Delete a draft that was never published (published versions stay for their results)."""
    ensure_permitted(actor, ScoringModel, "delete")
    model = ScoringModel.objects.select_for_update().get(pk=model.pk)  # not published meanwhile
    if model.status != ModelStatus.DRAFT:
        raise ValidationError(gettext("只能删除草稿；已发布的版本请停用。"))
    before = _state(model)
    audit_write(actor=actor, action=AuditAction.DELETE, instance=model, before=before, after=None)
    model.delete()


@transaction.atomic
def results_store(*, actor, model: ScoringModel, year: int) -> int:
    """Score every subject in the actor's scope for ``year`` under this published version and store each result with
    it. Audited. Returns the number stored."""
    from .selectors import evaluate

    ensure_permitted(actor, ScoringResult, "add")
    if model.status != ModelStatus.PUBLISHED:
        raise ValidationError(gettext("只能用已发布的模型保存评价结果。"))
    rows = [
        ScoringResult(
            model=model, year=year, subject_id=row.pk, subject_name=row.name[:255], organisation_id=row.organisation,
            region_id=row.region, total=row.outcome.total, verdict=row.outcome.verdict,
            details=[{"code": i.code, "value": _text(i.value), "band": i.band, "points": str(i.points),
                      "missing": i.missing} for i in row.outcome.items],
            computed_by=actor if getattr(actor, "pk", None) else None,
        )
        for row in evaluate(user=actor, model=model, year=year)
    ]  # fmt: skip
    ScoringResult.objects.bulk_create(rows, batch_size=2000)
    audit_bulk(
        actor=actor,
        action=AuditAction.CREATE,
        entries=[(r, None, {"model": model.pk, "year": year, "total": str(r.total)}) for r in rows],
    )
    return len(rows)


def _text(value) -> str | None:
    return None if value is None else str(value)
