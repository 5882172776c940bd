"""Import schemas of the innovation carriers registry: ``carriers`` and ``tenants`` (export in the same format).

A carrier is named by type + name + its host's credit code, or type + name + region when it has no host; a
tenant by its carrier + the tenant's credit code (or, for a team not in the master file, its name) + entry date.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.access import restrict
from kechuang.core.importkit import Column, Plan, ScopedSchema, SeenKeys, credit_code, register
from kechuang.core.validators import normalise_uscc
from kechuang.orgs.choices import RecognitionLevel
from kechuang.orgs.importers import _key_conflict, _region_lookup, _resolve
from kechuang.orgs.models import Organisation

from .choices import CarrierKind
from .models import Carrier, Tenant, carrier_in_region_q, carrier_valid_q, tenant_in_residence_q
from .selectors import year_end

__all__ = ["CarriersSchema", "TenantsSchema"]

NOT_FOUND = _("该单位不存在或不在您的管辖范围内（请先导入单位）")


def _organisations(parsed, names: tuple[str, ...], actor) -> dict[str, Organisation]:
    """The organisations the rows name by credit code, among those the actor may see."""
    codes = {normalise_uscc(r.values[n]) for r in parsed for n in names if r.values.get(n)}
    scope = restrict(Organisation, actor, "view") if actor is not None else Organisation.objects.all()
    return {o.uscc: o for o in scope.filter(uscc__in=codes).select_related("region")}


def _text(values: dict, *names: str) -> None:
    for name in names:
        if values.get(name) is None:
            values[name] = ""


@register
class CarriersSchema(ScopedSchema):
    kind = "carriers"
    title = _("创新载体")
    model = Carrier
    key = ("kind", "name", "host_uscc", "region")
    chunk_rows = None  # a county's carriers fit in one chunk, and repeated rows are found after resolving codes
    field_columns = {"host": "host_uscc"}
    columns = (
        Column("kind", _("载体类型"), kind="choice", required=True, choices=tuple(CarrierKind.choices),
               example=CarrierKind.ETRC.label),
        Column("name", _("载体名称"), required=True, max_length=128, example="柳州市汽车零部件轻量化工程技术研究中心"),
        Column("level", _("级别"), kind="choice", required=True, choices=tuple(RecognitionLevel.choices),
               example=RecognitionLevel.CITY.label),
        Column("host_uscc", _("依托单位统一社会信用代码"), help=_("有依托单位的填写；没有依托单位的（如园区）留空"),
               example="91450223MA5N7B2T5X"),
        Column("host_name", _("依托单位名称"), help=_("仅供核对，以统一社会信用代码为准"),
               example="鹿寨县恒达汽车配件有限公司"),
        Column("region", _("所在区划"), help=_("仅没有依托单位时填写：区划代码或名称，如 450223100 或 鹿寨镇")),
        Column("recognised_date", _("认定日期"), kind="date", required=True, example="2018-09-20"),
        Column("revoked_date", _("撤销日期"), kind="date"),
        Column("document_number", _("认定文号"), max_length=64, example="柳科字〔2018〕56号"),
        Column("demonstration", _("示范平台/示范机构"), kind="bool", example="否"),
        Column("area", _("场地面积（平方米）"), kind="decimal", example="1200"),
        Column("notes", _("备注"), example=""),
    )  # fmt: skip
    instructions = (
        _("一行一个载体。有依托单位的以“载体类型 + 载体名称 + 依托单位统一社会信用代码”识别，"
          "依托单位须已在系统中（可先导入“单位”）；没有依托单位的（如园区）以“载体类型 + 载体名称 + 所在区划”识别。"),
        _("有依托单位的载体按依托单位所在区划统计，“所在区划”留空。"),
        _("载体被撤销、摘牌或考核不合格取消的，填写撤销日期（不要删除记录），年末有效数按认定日期和撤销日期计算。"),
    )  # fmt: skip

    def prepare(self, parsed, *, actor, update, errors):
        regions = _region_lookup(actor)
        hosts = _organisations(parsed, ("host_uscc",), actor)
        names = {r.values.get("name") for r in parsed} - {None}
        existing = {(c.kind, c.name, c.host_id, c.region_id): c for c in Carrier.objects.filter(name__in=names)}
        seen, plan = SeenKeys(self), Plan()
        for record in parsed:
            values, line = dict(record.values), record.line
            if not all(values.get(n) for n in ("kind", "name", "level", "recognised_date")):
                continue  # already reported as a missing required cell
            if not self._place(values, line, errors, hosts, regions):
                continue
            values["demonstration"] = bool(values.get("demonstration"))
            _text(values, "document_number", "notes")
            key = (values["kind"], values["name"], values["host"] and values["host"].pk,
                   values["region"] and values["region"].pk)  # fmt: skip
            if seen.repeated(key, record, errors, self.label_of("name")):
                continue
            current = existing.get(key)
            label, exclude = self.label_of("name"), ("host", "region")
            if current is None:
                self.plan_create(plan, Carrier(**values), actor, line, errors, label, exclude)
            elif not update:
                _key_conflict(errors, line, self.label_of("name"))
            else:
                self.plan_update(plan, current, values, actor, line, errors, label, exclude)
        return plan

    def _place(self, values: dict, line: int, errors, hosts: dict, regions: dict) -> bool:
        """Turn the host's credit code or the region into records; False when the row cannot be placed."""
        host_code, region_text = values.pop("host_uscc", None), values.pop("region", None)
        values.pop("host_name", None)
        values["host"] = values["region"] = None
        if host_code:
            code = credit_code(host_code, line, errors, self.label_of("host_uscc"))
            if code is None:
                return False
            values["host"] = hosts.get(code)
            if values["host"] is None:
                errors.add(line, self.label_of("host_uscc"), str(NOT_FOUND))
                return False
            region = _resolve(regions, region_text, line, self.label_of("region"), errors) if region_text else None
            if region is not None and region != values["host"].region:
                message = gettext("有依托单位的载体按依托单位所在区划统计，所在区划请留空")
                errors.add(line, self.label_of("region"), message)
                return False
            return not region_text or region is not None
        if not region_text:
            errors.add(line, self.label_of("region"), gettext("没有依托单位的载体（如园区）须填写所在区划"))
            return False
        values["region"] = _resolve(regions, region_text, line, self.label_of("region"), errors)
        return values["region"] is not None

    def export_queryset(self, *, actor, region=None, year=None):
        qs = restrict(Carrier, actor, "export") if actor is not None else Carrier.objects.all()
        if region is not None:
            qs = qs.filter(carrier_in_region_q(region.path))
        if year is not None:
            qs = qs.filter(carrier_valid_q(year_end(year)))
        return qs.select_related("host", "region").order_by("kind", "name", "pk")

    def export_values(self, c):
        return [c.kind, c.name, c.level, c.host.uscc if c.host_id else None, c.host.name if c.host_id else None,
                c.region.code if c.region_id else None, c.recognised_date, c.revoked_date, c.document_number,
                c.demonstration, c.area, c.notes]  # fmt: skip


