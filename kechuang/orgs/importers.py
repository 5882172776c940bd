"""Import schemas of the master file: organisations (``orgs``), yearly figures (``figures``), certificates
(``certificates``) and pool memberships (``pools``)."""

import re

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.roles import ORG_ROLES
from kechuang.core.access import may, permitted, restrict, user_scope
from kechuang.core.importkit import Column, Plan, Schema, changed_values, copy_with, register
from kechuang.core.validators import normalise_uscc, uscc_error
from kechuang.regions.models import Region

from .choices import CertificateKind, FigureSource, HitechDomain, OrgKind, OrgStatus, RecognitionLevel
from .models import AnnualFigures, Certificate, Industry, Organisation, Pool, PoolMembership
from .services import figures_review_values, pinyin_initials

USCC = Column("uscc", _("统一社会信用代码"), required=True, example="91450223MA5N7B2T5X")
# Records of an organisation carry its name beside the credit code, so a clerk can read the sheet.
ORG_NAME = Column(
    "org_name", _("单位名称"), help=_("仅供核对，以统一社会信用代码为准"), example="鹿寨县恒达汽车配件有限公司"
)


def _uscc(value: str, line: int, errors) -> str | None:
    if error := uscc_error(value):
        errors.add(line, str(USCC.label), error)
        return None
    return normalise_uscc(value)


def _key_conflict(errors, line: int, label) -> None:
    errors.add(line, str(label), gettext("该记录已存在；如需更新已有记录，请选择“更新已有记录”（命令行 --update）"))


@register
class OrganisationSchema(Schema):
    kind = "orgs"
    title = _("单位")
    model = Organisation
    key = ("uscc",)
    columns = (
        USCC,
        Column("name", _("单位名称"), required=True, max_length=128, example="鹿寨县恒达汽车配件有限公司"),
        Column("kind", _("单位类型"), kind="choice", choices=tuple(OrgKind.choices), example=OrgKind.ENTERPRISE.label),
        Column(
            "region", _("所在区划"), required=True, help=_("区划代码或名称，如 450223100 或 鹿寨镇"), example="鹿寨镇"
        ),
        Column("park", _("所在园区"), max_length=64, example="鹿寨经济开发区"),
        Column("address", _("地址"), max_length=255, example="鹿寨县鹿寨镇飞鹿大道1号"),
        Column("registration_date", _("成立日期"), kind="date", example="2012-05-18"),
        Column("industry", _("所属行业"), help=_("国民经济行业分类大类代码或名称，如 36 或 汽车制造业"), example="36"),
        Column(
            "hitech_domain", _("高新技术领域"), kind="choice", choices=tuple(HitechDomain.choices),
            example="先进制造与自动化",
        ),
        Column("above_scale", _("规模以上"), kind="bool", example="是"),
        Column("status", _("状态"), kind="choice", choices=tuple(OrgStatus.choices), example=OrgStatus.ACTIVE.label),
        Column("contact", _("联系人"), max_length=32, example="张三"),
        Column("phone", _("联系电话"), max_length=32, example="0772-6812345"),
    )  # fmt: skip
    instructions = (
        _("一行一个单位，以统一社会信用代码识别；带 * 的列必须填写。"),
        _("所在区划填区划代码或名称（乡镇名称须在您的管辖范围内唯一）；所属行业填大类代码或名称。"),
        _("单位类型、高新技术领域、状态从下拉列表中选择；规模以上填“是”或“否”。"),
    )

    def prepare(self, parsed, *, actor, update, errors):
        regions = _region_lookup(actor)
        industries = {i.code: i for i in Industry.objects.filter(level="division")}
        industries |= {i.name: i for i in industries.values()}
        codes = {r.values.get("uscc") and normalise_uscc(r.values["uscc"]) for r in parsed}
        existing = {o.uscc: o for o in Organisation.objects.filter(uscc__in=codes - {None})}
        plan = Plan()
        for record in parsed:
            values, line = dict(record.values), record.line
            uscc = _uscc(values.pop("uscc"), line, errors) if values.get("uscc") else None
            values["region"] = _resolve(regions, values.get("region"), line, self.label_of("region"), errors)
            if values.get("industry"):
                values["industry"] = _resolve(industries, values["industry"], line, self.label_of("industry"), errors)
            values["kind"] = values.get("kind") or OrgKind.ENTERPRISE
            values["status"] = values.get("status") or OrgStatus.ACTIVE
            values["above_scale"] = bool(values.get("above_scale"))
            values = {k: ("" if v is None and k in _TEXT_FIELDS else v) for k, v in values.items()}
            if uscc is None or values["region"] is None:
                continue
            values["name_initials"] = pinyin_initials(values["name"] or "")
            current = existing.get(uscc)
            if current is None:
                self._plan_create(plan, Organisation(uscc=uscc, **values), actor, line, errors)
            elif not update:
                _key_conflict(errors, line, USCC.label)
            else:
                self._plan_update(plan, current, values, actor, line, errors)
        return plan

    def export_queryset(self, *, actor, region=None, year=None):
        qs = restrict(Organisation, actor, "export") if actor is not None else Organisation.objects.all()
        if region is not None:
            qs = qs.filter(region__path__startswith=region.path)
        return qs.select_related("region", "industry").order_by("region__code", "name")

    def export_values(self, o):
        return [o.uscc, o.name, o.kind, o.region.code, o.park, o.address, o.registration_date,
                o.industry.code if o.industry_id else None, o.hitech_domain, o.above_scale, o.status, o.contact,
                o.phone]  # fmt: skip

    def _plan_create(self, plan, organisation, actor, line, errors):
        if actor is not None and not may(actor, "add", organisation):
            errors.add(line, self.label_of("region"), gettext("不在您的管辖范围内"))
        elif self.validate(organisation, line, errors, exclude=("uscc",)):
            plan.creates.append(organisation)

    def _plan_update(self, plan, current, values, actor, line, errors):
        if current.name != values["name"] and current.name not in current.former_names:
            values["former_names"] = [*current.former_names, current.name]
        changed = changed_values(current, values)
        if not changed:
            plan.unchanged += 1
            return
        candidate = copy_with(current, changed)
        if actor is not None and not (may(actor, "change", current) and may(actor, "change", candidate)):
            errors.add(line, USCC.label, gettext("不在您的管辖范围内"))
        elif self.validate(candidate, line, errors, exclude=("uscc",), changed=changed):
            plan.updates.append((current, changed))


