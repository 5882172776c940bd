"""Import schemas of the IP registry: patents (``patents``) and other IP (``other-ip``).

A patent row names its owners in one cell (credit codes or names, in order) and its inventors in another; its
legal status arrives as a status and a date. Importing the same row again with "update" changes nothing: a
status event is appended only when the patent does not have it yet.
"""

from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.access import may, restrict
from kechuang.core.importkit import Column, Plan, Schema, changed_values, copy_with, register
from kechuang.core.validators import normalise_patent, patent_error
from kechuang.orgs.importers import ORG_NAME, USCC, OrganisationRecordSchema, _key_conflict, _region_lookup
from kechuang.orgs.models import Organisation

from .choices import Acquisition, OtherIPKind, PatentStatus, PatentType, StandardLevel, StandardRole
from .models import OtherIP, Patent, PatentOwner, format_number, number_type, other_ip_number
from .services import (
    OwnerResolver,
    PatentChange,
    PatentDraft,
    apply_owners,
    derive,
    patents_bulk_write,
    sequence_error,
    split_names,
    stored_owner_key,
)

# Cells holding lists are written with these separators (any of 、；;,， is read).
OWNER_SEPARATOR = "；"
INVENTOR_SEPARATOR = "、"
LOOKUP_BATCH = 2000


