"""Import kinds of the registry: ``achievements`` (key: 登记号), ``conversions`` (key: 成果登记号 + 年度 + 转化方式 +
实施单位) and ``contracts`` (key: 合同登记号). Awards have no import kind (the kind names are fixed).

Each export writes the import format, so an exported file imported back with ``--update`` changes nothing.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.access import may, restrict
from kechuang.core.audit import audit_bulk, snapshot
from kechuang.core.choices import AuditAction
from kechuang.core.importkit import Column, Plan, Schema, bulk_write, changed_values, copy_with, register
from kechuang.core.validators import normalise_uscc, uscc_error
from kechuang.orgs.choices import HitechDomain
from kechuang.orgs.importers import _key_conflict
from kechuang.orgs.models import Organisation
from kechuang.regions.models import Region

from .choices import AchievementKind, ContractKind, ConversionForm, EvaluationConclusion, EvaluationMethod
from .models import Achievement, AchievementUnit, Conversion, TechContract, normalise_names, normalise_number
from .references import UnitNotFound, UnitResolver, split_list, unit_text
from .selectors import in_region

EXAMPLE_USCC = "91450223MA5LD0013C"  # the demo's 广西鹿寨丝源茧丝绸有限公司
EXAMPLE_ORG = "广西鹿寨丝源茧丝绸有限公司"
IN_SCOPE_ONLY = _("该单位不存在或不在您的管辖范围内（请先导入单位）")
NOT_IN_REGISTER = _("统一社会信用代码不在单位档案中")


def _repeated(seen: dict, key: tuple, raw: tuple, line: int, errors, label) -> bool:
    """Whether a row repeats an earlier row's natural key (after normalising), reporting it unless the kit already
    did (it compares the cells as written, and only when every key cell is filled)."""
    if key not in seen:
        seen[key] = (line, raw)
        return False
    first, first_raw = seen[key]
    if None in raw or raw != first_raw:
        errors.add(line, str(label), gettext("与第{line}行重复").format(line=first))
    return True


def _blank(values: dict, *names: str) -> dict:
    """Empty text cells arrive as None; the models store an empty string."""
    return {**values, **{name: values.get(name) or "" for name in names}}


class RegistrySchema(Schema):
    """Shared steps: credit codes to organisations (in scope or in the whole register), create or update plans."""

    refuse = _("不在您的管辖范围内")
    # Foreign keys are resolved in bulk by prepare(); validating them again would cost a query per row and field.
    resolved: tuple[str, ...] = ()

    def raw_key(self, values: dict) -> tuple:
        return tuple(values.get(name) for name in self.key)

    def codes(self, parsed, *names: str) -> set[str]:
        return {normalise_uscc(r.values[n]) for r in parsed for n in names if r.values.get(n)}

    @staticmethod
    def scoped_organisations(codes: set[str], actor) -> dict:
        scope = restrict(Organisation, actor, "view") if actor is not None else Organisation.objects.all()
        return {o.uscc: o for o in scope.filter(uscc__in=codes).select_related("region")}

    @staticmethod
    def all_organisations(codes: set[str]) -> dict:
        return {o.uscc: o for o in Organisation.objects.filter(uscc__in=codes).select_related("region")}

    def organisation(self, value, lookup: dict, line: int, errors, name: str, missing) -> Organisation | None:
        if not value:
            return None
        if error := uscc_error(value):
            errors.add(line, self.label_of(name), error)
            return None
        organisation = lookup.get(normalise_uscc(value))
        if organisation is None:
            errors.add(line, self.label_of(name), str(missing))
        return organisation

    def plan_create(self, plan: Plan, record, actor, line: int, errors, scope_column: str) -> bool:
        if actor is not None and not may(actor, "add", record):
            errors.add(line, self.label_of(scope_column), str(self.refuse))
            return False
        if self.validate(record, line, errors, exclude=self.resolved):
            plan.creates.append(record)
            return True
        return False

    def plan_update(self, plan: Plan, current, changed: dict, actor, line: int, errors, scope_column: str) -> bool:
        candidate = copy_with(current, changed)
        if actor is not None and not (may(actor, "change", current) and may(actor, "change", candidate)):
            errors.add(line, self.label_of(scope_column), str(self.refuse))
            return False
        if self.validate(candidate, line, errors, exclude=self.resolved):
            plan.updates.append((current, changed))
            return True
        return False

    def export_base(self, model, actor, region):
        qs = restrict(model, actor, "export") if actor is not None else model.objects.all()
        return in_region(qs, region)


# --- achievements ------------------------------------------------------------------------------------------


@dataclass
class AchievementPlan(Plan):
    """A plan whose records carry ranked units, written after the records themselves."""

    units: dict = field(default_factory=dict)  # id(record) → [(organisation or None, name)], rank 2 on


@register
class AchievementsSchema(RegistrySchema):
    kind = "achievements"
    title = _("科技成果")
    model = Achievement
    key = ("number",)
    resolved = ("organisation",)
    columns = (
        Column("number", _("登记号"), required=True, max_length=32, example="2020450223A001"),
        Column("title", _("成果名称"), required=True, max_length=255, example="蚕茧自动分级与智能烘干关键技术研究"),
        Column("kind", _("成果类型"), kind="choice", choices=tuple(AchievementKind.choices),
               example=AchievementKind.APPLIED.label),
        Column("hitech_domain", _("高新技术领域"), kind="choice", choices=tuple(HitechDomain.choices),
               example=HitechDomain.ADVANCED_MANUFACTURING.label),
        Column("discipline", _("学科（行业）领域"), max_length=64, help=_("不属于高新技术领域时填写，如 蚕桑学")),
        Column("uscc", _("第一完成单位统一社会信用代码"), required=True, example=EXAMPLE_USCC),
        Column("org_name", _("第一完成单位名称"), help=_("仅供核对，以统一社会信用代码为准"), example=EXAMPLE_ORG),
        Column("units", _("其他完成单位"),
               help=_("按排名用顿号分隔：统一社会信用代码、档案中的单位名称，或档案外单位的名称"),
               example="鹿寨县蚕桑科技有限公司、广西壮族自治区蚕业技术推广站"),
        Column("registration_date", _("登记日期"), kind="date", required=True, example="2020-11-18"),
        Column("evaluation_method", _("评价方式"), kind="choice", choices=tuple(EvaluationMethod.choices),
               example=EvaluationMethod.EVALUATION.label),
        Column("evaluation_conclusion", _("评价结论"), kind="choice", choices=tuple(EvaluationConclusion.choices),
               example=EvaluationConclusion.DOMESTIC_ADVANCED.label),
        Column("evaluation_date", _("评价日期"), kind="date", example="2020-10-30"),
        Column("people", _("完成人"), help=_("按排名用顿号分隔"), example="韦建华、覃丽萍、黄志强"),
        Column("summary", _("成果简介")),
    )  # fmt: skip
    instructions = (
        _("一行一项科技成果，以登记号识别；第一完成单位须已在系统中并在您的管辖范围内，它决定成果所属区划。"),
        _("其他完成单位按排名用顿号分隔，不要重复第一完成单位；档案外的单位（如区外高校）直接写名称。"),
        _("高新技术领域和学科（行业）领域至少填一项；未评价的成果不填评价结论和评价日期。"),
    )

    def prepare(self, parsed, *, actor, update, errors):
        orgs = self.scoped_organisations(self.codes(parsed, "uscc"), actor)
        numbers = {normalise_number(r.values["number"]) for r in parsed if r.values.get("number")}
        existing = {
            a.number: a for a in Achievement.objects.filter(number__in=numbers).prefetch_related("units__organisation")
        }
        resolver = UnitResolver([t for r in parsed for t in split_list(r.values.get("units"))])
        plan, seen = AchievementPlan(), {}
        for record in parsed:
            values, line = dict(record.values), record.line
            if not values.get("number"):
                continue
            number = normalise_number(values.pop("number"))
            if _repeated(seen, (number,), self.raw_key(record.values), line, errors, self.label_of("number")):
                continue
            values.pop("org_name", None)
            organisation = self.organisation(values.pop("uscc", None), orgs, line, errors, "uscc", IN_SCOPE_ONLY)
            try:
                units = resolver.resolve(split_list(values.pop("units", None)))
            except UnitNotFound as error:
                errors.add(line, self.label_of("units"), str(error))
                units = None
            if units is not None and organisation is not None:
                units = self._checked_units(organisation, units, line, errors)
            if organisation is None or units is None:
                continue
            values = _blank(values, "discipline", "evaluation_conclusion", "summary")
            values.update(
                organisation=organisation,
                kind=values.get("kind") or AchievementKind.APPLIED,
                evaluation_method=values.get("evaluation_method") or EvaluationMethod.NONE,
                people=normalise_names(split_list(values.get("people"))),
            )
            current = existing.get(number)
            if current is None:
                achievement = Achievement(number=number, **values)
                if self.plan_create(plan, achievement, actor, line, errors, "uscc"):
                    plan.units[id(achievement)] = units
            elif not update:
                _key_conflict(errors, line, self.label_of("number"))
            else:
                self._plan_update(plan, current, values, units, actor, line, errors)
        return plan

    def _checked_units(self, organisation, units, line, errors):
        seen = {organisation.pk}
        for unit, name in units:
            key = unit.pk if unit is not None else name
            if key in seen:
                shown = unit.name if unit is not None else name
                errors.add(line, self.label_of("units"), gettext("单位“{name}”重复出现（第一完成单位不用再列）").format(
                    name=shown))  # fmt: skip
                return None
            seen.add(key)
        return units

    def _plan_update(self, plan, current, values, units, actor, line, errors):
        changed = changed_values(current, values)
        stored = [(u.organisation_id, u.name) for u in current.units.all()]
        wanted = [(unit.pk if unit is not None else None, "" if unit is not None else name) for unit, name in units]
        if not changed and stored == wanted:
            plan.unchanged += 1
            return
        if not changed:
            changed = {"updated": timezone.now()}  # only the ranked units change: the record is still touched
        if self.plan_update(plan, current, changed, actor, line, errors, "uscc") and stored != wanted:
            plan.units[id(current)] = units

    def write(self, plan, *, actor, report):
        bulk_write(plan, actor=actor, report=report, schema=self)
        replaced = [obj for obj, _ in plan.updates if id(obj) in plan.units]
        old = list(AchievementUnit.objects.filter(achievement__in=replaced)) if replaced else []
        audit_bulk(actor=actor, action=AuditAction.DELETE, entries=[(u, snapshot(u), None) for u in old])
        AchievementUnit.objects.filter(pk__in=[u.pk for u in old]).delete()
        rows = [
            AchievementUnit(achievement=achievement, position=rank, organisation=unit, name="" if unit else name)
            for achievement in [*plan.creates, *replaced]
            for rank, (unit, name) in enumerate(plan.units.get(id(achievement), ()), start=2)
        ]
        AchievementUnit.objects.bulk_create(rows, batch_size=1000)
        audit_bulk(actor=actor, action=AuditAction.CREATE, entries=[(u, None, snapshot(u)) for u in rows])

    def export_queryset(self, *, actor, region=None, year=None):
        qs = self.export_base(Achievement, actor, region)
        if year is not None:
            qs = qs.filter(registration_date__year=year)
        return qs.select_related("organisation").prefetch_related("units__organisation").order_by("number")

    def export_values(self, a):
        return [a.number, a.title, a.kind, a.hitech_domain, a.discipline, a.organisation.uscc, a.organisation.name,
                "、".join(unit_text(u) for u in a.units.all()), a.registration_date, a.evaluation_method,
                a.evaluation_conclusion, a.evaluation_date, "、".join(a.people), a.summary]  # fmt: skip


# --- conversions -------------------------------------------------------------------------------------------


@register
class ConversionsSchema(RegistrySchema):
    kind = "conversions"
    title = _("成果转化")
    model = Conversion
    key = ("achievement", "year", "form", "uscc")
    resolved = ("achievement", "organisation")
    columns = (
        Column("achievement", _("成果登记号"), max_length=32, help=_("转化已登记的科技成果时填写"),
               example="2020450223A001"),
        Column("subject", _("转化对象"), max_length=255, help=_("转化未登记的成果（如专利）时必填：专利号或名称")),
        Column("year", _("年度"), kind="year", required=True, example=2020),
        Column("form", _("转化方式"), kind="choice", required=True, choices=tuple(ConversionForm.choices),
               example=ConversionForm.TRANSFER.label),
        Column("uscc", _("实施单位统一社会信用代码"), help=_("不填则为成果的第一完成单位"), example=EXAMPLE_USCC),
        Column("org_name", _("实施单位名称"), help=_("仅供核对，以统一社会信用代码为准"), example=EXAMPLE_ORG),
        Column("amount", _("转化金额"), kind="money", unit="万元", example="120"),
        Column("major", _("重大科技成果转化"), kind="bool", example="否"),
        Column("major_reason", _("重大转化认定理由"), max_length=255),
    )  # fmt: skip
    instructions = (
        _("一行一次转化，以“成果登记号 + 年度 + 转化方式 + 实施单位”识别；未登记成果以“转化对象”代替成果登记号。"),
        _("成果须已登记（可先导入“科技成果”）；实施单位不填时按成果的第一完成单位计，所属区划随实施单位。"),
        _("认定为重大科技成果转化的填“是”，并填写认定理由；金额默认按万元填写。"),
    )

    @staticmethod
    def natural_key(achievement, subject: str, year, form, organisation) -> tuple:
        return (
            achievement.pk if achievement is not None else None,
            "" if achievement is not None else subject,
            year,
            form,
            organisation.pk if organisation is not None else None,
        )

    def prepare(self, parsed, *, actor, update, errors):
        numbers = {normalise_number(r.values["achievement"]) for r in parsed if r.values.get("achievement")}
        scope = restrict(Achievement, actor, "view") if actor is not None else Achievement.objects.all()
        achievements = {a.number: a for a in scope.filter(number__in=numbers).select_related("organisation__region")}
        orgs = self.all_organisations(self.codes(parsed, "uscc"))
        years = {r.values.get("year") for r in parsed} - {None}
        stored = Conversion.objects.filter(year__in=years).filter(
            Q(achievement__in=list(achievements.values())) | Q(achievement__isnull=True)
        )
        existing = {self.natural_key(c.achievement, c.subject, c.year, c.form, c.organisation): c for c in stored}
        plan, seen = Plan(), {}
        for record in parsed:
            values, line = dict(record.values), record.line
            if values.get("year") is None or values.get("form") is None:
                continue
            achievement = None
            if number := values.pop("achievement", None):
                achievement = achievements.get(normalise_number(number))
                if achievement is None:
                    message = gettext("登记号为“{number}”的科技成果不存在或不在您的管辖范围内（请先导入科技成果）")
                    errors.add(line, self.label_of("achievement"), message.format(number=number))
                    continue
            values.pop("org_name", None)
            code = values.pop("uscc", None)
            organisation = self.organisation(code, orgs, line, errors, "uscc", NOT_IN_REGISTER)
            if code and organisation is None:
                continue
            values = _blank(values, "subject", "major_reason")
            values.update(achievement=achievement, organisation=organisation, major=bool(values.get("major")))
            key = self.natural_key(achievement, values["subject"], values["year"], values["form"], organisation)
            if _repeated(seen, key, self.raw_key(record.values), line, errors, self.label_of("achievement")):
                continue
            current = existing.get(key)
            if current is None:
                self.plan_create(plan, Conversion(**values), actor, line, errors, "uscc")
            elif not update:
                _key_conflict(errors, line, self.label_of("achievement"))
            elif changed := changed_values(current, values):
                self.plan_update(plan, current, changed, actor, line, errors, "uscc")
            else:
                plan.unchanged += 1
        return plan

    def export_queryset(self, *, actor, region=None, year=None):
        qs = self.export_base(Conversion, actor, region)
        if year is not None:
            qs = qs.filter(year=year)
        return qs.select_related("achievement", "organisation").order_by("year", "achievement__number", "form", "pk")

    def export_values(self, c):
        org = c.organisation
        return [c.achievement.number if c.achievement_id else None, c.subject, c.year, c.form,
                org.uscc if org else None, org.name if org else None, c.amount, c.major, c.major_reason]  # fmt: skip


# --- technology contracts ----------------------------------------------------------------------------------


def _region_lookup() -> dict:
    """Every region by code, and by name where the name is unique."""
    regions = list(Region.objects.selectable())
    names: dict[str, list] = {}
    for region in regions:
        names.setdefault(region.name, []).append(region)
    return {r.code: r for r in regions} | {name: found[0] for name, found in names.items() if len(found) == 1}


@register
class ContractsSchema(RegistrySchema):
    kind = "contracts"
    title = _("技术合同")
    model = TechContract
    key = ("number",)
    resolved = ("seller", "buyer", "buyer_region")
    columns = (
        Column("number", _("合同登记号"), required=True, max_length=32, example="2020450223000123"),
        Column("name", _("合同名称"), required=True, max_length=255, example="改性滑石粉表面处理技术开发"),
        Column("kind", _("合同类型"), kind="choice", required=True, choices=tuple(ContractKind.choices),
               example=ContractKind.DEVELOPMENT.label),
        Column("uscc", _("卖方统一社会信用代码"), required=True, example=EXAMPLE_USCC),
        Column("org_name", _("卖方名称"), help=_("仅供核对，以统一社会信用代码为准"), example=EXAMPLE_ORG),
        Column("buyer_uscc", _("买方统一社会信用代码"), help=_("买方在单位档案中时填写")),
        Column("buyer_name", _("买方名称"), max_length=128, help=_("档案外的买方必填"),
               example="柳州某汽车零部件有限公司"),
        Column("buyer_region", _("买方所在地区"), help=_("档案外的买方填写区划代码或名称，如 450200 或 柳州市"),
               example="柳州市"),
        Column("amount", _("合同成交额"), kind="money", unit="万元", required=True, example="150"),
        Column("technical_income", _("技术交易额"), kind="money", unit="万元", required=True, example="120"),
        Column("signing_date", _("签订日期"), kind="date", required=True, example="2020-05-12"),
        Column("registration_date", _("登记日期"), kind="date", required=True, example="2020-06-03"),
    )  # fmt: skip
    instructions = (
        _("一行一份技术合同，以合同登记号识别；卖方（技术输出方）须已在系统中并在您的管辖范围内，它决定合同所属区划。"),
        _("买方在单位档案中时填其统一社会信用代码（名称、地区可不填）；否则填写买方名称和所在地区。"),
        _("金额默认按万元填写；技术交易额是合同成交额中核定的技术性收入，不能大于成交额。"),
    )

    def prepare(self, parsed, *, actor, update, errors):
        sellers = self.scoped_organisations(self.codes(parsed, "uscc"), actor)
        buyers = self.all_organisations(self.codes(parsed, "buyer_uscc"))
        regions = _region_lookup()
        numbers = {normalise_number(r.values["number"]) for r in parsed if r.values.get("number")}
        existing = {c.number: c for c in TechContract.objects.filter(number__in=numbers)}
        plan, seen = Plan(), {}
        for record in parsed:
            values, line = dict(record.values), record.line
            if not values.get("number"):
                continue
            number = normalise_number(values.pop("number"))
            if _repeated(seen, (number,), self.raw_key(record.values), line, errors, self.label_of("number")):
                continue
            values.pop("org_name", None)
            seller = self.organisation(values.pop("uscc", None), sellers, line, errors, "uscc", IN_SCOPE_ONLY)
            code = values.pop("buyer_uscc", None)
            buyer = self.organisation(code, buyers, line, errors, "buyer_uscc", NOT_IN_REGISTER)
            region_text = values.pop("buyer_region", None)
            region = regions.get(str(region_text).strip()) if region_text and buyer is None else None
            if region_text and buyer is None and region is None:
                message = gettext("“{value}”找不到（或名称不唯一，请改填代码）").format(value=region_text)
                errors.add(line, self.label_of("buyer_region"), message)
                continue
            if seller is None or (code and buyer is None):
                continue
            values = _blank(values, "buyer_name")
            values.update(seller=seller, buyer=buyer, buyer_region=region)
            if buyer is not None:
                values["buyer_name"] = ""
            current = existing.get(number)
            if current is None:
                self.plan_create(plan, TechContract(number=number, **values), actor, line, errors, "uscc")
            elif not update:
                _key_conflict(errors, line, self.label_of("number"))
            elif changed := changed_values(current, values):
                self.plan_update(plan, current, changed, actor, line, errors, "uscc")
            else:
                plan.unchanged += 1
        return plan

    def export_queryset(self, *, actor, region=None, year=None):
        qs = self.export_base(TechContract, actor, region)
        if year is not None:
            qs = qs.filter(registration_date__year=year)
        return qs.select_related("seller", "buyer__region", "buyer_region").order_by("number")

    def export_values(self, c):
        buyer = c.buyer
        region = buyer.region if buyer else c.buyer_region
        return [c.number, c.name, c.kind, c.seller.uscc, c.seller.name, buyer.uscc if buyer else None,
                c.buyer_display, region.code if region else None, c.amount, c.technical_income, c.signing_date,
                c.registration_date]  # fmt: skip
