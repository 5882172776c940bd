"""Writes of plan monitoring: importing plans, running assessments, entering and approving manual observations.
Every write checks the actor's rights (``None`` is the system) and leaves its audit rows in the same transaction."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kechuang.core.access import ensure_may, ensure_permitted, may
from kechuang.core.audit import audit_write, snapshot
from kechuang.core.choices import AuditAction
from kechuang.core.exceptions import ServiceError
from kechuang.core.i18n import join_list, stored_text
from kechuang.core.importkit import normalise
from kechuang.core.services import record_add, record_create, record_delete, record_update, record_upsert
from kechuang.core.tabular import RowErrors, read_checked
from kechuang.regions.models import Region

from . import method
from .choices import ObservationStatus, Vintage
from .explain import explanation
from .models import (
    RATE_COMPONENTS,
    VALUE_COMPONENTS,
    AnnualTarget,
    Assessment,
    Indicator,
    IndicatorResult,
    Observation,
    Plan,
    TargetRevision,
)
from .selectors import forget_assessments_version, indicator_values, years_needed

__all__ = [
    "assessment_run",
    "assessment_run_many",
    "indicator_create",
    "indicator_update",
    "may_approve_draft",
    "observation_approve",
    "observation_enter",
    "observation_return",
    "observation_submit",
    "observations_import",
    "plan_create",
    "plan_import",
    "plan_update",
    "target_revise",
]

THRESHOLD_FIELDS = {
    "ahead": "threshold_ahead",
    "on_track": "threshold_on_track",
    "on_track_binding": "threshold_on_track_binding",
    "lagging": "threshold_lagging",
}


# plans


@transaction.atomic
def plan_import(*, actor, data: dict) -> tuple[Plan, dict[str, int]]:
    """Create or update a plan from checked plan data (``planfile.read_plan``); upserts by code, so importing the
    same file twice changes nothing. Indicators missing from the file are refused rather than deleted, because
    their observations and assessments would go with them. Returns the plan and created/updated/unchanged counts."""
    region = Region.objects.filter(code=data["region"]).first()
    if region is None:
        raise ServiceError(gettext("规划 region：没有区划代码“{code}”").format(code=data["region"]))
    existing = Plan.objects.filter(code=data["code"]).first()
    ensure_permitted(actor, Plan, "change" if existing else "add")
    counts = {"created": 0, "updated": 0, "unchanged": 0}

    def upsert(model, key, values):
        record, outcome = record_upsert(actor=actor, model=model, key=key, values=values, check=actor is not None)
        counts[outcome] += 1
        return record

    thresholds = {THRESHOLD_FIELDS[k]: v for k, v in data.get("thresholds", {}).items()}
    plan_values = {
        "name": data["name"],
        "region": region,
        "baseline_year": data["baseline_year"],
        "target_year": data["target_year"],
        **thresholds,
    }
    plan = upsert(Plan, {"code": data["code"]}, plan_values)
    codes = [item["code"] for item in data["indicators"]]
    dropped = list(plan.indicators.exclude(code__in=codes).values_list("code", flat=True))
    if dropped:
        raise ServiceError(
            gettext("文件中缺少规划已有的指标：{codes}。指标不会因导入而删除，如确需删除请在网页上操作").format(
                codes=join_list(dropped)
            )
        )
    for position, item in enumerate(data["indicators"], start=1):
        _indicator_import(plan, position, item, upsert, actor, counts)
    forget_assessments_version()
    return plan, counts


def _indicator_import(plan: Plan, position: int, item: dict, upsert, actor, counts: dict) -> None:
    _refuse_rewritten_targets(plan, item)
    fields = {k: v for k, v in item.items() if k not in ("code", "annual_targets", "revisions")}
    indicator = upsert(Indicator, {"plan": plan, "code": item["code"]}, {"position": position, **fields})
    for year, value in item["annual_targets"].items():
        upsert(AnnualTarget, {"indicator": indicator, "year": year}, {"value": value})
    for stale in indicator.annual_targets.exclude(year__in=list(item["annual_targets"])):
        record_delete(actor=actor, instance=stale, check=actor is not None)
        counts["updated"] += 1
    for revision in item["revisions"]:
        upsert(
            TargetRevision,
            {"indicator": indicator, "date": revision["date"]},
            {"target": revision["target"], "document": revision["document"]},
        )


@transaction.atomic
def plan_create(*, actor, **fields) -> Plan:
    plan = record_add(actor=actor, instance=Plan(**fields))
    forget_assessments_version()
    return plan


@transaction.atomic
def indicator_create(*, actor, plan: Plan, **fields) -> Indicator:
    """Add an indicator at the end of the plan's list."""
    last = plan.indicators.order_by("-position").values_list("position", flat=True).first() or 0
    indicator = record_add(actor=actor, instance=Indicator(plan=plan, position=last + 1, **fields))
    forget_assessments_version()
    return indicator