@register
class PatentSchema(Schema):
    kind = "patents"
    title = _("专利")
    model = Patent
    # The natural key is the application number, compared normalised in prepare() (a number may be written with a
    # dot, a ZL prefix …), so the kit's check of identical cells is left out; hence the whole file at once, too.
    key = ()
    chunk_rows = None
    columns = (
        Column("number", _("申请号"), required=True, max_length=32, help=_("如 202010566088.9，可带 ZL/CN 前缀"),
               example="202010566088.9"),
        Column("patent_type", _("专利类型"), kind="choice", choices=tuple(PatentType.choices),
               help=_("不填则按申请号第5位确定"), example=PatentType.INVENTION.label),
        Column("title", _("专利名称"), required=True, max_length=255, example="一种汽车制动盘的铸造方法"),
        Column("application_date", _("申请日"), kind="date", required=True, example="2020-06-18"),
        Column("grant_date", _("授权公告日"), kind="date", example="2021-09-10"),
        Column("publication_number", _("公开（公告）号"), max_length=32, example="CN111744567B"),
        Column("acquisition", _("获得方式"), kind="choice", choices=tuple(Acquisition.choices),
               example=Acquisition.OWN_RD.label),
        Column("owners", _("专利权人"), required=True,
               help=_("按顺序填写，用“、”或“；”分隔；已登记的单位填名称或统一社会信用代码，个人填姓名"),
               example="广西鹿寨恒驰汽车零部件有限公司；广西科技大学"),
        Column("owner_region", _("第一专利权人所在区划"),
               help=_("第一专利权人不是已登记的单位（如个人）时必填：区划代码或名称"), example=""),
        Column("inventors", _("发明人"), help=_("按顺序，用“、”分隔"), example="韦志强、覃丽萍"),
        Column("status", _("法律状态"), kind="choice", choices=tuple(PatentStatus.choices),
               help=_("最近一次法律状态；与状态日期一起填写"), example=PatentStatus.GRANTED.label),
        Column("status_date", _("状态日期"), kind="date", example="2021-09-10"),
    )  # fmt: skip
    instructions = (
        _("一行一件专利，以申请号识别；专利按第一专利权人所在区划统计。"),
        _("专利权人按专利文件上的顺序填写；已登记的单位填名称或统一社会信用代码，第一专利权人是个人或未登记的单位时须填其所在区划。"),
        _("法律状态（审查中、授权、转让、失效、无效、驳回或撤回）与状态日期一起填写；更新已有专利时，只有新的状态才会追加，已有的不会重复登记。"),
        _("授权公告日也可以单独填写，系统会登记为一次“授权”状态。"),
    )  # fmt: skip

    def prepare(self, parsed, *, actor, update, errors):
        rows = self._numbered(parsed, errors)
        existing = self._existing([number for number, _ in rows])
        resolver = OwnerResolver(item for _, record in rows for item in split_names(record.values.get("owners")))
        regions = _region_lookup(actor)
        plan = Plan()
        required = [c.name for c in self.columns if c.required]
        for number, record in rows:
            values, line = record.values, record.line
            if any(values.get(name) in (None, "") for name in required):
                continue  # reported as a missing required cell
            owners = self._owners(values, line, errors, resolver, regions)
            fields = {
                "number": number,
                "patent_type": values.get("patent_type") or number_type(number) or "",
                "title": values.get("title") or "",
                "application_date": values.get("application_date"),
                "publication_number": values.get("publication_number") or "",
                "acquisition": values.get("acquisition") or Acquisition.OWN_RD,
                "inventors": split_names(values.get("inventors")),
            }
            events = self._events(values, line, errors)
            if owners is None or events is None or fields["application_date"] is None:
                continue
            current = existing.get(number)
            if current is None:
                self._plan_create(plan, fields, owners, events, actor, line, errors)
            elif not update:
                _key_conflict(errors, line, self.label_of("number"))
            else:
                self._plan_update(plan, current, fields, owners, events, actor, line, errors)
        return plan

    def _numbered(self, parsed, errors) -> list:
        """Rows with a valid application number, normalised, each number once in the file."""
        rows, seen = [], {}
        label = self.label_of("number")
        for record in parsed:
            raw = record.values.get("number")
            if not raw:
                continue  # reported as a missing required cell
            if error := patent_error(raw):
                errors.add(record.line, label, error)
                continue
            number = normalise_patent(raw)
            if number in seen:
                errors.add(record.line, label, gettext("与第{line}行重复").format(line=seen[number]))
                continue
            seen[number] = record.line
            rows.append((number, record))
        return rows

    @staticmethod
    def _existing(numbers: list[str]) -> dict[str, Patent]:
        found: dict[str, Patent] = {}
        for start in range(0, len(numbers), LOOKUP_BATCH):
            batch = numbers[start : start + LOOKUP_BATCH]
            qs = Patent.objects.filter(number__in=batch).select_related("region").prefetch_related("owners", "events")
            found |= {p.number: p for p in qs}
        return found

    def _owners(self, values, line, errors, resolver, regions):
        items = split_names(values.get("owners"))
        if not items:
            return None  # reported as a missing required cell
        first_region = None
        if region_text := values.get("owner_region"):
            first_region = regions.get(str(region_text).strip())
            if first_region is None:
                problem = gettext("“{value}”找不到（或名称不唯一，请改填代码）").format(value=region_text)
                errors.add(line, self.label_of("owner_region"), problem)
                return None
        owners, problems = resolver.resolve(items, first_region)
        for problem in problems:
            errors.add(line, self.label_of("owners"), problem)
        return None if problems else owners

    def _events(self, values, line, errors):
        """The events a row states: its grant date, and its status with the status date."""
        status, day, grant = values.get("status"), values.get("status_date"), values.get("grant_date")
        if bool(status) != bool(day):
            missing = "status_date" if status else "status"
            errors.add(line, self.label_of(missing), gettext("法律状态和状态日期须同时填写"))
            return None
        events = [(PatentStatus.GRANTED.value, grant)] if grant else []
        if status and (status, day) not in events:
            events.append((status, day))
        return events

    def _plan_create(self, plan, fields, owners, events, actor, line, errors):
        patent = Patent(**fields)
        apply_owners(patent, owners)
        timeline = [(PatentStatus.PENDING.value, patent.application_date)]
        timeline += [event for event in events if event not in timeline]
        if error := sequence_error(timeline, application_date=patent.application_date):
            errors.add(line, self.label_of("status"), error)
            return
        for name, value in derive(patent, timeline).items():
            setattr(patent, name, value)
        if actor is not None and not may(actor, "add", patent):
            errors.add(line, self.label_of("owners"), gettext("第一专利权人所在区划不在您的管辖范围内"))
        elif self.validate(patent, line, errors, exclude=("region", "number")):
            plan.creates.append(PatentDraft(patent, owners, timeline))

    def _plan_update(self, plan, current, fields, owners, events, actor, line, errors):
        stored = [(e.status, e.date) for e in current.events.all()]
        stored_grant = next((d for s, d in stored if s == PatentStatus.GRANTED), None)
        grant = next((d for s, d in events if s == PatentStatus.GRANTED), None)
        if grant and stored_grant and grant != stored_grant:
            errors.add(line, self.label_of("grant_date"), gettext(
                "与已登记的授权公告日 {date} 不一致；如需更正，请在专利详情页删除原“授权”状态后重新登记"
            ).format(date=stored_grant.isoformat()))  # fmt: skip
            return
        new_events = [event for event in events if event not in stored]
        timeline = stored + new_events
        if new_events and (error := sequence_error(timeline, application_date=fields["application_date"])):
            errors.add(line, self.label_of("status"), error)
            return
        values = dict(fields)
        new_owners = None
        if [o.key() for o in owners] != [stored_owner_key(o) for o in current.owners.all()] or [
            o.name for o in owners
        ] != current.owner_names:
            new_owners = owners
            values["owner_names"] = [o.name for o in owners]
            values["region"] = owners[0].placing_region
        candidate = Patent(application_date=values["application_date"], patent_type=values["patent_type"])
        values.update(derive(candidate, timeline))
        changed = changed_values(current, values)
        if not changed and not new_events and new_owners is None:
            plan.unchanged += 1
            return
        candidate = copy_with(current, changed)
        candidate.region = changed.get("region", current.region)  # the scope check reads it: no query per row
        if new_owners is not None:
            candidate.pending_owners = new_owners
        if actor is not None and not (may(actor, "change", current) and may(actor, "change", candidate)):
            errors.add(line, self.label_of("number"), gettext("该专利不在您的管辖范围内，不能修改"))
        elif self.validate(candidate, line, errors, exclude=("region", "number")):
            plan.updates.append(PatentChange(current, changed, new_owners, new_events))

    def write(self, plan, *, actor, report, **kwargs):
        patents_bulk_write(actor=actor, drafts=plan.creates, changes=plan.updates)
        report.created += len(plan.creates)
        report.updated += len(plan.updates)
        report.unchanged += plan.unchanged

    # --- export in the import format -------------------------------------------------------------------------

    def export_queryset(self, *, actor, region=None, year=None):
        qs = restrict(Patent, actor, "export") if actor is not None else Patent.objects.all()
        if region is not None:
            qs = qs.filter(region__path__startswith=region.path)
        if year is not None:
            qs = qs.filter(application_date__year=year)
        # Organisations sharing a name are written by credit code, so the file imports back to the same owners.
        self._shared_names = set(
            Organisation.objects.values("name").annotate(n=Count("pk")).filter(n__gt=1).values_list("name", flat=True)
        )
        return qs.select_related("region").prefetch_related("owners__organisation", "owners__region", "events")

    def export_values(self, p):
        owners = list(p.owners.all())
        first = owners[0] if owners else None
        first_region = first.region.code if first and first.organisation_id is None and first.region_id else None
        events = sorted(p.events.all(), key=lambda e: (e.date, list(PatentStatus.values).index(e.status)))
        last = events[-1] if events else None
        return [
            format_number(p.number), p.patent_type, p.title, p.application_date, p.grant_date, p.publication_number,
            p.acquisition, OWNER_SEPARATOR.join(self._owner_cell(o) for o in owners), first_region,
            INVENTOR_SEPARATOR.join(p.inventors), last.status if last else None, last.date if last else None,
        ]  # fmt: skip

    def _owner_cell(self, owner: PatentOwner) -> str:
        org = owner.organisation
        if org is None:
            return owner.name
        return org.uscc if org.name in getattr(self, "_shared_names", ()) else org.name