_TEXT_FIELDS = {"park", "address", "contact", "phone", "name"}


class OrganisationRecordSchema(Schema):
    """Records of one organisation (figures, certificates …): rows name it by credit code, within the scope."""

    export_order: tuple[str, ...] = ()
    refuse_add = refuse_change = ""

    @staticmethod
    def named(parsed, actor):
        """The organisations the rows name by credit code, within the actor's scope (a queryset)."""
        written = {r.values.get("uscc") for r in parsed} - {None, ""}  # a file names each organisation many times
        codes = {normalise_uscc(code) for code in written}
        scope = restrict(Organisation, actor, "view") if actor is not None else Organisation.objects.all()
        return scope.filter(uscc__in=codes)

    @classmethod
    def organisations(cls, parsed, actor) -> dict:
        """The organisations the rows name, by credit code, within the actor's scope. Their regions come with them
        in one query: the scope check of each new record reads its organisation's region."""
        return {o.uscc: o for o in cls.named(parsed, actor).prefetch_related("region")}

    def organisation_of(self, values: dict, line: int, errors, orgs: dict):
        """The row's organisation as ``orgs`` holds it by credit code (the record or its key), taking the credit code
        and the name kept for checking out of ``values``."""
        values.pop("org_name", None)
        if (known := orgs.get(values.get("uscc"))) is not None:  # a stored code is valid: no need to check it
            del values["uscc"]
            return known
        uscc = _uscc(values.pop("uscc"), line, errors) if values.get("uscc") else None
        if uscc is None:
            return None
        organisation = orgs.get(uscc)
        if organisation is None:
            errors.add(line, USCC.label, gettext("该单位不存在或不在您的管辖范围内（请先导入单位）"))
        return organisation

    def derived(self, record) -> dict:
        """Stored values computed from others, which bulk writes (bypassing save()) must set themselves."""
        return {}

    def plan_create(self, plan, record, actor, line, errors):
        if actor is not None and not may(actor, "add", record):
            errors.add(line, USCC.label, str(self.refuse_add))
        elif self.validate(record, line, errors, exclude=("organisation",)):
            for name, value in self.derived(record).items():
                setattr(record, name, value)
            plan.creates.append(record)

    def plan_update(self, plan, current, values, actor, line, errors):
        changed = changed_values(current, values)
        if not changed:
            plan.unchanged += 1
            return
        candidate = copy_with(current, changed)
        if actor is not None and not may(actor, "change", current):
            errors.add(line, USCC.label, str(self.refuse_change))
        elif self.validate(candidate, line, errors, exclude=("organisation",), changed=changed):
            plan.updates.append((current, {**changed, **self.derived(candidate)}))

    def export_queryset(self, *, actor, region=None, year=None):
        qs = restrict(self.model, actor, "export") if actor is not None else self.model.objects.all()
        if region is not None:
            qs = qs.filter(organisation__region__path__startswith=region.path)
        if year is not None:
            qs = qs.filter(year=year)
        return qs.select_related("organisation").order_by(*self.export_order)