@transaction.atomic
def plan_update(*, actor, plan: Plan, data: dict) -> Plan:
    plan = record_update(actor=actor, instance=plan, data=data, check=actor is not None)
    forget_assessments_version()
    return plan


@transaction.atomic
def indicator_update(*, actor, indicator: Indicator, data: dict) -> Indicator:
    """Change an indicator's definition; its target changes only through ``target_revise``."""
    data = {k: v for k, v in data.items() if k != "target"}
    indicator = record_update(actor=actor, instance=indicator, data=data, check=actor is not None)
    forget_assessments_version()
    return indicator


@transaction.atomic
def target_revise(*, actor, indicator: Indicator, date, target: Decimal, document: str) -> TargetRevision:
    """Record a revised target with the document that approved it; earlier revisions stay as history and
    assessments of years before the revision keep the target then in force."""
    if actor is not None:
        ensure_may(actor, "change", indicator)
    if indicator.revisions.filter(date=date).exists():
        raise ServiceError({"date": gettext("{date} 已有一次目标调整，请换一个日期或联系管理员").format(date=date)})
    revision = TargetRevision(indicator=indicator, date=date, target=target, document=document.strip())
    return record_create(actor=actor, instance=revision, check=False)


def _refuse_rewritten_targets(plan: Plan, item: dict) -> None:
    """A target, once set, changes only by a new revision with its document: a file may add revisions but not
    change the original target or a recorded revision (the history the assessments of past years rest on)."""
    existing = plan.indicators.filter(code=item["code"]).first()
    if existing is None:
        return
    if existing.target != item["target"]:
        message = gettext(
            "指标 {code}：目标值不能在文件中直接修改（原为 {old}，文件为 {new}），"
            "请在 revisions 中增加一次目标调整并注明批准文件"
        )
        raise ServiceError(
            message.format(code=item["code"], old=f"{existing.target.normalize():f}", new=item["target"])
        )
    recorded = {r.date: r for r in existing.revisions.all()}
    for revision in item["revisions"]:
        old = recorded.get(revision["date"])
        if old is not None and (old.target != revision["target"] or old.document != revision["document"]):
            message = gettext("指标 {code}：{date} 的目标调整已记录，不能修改；新的调整请用新的日期")
            raise ServiceError(message.format(code=item["code"], date=revision["date"]))


# assessment


@transaction.atomic
def assessment_run(*, actor, plan: Plan, region: Region, year: int) -> Assessment:
    """Assess every indicator of a plan for a region and year, store every component, and keep the earlier run of
    the same (plan, region, year) as history."""
    if year not in plan.years:
        raise ServiceError(
            gettext("{plan}只能评估 {first}—{last} 年，不能评估 {year} 年").format(
                plan=plan.name, first=plan.years[0], last=plan.years[-1], year=year
            )
        )
    if not region.path.startswith(plan.region.path):
        message = gettext("{region}不在规划所属的{plan_region}范围内")
        raise ServiceError(message.format(region=region.name, plan_region=plan.region.name))
    run = Assessment(plan=plan, region=region, year=year, computed_by=actor, thresholds=_thresholds_json(plan))
    ensure_permitted(actor, Assessment, "add")
    if actor is not None:
        ensure_may(actor, "add", run)
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one run of a plan at a time (PostgreSQL)
    Assessment.objects.filter(plan=plan, region=region, year=year, current=True).update(current=False)
    run.save()
    thresholds = plan.thresholds
    indicators = plan.indicators.select_related("plan").prefetch_related("annual_targets", "revisions")
    IndicatorResult.objects.bulk_create([_result(run, indicator, region, year, thresholds) for indicator in indicators])
    audit_write(actor=actor, action=AuditAction.CREATE, instance=run, before=None, after=snapshot(run))
    forget_assessments_version()
    return run


@transaction.atomic
def assessment_run_many(*, actor, plan: Plan, regions: list[Region], year: int) -> list[Assessment]:
    """Assess a plan for several regions (a city and its counties: the roll-up), all or none."""
    return [assessment_run(actor=actor, plan=plan, region=region, year=year) for region in regions]


def _thresholds_json(plan: Plan) -> dict[str, str]:
    return {key: str(value) for key, value in plan.thresholds.as_dict().items()}