@register
class TenantsSchema(ScopedSchema):
    kind = "tenants"
    title = _("入驻企业")
    model = Tenant
    key = ("carrier_name", "tenant_uscc", "entry_date")
    chunk_rows = None  # tenants are hundreds, and repeated rows are found after resolving codes
    field_columns = {"carrier": "carrier_name", "organisation": "tenant_uscc", "team_name": "tenant_name"}
    columns = (
        Column("carrier_name", _("孵化载体名称"), required=True, max_length=128, example="鹿寨县电商孵化器"),
        Column("carrier_host_uscc", _("载体依托单位信用代码"), help=_("载体有依托单位时填写，用于区分同名载体")),
        Column("carrier_region", _("载体所在区划"), help=_("载体没有依托单位时可填写，用于区分同名载体")),
        Column("tenant_uscc", _("入驻单位统一社会信用代码"), help=_("已在单位档案中的企业填写"),
               example="91450223MA5N7B2T5X"),
        Column("tenant_name", _("入驻企业/团队名称"), example="鹿寨县云创电子商务有限公司",
               help=_("有信用代码的仅供核对；尚未在单位档案中的团队或企业只填名称")),
        Column("entry_date", _("入驻日期"), kind="date", required=True, example="2019-03-01"),
        Column("exit_date", _("迁出日期"), kind="date"),
        Column("graduated", _("已毕业"), kind="bool", example="否"),
        Column("notes", _("备注")),
    )  # fmt: skip
    instructions = (
        _("一行一次入驻，以“孵化载体 + 入驻单位信用代码（或团队名称） + 入驻日期”识别；"
          "只有科技企业孵化器和众创空间登记入驻企业，载体须已在系统中。"),
        _("迁出日期须晚于入驻日期；已毕业的须填写迁出日期。"),
    )  # fmt: skip

    def prepare(self, parsed, *, actor, update, errors):
        carriers = self._carriers(parsed, actor)
        orgs = _organisations(parsed, ("tenant_uscc",), actor)
        regions = _region_lookup(actor)
        ids = [c.pk for same_name in carriers.values() for c in same_name]
        existing = {_tenant_key(t): t for t in Tenant.objects.filter(carrier__in=ids)}
        seen, plan = SeenKeys(self), Plan()
        for record in parsed:
            values, line = dict(record.values), record.line
            if not values.get("carrier_name") or not values.get("entry_date"):
                continue  # already reported as a missing required cell
            carrier = self._carrier(values, line, errors, carriers, regions)
            if carrier is None or not self._tenant(values, line, errors, orgs):
                continue
            values["carrier"], values["graduated"] = carrier, bool(values.get("graduated"))
            _text(values, "notes")
            key = _tenant_key(Tenant(**values))
            if seen.repeated(key, record, errors, self.label_of("entry_date")):
                continue
            current = existing.get(key)
            label, exclude = self.label_of("carrier_name"), ("carrier", "organisation")
            if current is None:
                self.plan_create(plan, Tenant(**values), actor, line, errors, label, exclude)
            elif not update:
                _key_conflict(errors, line, self.label_of("entry_date"))
            else:
                self.plan_update(plan, current, values, actor, line, errors, label, exclude)
        return plan

    @staticmethod
    def _carriers(parsed, actor) -> dict[str, list[Carrier]]:
        names = {r.values.get("carrier_name") for r in parsed} - {None}
        scope = restrict(Carrier, actor, "view") if actor is not None else Carrier.objects.all()
        found: dict[str, list[Carrier]] = {}
        for carrier in scope.filter(name__in=names).select_related("host", "host__region", "region"):
            found.setdefault(carrier.name, []).append(carrier)
        return found

    def _carrier(self, values, line, errors, carriers, regions) -> Carrier | None:
        """The carrier the row names; its host's credit code or its region tell apart carriers of the same name."""
        name = values.pop("carrier_name")
        host_code, region_text = values.pop("carrier_host_uscc", None), values.pop("carrier_region", None)
        candidates = carriers.get(name, [])
        if host_code:
            code = credit_code(host_code, line, errors, self.label_of("carrier_host_uscc"))
            if code is None:
                return None
            candidates = [c for c in candidates if c.host_id and c.host.uscc == code]
        if region_text:
            region = _resolve(regions, region_text, line, self.label_of("carrier_region"), errors)
            if region is None:
                return None
            candidates = [c for c in candidates if c.location == region]
        if not candidates:
            errors.add(line, self.label_of("carrier_name"), gettext("找不到该载体或不在您的管辖范围内（请先导入载体）"))
            return None
        if len(candidates) > 1:
            message = gettext("有 {n} 个同名载体，请填写载体依托单位信用代码或载体所在区划").format(n=len(candidates))
            errors.add(line, self.label_of("carrier_name"), message)
            return None
        return candidates[0]

    def _tenant(self, values, line, errors, orgs) -> bool:
        """The tenant: an organisation by credit code (the name only checks it), or a team by its name."""
        code, name = values.pop("tenant_uscc", None), values.pop("tenant_name", None)
        values["organisation"], values["team_name"] = None, ""
        if not code:
            values["team_name"] = name or ""  # Tenant.clean() asks for one or the other
            return True
        code = credit_code(code, line, errors, self.label_of("tenant_uscc"))
        if code is None:
            return False
        values["organisation"] = orgs.get(code)
        if values["organisation"] is None:
            errors.add(line, self.label_of("tenant_uscc"), str(NOT_FOUND))
            return False
        return True

    def export_queryset(self, *, actor, region=None, year=None):
        qs = restrict(Tenant, actor, "export") if actor is not None else Tenant.objects.all()
        if region is not None:
            qs = qs.filter(carrier_in_region_q(region.path, prefix="carrier__"))
        if year is not None:
            qs = qs.filter(tenant_in_residence_q(year_end(year)))
        return qs.select_related("carrier", "carrier__host", "carrier__region", "organisation").order_by(
            "carrier__name", "entry_date", "pk"
        )

    def export_values(self, t):
        c = t.carrier
        return [c.name, c.host.uscc if c.host_id else None, c.region.code if c.region_id else None,
                t.organisation.uscc if t.organisation_id else None, t.tenant_name, t.entry_date, t.exit_date,
                t.graduated, t.notes]  # fmt: skip


def _tenant_key(tenant: Tenant) -> tuple:
    if tenant.organisation_id:
        return (tenant.carrier_id, "organisation", tenant.organisation_id, tenant.entry_date)
    return (tenant.carrier_id, "team", tenant.team_name, tenant.entry_date)