def _region_lookup(actor) -> dict:
    """Selectable regions by code, and by name where the name is unique inside the actor's scope (a code outside
    the scope is still found, so the row can be refused as outside the scope rather than as unknown)."""
    regions = list(Region.objects.selectable())
    scope = user_scope(actor) if actor is not None else None
    lookup, names = {}, {}
    for region in regions:
        lookup[region.code] = region
        if scope is None or scope.kind != "region" or region.path.startswith(scope.region_path):
            names.setdefault(region.name, []).append(region)
    return lookup | {name: found[0] for name, found in names.items() if len(found) == 1}


def _resolve(lookup: dict, value, line: int, label: str, errors):
    if value in (None, ""):
        return None
    found = lookup.get(str(value).strip())
    if found is None:
        errors.add(line, label, gettext("“{value}”找不到（或名称不唯一，请改填代码）").format(value=value))
    return found


MONEY = tuple(
    Column(name, AnnualFigures._meta.get_field(name).verbose_name, kind="money", unit="万元", example=example)
    for name, example in (
        ("sales_revenue", "12345.67"), ("total_income", "12500"), ("hitech_revenue", "9800"), ("rd_expense", "620.5"),
        ("rd_domestic", "620.5"), ("total_costs", "11000"), ("total_assets", "30000"), ("net_assets", "15000"),
        ("industrial_output", "13000"), ("tax_paid", "560"), ("exports", "0"),
    )
)  # fmt: skip


def _without_unit(label) -> str:
    # The model's verbose names end in （元）; a template's header states its own unit.
    return re.sub(r"\s*[（(][^（()）]*[)）]\s*$", "", str(label))


def _money_label(column: Column) -> Column:
    return Column(
        column.name, lazy(_without_unit, str)(column.label), kind="money", unit=column.unit, example=column.example
    )


@register
class FiguresSchema(OrganisationRecordSchema):
    kind = "figures"
    title = _("年度数据")
    model = AnnualFigures
    key = ("uscc", "year")
    model_key = ("organisation_id", "year")
    # Yearly figures are the big files: larger chunks, fewer round trips. Each chunk's queries bind at most one list
    # of its organisations (≤ 20,000 values, within SQLite's 32,766 variables) and a few years.
    chunk_rows = 20_000
    describe_sql = (_("{organisation} {year}年度数据"), {"organisation": "organisation__name", "year": "year"})
    export_order = ("organisation__uscc", "year")
    refuse_add = _("无权新增该单位的年度数据")
    refuse_change = _("无权修改该单位的年度数据")
    columns = (
        USCC,
        ORG_NAME,
        Column("year", _("年度"), kind="year", required=True, example=2024),
        Column("staff_total", _("职工总数"), kind="int", example=320),
        Column("st_staff", _("科技人员数"), kind="int", example=48),
        *(_money_label(c) for c in MONEY),
        Column("source", _("数据来源"), kind="choice", choices=tuple(FigureSource.choices), example="企业填报"),
        Column("basis", _("统计口径"), max_length=32, help=_("如 企业财务报表口径、统计年报口径、税务口径"),
               example="企业财务报表口径"),
        Column("audit_taxation", _("查账征收"), kind="bool", example="是",
               help=_("企业所得税是否查账征收（科技型中小企业评价的基本条件），填“是”或“否”，不清楚的留空")),
    )  # fmt: skip
    instructions = (
        _("一行一个单位一个年度，以统一社会信用代码 + 年度识别；单位须已在系统中（可先导入“单位”）。"),
        _("金额默认按万元填写；表头写成“销售收入（元）”或“（亿元）”时按该单位换算。"),
        _("科技人员数不能大于职工总数；境内研发费用不能大于研发费用；高新技术产品收入不能大于总收入。"),
    )

    def prepare(self, parsed, *, actor, update, errors):
        ids = dict(self.named(parsed, actor).values_list("uscc", "id"))  # no instances: most rows are new records
        years = {r.values.get("year") for r in parsed} - {None}
        existing = {
            (f.organisation_id, f.year): f
            for f in AnnualFigures.objects.filter(organisation_id__in=ids.values(), year__in=years)
        }
        # The stored records' organisations with their regions, one query: the scope check and the audit read them.
        holders = Organisation.objects.select_related("region").in_bulk({f.organisation_id for f in existing.values()})
        for figures in existing.values():
            figures.organisation = holders[figures.organisation_id]
        # The organisations were found within the actor's scope, and a record of an organisation is in scope exactly
        # when its organisation is (OrganisationChild's scope paths): adding is the role's permission alone.
        may_add = actor is None or permitted(actor, self.model, "add")
        reported = actor is not None and actor.role in ORG_ROLES
        now = timezone.now()  # one review time for the whole file
        new = figures_review_values(actor=actor, current=None, data={}, now=now)  # the same for every new record
        plan = Plan()
        for record in parsed:  # each row's values become its planned values (the parsed rows are not used again)
            values, line = record.values, record.line
            if values.get("year") is None:  # already reported as a missing required cell
                continue
            organisation_id = self.organisation_of(values, line, errors, ids)
            if organisation_id is None:
                continue
            values["source"] = FigureSource.REPORT if reported else (values.get("source") or FigureSource.IMPORT)
            if "basis" in values:  # a file without the column leaves the stored basis alone
                values["basis"] = values["basis"] or ""
            current = existing.get((organisation_id, values["year"]))
            if current is None and may_add:  # planned as values (the reader checked the field and row rules)
                values.update(new)
                values["organisation_id"] = organisation_id
                plan.rows.append(values)
            elif current is None:
                errors.add(line, USCC.label, str(self.refuse_add))
            elif not update:
                _key_conflict(errors, line, f"{USCC.label}+{self.label_of('year')}")
            else:
                values.update(figures_review_values(actor=actor, current=current, data=values, now=now))
                self.plan_update(plan, current, values, actor, line, errors)
        return plan

    def export_values(self, f):
        return [f.organisation.uscc, f.organisation.name, f.year, f.staff_total, f.st_staff,
                *(getattr(f, c.name) for c in MONEY), f.source, f.basis, f.audit_taxation]  # fmt: skip