def _result(run: Assessment, indicator: Indicator, region: Region, year: int, thresholds) -> IndicatorResult:
    values = indicator_values(indicator, region, years_needed(indicator, year))
    target = indicator.target_for(year)
    assessed = method.assess(indicator.spec(), year, values.values, thresholds, target=target)
    if not indicator.show_cagr:
        assessed.planned_growth = None  # a growth rate that means nothing is shown as "—" (专栏2's 新增 row)
    inputs = values.as_inputs(indicator.metric) | {"missing_years": assessed.missing_years}
    overflow = {
        name: str(getattr(assessed, name))
        for name in (*VALUE_COMPONENTS, *RATE_COMPONENTS)
        if getattr(assessed, name) is not None and getattr(assessed, name).adjusted() >= INTEGER_DIGITS
    }
    if overflow:
        inputs["overflow"] = overflow
    result = IndicatorResult(
        assessment=run,
        indicator=indicator,
        status=assessed.status,
        reason=assessed.reason,
        baseline=indicator.baseline,
        target=target,
        inputs=inputs,
        **{name: _stored(getattr(assessed, name), 6) for name in VALUE_COMPONENTS},
        **{name: _stored(getattr(assessed, name), 12) for name in RATE_COMPONENTS},
    )
    # Stored in the installation's language, whoever runs the assessment (everyone reads the same words).
    result.explanation = stored_text(explanation(indicator, result, thresholds))
    return result


INTEGER_DIGITS = 18  # what the columns hold before the decimal point (24 − 6 and 30 − 12)


def _stored(value: Decimal | None, places: int) -> Decimal | None:
    """A component at its column's places; one too large to store (a projection from a mistyped unit) is None, and
    its value kept in the inputs (``_overflow``)."""
    if value is None or value.adjusted() >= INTEGER_DIGITS:
        return None
    return value.quantize(Decimal(1).scaleb(-places))


# ---------------------------------------------------------------------------------------------------- observations


@transaction.atomic
def observation_enter(
    *,
    actor,
    indicator: Indicator,
    region: Region,
    year: int,
    value: Decimal,
    source: str,
    vintage: str,
    comment: str = "",
) -> tuple[Observation, str]:
    """Enter a value: a new draft revision, or the open draft/submitted one changed. An entry equal to the value
    that already counts changes nothing. Returns the observation and created/updated/unchanged."""
    if indicator.metric:
        raise ServiceError(gettext("指标“{name}”由登记数据自动计算，不接受人工填报").format(name=indicator.name))
    plan = indicator.plan
    if not region.path.startswith(plan.region.path):
        message = gettext("{region}不在规划所属的{plan_region}范围内")
        raise ServiceError({"region": message.format(region=region.name, plan_region=plan.region.name)})
    if not plan.baseline_year <= year <= plan.target_year:
        message = gettext("年份应为 {first}—{last} 之间的四位数字")
        raise ServiceError({"year": message.format(first=plan.baseline_year, last=plan.target_year)})
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()  # one entry per indicator at a time
    fields = {"value": value, "source": source, "vintage": vintage, "comment": comment}
    key = {"indicator": indicator, "region": region, "year": year}
    approved = Observation.objects.approved().filter(**key).order_by("-approved_at", "-pk").first()
    open_revision = Observation.objects.filter(**key).exclude(status=ObservationStatus.APPROVED).first()
    if open_revision is None and approved and _same(approved, fields):
        return approved, "unchanged"
    if open_revision is not None:
        if _same(open_revision, fields):
            return open_revision, "unchanged"
        data = fields | {"status": ObservationStatus.DRAFT, "entered_by": actor}
        return record_update(actor=actor, instance=open_revision, data=data, check=actor is not None), "updated"
    observation = Observation(**key, **fields, entered_by=actor, status=ObservationStatus.DRAFT)
    ensure_permitted(actor, Observation, "add")
    return record_create(actor=actor, instance=observation, check=actor is not None), "created"


def _same(observation: Observation, fields: dict) -> bool:
    return all(getattr(observation, name) == value for name, value in fields.items() if name != "comment")


def _transition(actor, observation: Observation, allowed, data: dict, action: str = "change") -> Observation:
    if observation.status not in allowed:
        raise ServiceError(
            gettext("该数据当前为“{status}”，不能进行此操作").format(status=observation.get_status_display())
        )
    if actor is not None:
        ensure_may(actor, action, observation)
    return record_update(actor=actor, instance=observation, data=data, check=False)


@transaction.atomic
def observation_submit(*, actor, observation: Observation) -> Observation:
    return _transition(actor, observation, (ObservationStatus.DRAFT,), {"status": ObservationStatus.SUBMITTED})