@register
class OtherIPSchema(OrganisationRecordSchema):
    kind = "other-ip"
    title = _("其他知识产权")
    model = OtherIP
    key = ("kind", "number")
    export_order = ("organisation__uscc", "kind", "date")
    refuse_add = _("无权为该单位新增知识产权")
    refuse_change = _("无权修改该单位的知识产权")
    columns = (
        USCC,
        ORG_NAME,
        Column("kind", _("类别"), kind="choice", required=True, choices=tuple(OtherIPKind.choices),
               example=OtherIPKind.SOFTWARE.label),
        Column("number", _("登记号/证书号/标准号"), required=True, max_length=64, example="2020SR0123456"),
        Column("title", _("名称"), required=True, max_length=255, example="汽车零部件质量追溯管理系统V1.0"),
        Column("date", _("登记/授权/发布日期"), kind="date", required=True, example="2020-03-16"),
        Column("end_date", _("终止日期"), kind="date", help=_("保护期满、被撤销或标准废止的日期；仍有效的不填")),
        Column("acquisition", _("获得方式"), kind="choice", choices=tuple(Acquisition.choices),
               example=Acquisition.OWN_RD.label),
        Column("standard_level", _("标准级别"), kind="choice", choices=tuple(StandardLevel.choices),
               help=_("类别为“标准”时必填")),
        Column("standard_role", _("参与方式"), kind="choice", choices=tuple(StandardRole.choices),
               help=_("类别为“标准”时必填")),
    )  # fmt: skip
    instructions = (
        _("一行一项知识产权，以“类别 + 编号”识别；权利人单位须已在系统中（可先导入“单位”）。"),
        _("软件著作权、集成电路布图设计、植物新品种、国家级农作物品种、国家新药、国家一级中药保护品种按政策分为Ⅰ类、Ⅱ类，系统自动判断。"),
        _("标准须填写标准级别和参与方式（主导制定或参与制定）。"),
    )  # fmt: skip

    def prepare(self, parsed, *, actor, update, errors):
        orgs = self.organisations(parsed, actor)
        keys = {(r.values.get("kind"), other_ip_number(r.values.get("kind"), r.values.get("number"))) for r in parsed}
        numbers = {number for _, number in keys if number}
        existing = {(o.kind, o.number): o for o in OtherIP.objects.filter(number__in=numbers)}
        plan = Plan()
        required = [c.name for c in self.columns if c.required]
        for record in parsed:
            values, line = dict(record.values), record.line
            if any(values.get(name) in (None, "") for name in required):  # already reported as missing
                continue
            organisation = self.organisation_of(values, line, errors, orgs)
            if organisation is None:
                continue
            values = {
                **values,
                "number": other_ip_number(values["kind"], values["number"]),
                "title": values.get("title") or "",
                "acquisition": values.get("acquisition") or Acquisition.OWN_RD,
                "standard_level": values.get("standard_level") or "",
                "standard_role": values.get("standard_role") or "",
            }
            current = existing.get((values["kind"], values["number"]))
            if current is not None and current.organisation_id != organisation.pk:
                errors.add(line, self.label_of("number"), gettext("该编号已登记在另一个单位名下"))
            elif current is None:
                self.plan_create(plan, OtherIP(organisation=organisation, **values), actor, line, errors)
            elif not update:
                _key_conflict(errors, line, self.label_of("number"))
            else:
                self.plan_update(plan, current, values, actor, line, errors)
        return plan

    def export_queryset(self, *, actor, region=None, year=None):
        qs = restrict(OtherIP, actor, "export") if actor is not None else OtherIP.objects.all()
        if region is not None:
            qs = qs.filter(organisation__region__path__startswith=region.path)
        if year is not None:
            qs = qs.filter(date__year=year)
        return qs.select_related("organisation").order_by(*self.export_order)

    def export_values(self, r):
        return [r.organisation.uscc, r.organisation.name, r.kind, r.number, r.title, r.date, r.end_date,
                r.acquisition, r.standard_level or None, r.standard_role or None]  # fmt: skip