@register
class CertificatesSchema(OrganisationRecordSchema):
    kind = "certificates"
    title = _("资质证书")
    model = Certificate
    key = ("kind", "number")
    export_order = ("organisation__uscc", "kind", "year")
    refuse_add = _("无权为该单位新增证书")
    refuse_change = _("无权修改该单位的证书")
    columns = (
        USCC,
        ORG_NAME,
        Column("kind", _("类型"), kind="choice", required=True, choices=tuple(CertificateKind.choices),
               example=CertificateKind.HTE.label),
        Column("name", _("认定名称"), max_length=64, help=_("其他认定填写，如瞪羚企业、专精特新")),
        Column("level", _("级别"), kind="choice", choices=tuple(RecognitionLevel.choices),
               example=RecognitionLevel.NATIONAL.label),
        Column("number", _("证书编号/登记编号"), max_length=32, example="GR202445001234"),
        Column("year", _("年度"), kind="year", required=True, example=2024),
        Column("issue_date", _("发证日期"), kind="date", example="2024-12-02"),
        Column("revoked_date", _("撤销日期"), kind="date"),
    )  # fmt: skip
    instructions = (
        _(
            "一行一张证书；高新技术企业证书和科技型中小企业登记以“类型 + 编号”识别，"
            "其他认定以“单位 + 认定名称 + 年度”识别。"
        ),
        _("高新技术企业证书须填发证日期，有效期自动按 3 年计算，不用填写。"),
    )

    def prepare(self, parsed, *, actor, update, errors):
        orgs = self.organisations(parsed, actor)
        numbers = {(r.values.get("number") or "").upper() for r in parsed} - {""}
        existing = {(c.kind, c.number): c for c in Certificate.objects.filter(number__in=numbers)}
        unnumbered = {
            (c.organisation_id, c.kind, c.name, c.year): c
            for c in Certificate.objects.filter(organisation__in=orgs.values(), number="")
        }
        plan = Plan()
        for record in parsed:
            values, line = dict(record.values), record.line
            if values.get("kind") is None or values.get("year") is None:  # already reported as missing
                continue
            organisation = self.organisation_of(values, line, errors, orgs)
            if organisation is None:
                continue
            values = {**values, "number": (values.get("number") or "").upper(), "name": values.get("name") or "",
                      "level": values.get("level") or RecognitionLevel.NATIONAL}  # fmt: skip
            current = (
                existing.get((values["kind"], values["number"]))
                if values["number"]
                else unnumbered.get((organisation.pk, values["kind"], values["name"], values["year"]))
            )
            if current is not None and current.organisation_id != organisation.pk:
                errors.add(line, self.label_of("number"), gettext("该编号已登记在另一个单位名下"))
            elif current is None:
                self.plan_create(plan, Certificate(organisation=organisation, **values), actor, line, errors)
            elif not update:
                _key_conflict(errors, line, self.label_of("number"))
            else:
                current.organisation = organisation  # loaded with its region: the scope check reads it
                self.plan_update(plan, current, values, actor, line, errors)
        return plan

    def derived(self, record) -> dict:
        return {"valid_until": record.compute_valid_until()}

    def export_values(self, c):
        return [c.organisation.uscc, c.organisation.name, c.kind, c.name, c.level, c.number, c.year, c.issue_date,
                c.revoked_date]  # fmt: skip