@transaction.atomic
def observation_approve(*, actor, observation: Observation) -> Observation:
    """Approve a submitted (or, for the system and an approver entering it themself, a draft) revision: from now
    on it is the value that counts; the earlier approved revisions stay as history."""
    data = {"status": ObservationStatus.APPROVED, "approved_by": actor, "approved_at": timezone.now()}
    allowed = (
        ObservationStatus.SUBMITTED,
        *([ObservationStatus.DRAFT] if may_approve_draft(actor, observation) else []),
    )
    return _transition(actor, observation, allowed, data, action="approve")


def may_approve_draft(actor, observation: Observation) -> bool:
    """A draft skips submission only when the system or the approver who entered it approves it."""
    return actor is None or observation.entered_by_id == actor.pk


@transaction.atomic
def observation_return(*, actor, observation: Observation, comment: str) -> Observation:
    if not comment.strip():
        raise ServiceError(gettext("退回时须填写退回意见"))
    data = {"status": ObservationStatus.DRAFT, "comment": comment.strip()}
    return _transition(actor, observation, (ObservationStatus.SUBMITTED,), data, action="approve")


OBSERVATION_HEADER = ["indicator", "region", "year", "value", "source", "vintage"]


@transaction.atomic
def observations_import(*, actor, plan: Plan, raw: bytes, filename: str, approve: bool = False) -> dict[str, int]:
    """Manual observations from a table with the header indicator,region,year,value,source,vintage (CSV in UTF-8,
    with or without BOM, or GB18030; or xlsx). Every problem is reported at once and nothing is written unless the
    whole file is clean; with ``approve`` each value is approved at once (the actor needs the approve right)."""
    if approve:
        ensure_permitted(actor, Observation, "approve")
    ensure_permitted(actor, Observation, "import")
    rows = read_checked(raw, filename, OBSERVATION_HEADER)
    errors, parsed = RowErrors(), []
    indicators = {i.code: i for i in plan.indicators.all()}
    regions = {r.code: r for r in Region.objects.filter(path__startswith=plan.region.path)}
    seen: set[tuple] = set()
    for line, row in rows:
        item = _observation_row(line, (row + [""] * 6)[:6], plan, indicators, regions, errors, actor)
        if item is None:
            continue
        key = (item["indicator"].code, item["region"].code, item["year"])
        if key in seen:
            errors.add(line, "indicator", gettext("与前面的行重复（同一指标、区划和年份只能有一行）"))
        seen.add(key)
        parsed.append(item)
    if errors:
        raise ServiceError(errors.messages)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "approved": 0}
    for item in parsed:
        observation, outcome = observation_enter(actor=actor, **item)
        counts[outcome] += 1
        if approve and observation.status != ObservationStatus.APPROVED:
            observation_approve(actor=actor, observation=observation)
            counts["approved"] += 1
    return counts


def _observation_row(line, row, plan, indicators, regions, errors, actor) -> dict | None:
    code, region_code, year, value, source, vintage = (cell.strip() for cell in row)
    before = len(errors.messages)
    indicator, region = indicators.get(code), regions.get(region_code)
    if indicator is None:
        errors.add(line, "indicator", gettext("规划{plan}中没有指标代码“{code}”").format(plan=plan.code, code=code))
    elif indicator.metric:
        errors.add(
            line, "indicator", gettext("指标“{name}”由登记数据自动计算，不接受人工填报").format(name=indicator.name)
        )
    if region is None:
        message = gettext("区划代码“{code}”不存在或不在{name}范围内")
        errors.add(line, "region", message.format(code=region_code, name=plan.region.name))
    elif actor is not None and not may(actor, "add", Observation(region=region)):
        errors.add(line, "region", gettext("区划“{name}”不在您的管辖范围内").format(name=region.name))
    first, last = plan.baseline_year, plan.target_year
    if not (year.isdigit() and first <= int(year) <= last):
        message = gettext("年份“{year}”应为 {first}—{last} 之间的四位数字")
        errors.add(line, "year", message.format(year=year, first=first, last=last))
    number = _decimal(value)
    if number is None:
        errors.add(line, "value", gettext("数值“{value}”不是数字（按指标的单位填写，不带单位）").format(value=value))
    if not source:
        errors.add(line, "source", gettext("来源文件不能为空，请填写统计公报、年鉴或文件名称"))
    if vintage not in Vintage.values:
        errors.add(line, "vintage", gettext("数据版本“{value}”应为 快报、年报 或 年鉴").format(value=vintage))
    if len(errors.messages) > before:
        return None
    return {
        "indicator": indicator,
        "region": region,
        "year": int(year),
        "value": number,
        "source": source[:128],
        "vintage": vintage,
    }


def _decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(normalise(text).replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