@register
class PoolsSchema(OrganisationRecordSchema):
    """Pool memberships (入库记录): which organisation entered which cultivation pool in which year, and its exit."""

    kind = "pools"
    title = _("入库记录")
    model = PoolMembership
    key = ("uscc", "pool", "entry_year")
    export_order = ("organisation__uscc", "pool__code", "entry_year")
    refuse_add = _("无权为该单位新增入库记录")
    refuse_change = _("无权修改该单位的入库记录")
    columns = (
        USCC,
        ORG_NAME,
        Column("pool", pgettext_lazy("field", "培育库"), required=True,
               help=_("培育库代码或名称，如 hte-reserve 或 后备高新技术企业库"), example="后备高新技术企业库"),
        Column("entry_year", _("入库年度"), kind="year", required=True, example=2024),
        Column("entry_reason", _("入库理由"), max_length=255, example="研发投入占比高，拟申报高新技术企业"),
        Column("exit_year", _("出库年度"), kind="year"),
        Column("exit_reason", _("出库原因"), max_length=255, help=_("填写出库年度时必填，如 已认定为高新技术企业")),
    )  # fmt: skip
    instructions = (
        _("一行一次入库，以统一社会信用代码 + 培育库 + 入库年度识别；单位和培育库须已在系统中。"),
        _("培育库填代码或名称；出库时填写出库年度和出库原因，出库年度不能早于入库年度。"),
    )

    def prepare(self, parsed, *, actor, update, errors):
        orgs = self.organisations(parsed, actor)
        pools = {p.code: p for p in Pool.objects.all()}
        pools |= {p.name: p for p in pools.values()}
        existing = {
            (m.organisation_id, m.pool_id, m.entry_year): m
            for m in PoolMembership.objects.filter(organisation__in=orgs.values())
        }
        plan, seen = Plan(), {}
        for record in parsed:
            values, line = dict(record.values), record.line
            if values.get("pool") is None or values.get("entry_year") is None:  # already reported as missing
                continue
            organisation = self.organisation_of(values, line, errors, orgs)
            pool = pools.get(values["pool"]) or pools.get(values["pool"].lower())
            if pool is None:
                names = "、".join(sorted(p.name for p in set(pools.values())))
                message = gettext("培育库“{value}”不存在，可填：{names}").format(value=values["pool"], names=names)
                errors.add(line, self.label_of("pool"), message)
            if organisation is None or pool is None:
                continue
            key = (organisation.pk, pool.pk, values["entry_year"])
            if key in seen:  # the same pool named once by code and once by name
                errors.add(line, self.label_of("pool"), gettext("与第{line}行重复").format(line=seen[key]))
                continue
            seen[key] = line
            values = {**values, "pool": pool, "entry_reason": values.get("entry_reason") or "",
                      "exit_reason": values.get("exit_reason") or ""}  # fmt: skip
            current = existing.get(key)
            if current is None:
                self.plan_create(plan, PoolMembership(organisation=organisation, **values), actor, line, errors)
            elif not update:
                _key_conflict(errors, line, "+".join(self.label_of(n) for n in ("uscc", "pool", "entry_year")))
            else:
                # Loaded already (the organisation with its region): the scope check and the audit text read them.
                current.organisation, current.pool = organisation, pool
                self.plan_update(plan, current, values, actor, line, errors)
        return plan

    def export_queryset(self, *, actor, region=None, year=None):
        """With a year: the memberships in force during it (entered by then, not left before it)."""
        qs = restrict(self.model, actor, "export") if actor is not None else self.model.objects.all()
        if region is not None:
            qs = qs.filter(organisation__region__path__startswith=region.path)
        if year is not None:
            qs = qs.filter(Q(entry_year__lte=year) & (Q(exit_year__isnull=True) | Q(exit_year__gte=year)))
        return qs.select_related("organisation", "pool").order_by(*self.export_order)

    def export_values(self, m):
        return [m.organisation.uscc, m.organisation.name, m.pool.name, m.entry_year, m.entry_reason, m.exit_year,
                m.exit_reason]  # fmt: skip
