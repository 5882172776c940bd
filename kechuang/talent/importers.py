"""Import schemas of the talent registry: people (``talents``), commissioners (``commissioners``) and their
service logs (``service-logs``). Rows name a person by identity number, matched through its keyed hash.

Exports write the full identity number only for users who may read it (and for the system, i.e. the command
line without ``--user``); anyone else gets the masked number. A masked number cannot name a person, so an
import refuses it with a message saying how to get a file with full numbers: the file of a user without the
right can be read, not imported back.
"""

from django.db.models import Value
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.access import may, restrict
from kechuang.core.importkit import Column as C
from kechuang.core.importkit import ImportReport, Plan, Schema, bulk_write, changed_values, copy_with, register
from kechuang.core.validators import idcard_error, normalise_idcard, normalise_uscc
from kechuang.orgs.importers import OrganisationRecordSchema, _key_conflict, _region_lookup, _resolve
from kechuang.orgs.models import Organisation

from . import identity
from .choices import CommissionerLevel, Education, ServiceKind, TitleLevel
from .forms import split_programmes
from .models import Commissioner, Person, ServiceLog, Title, person_region_q

ID_NUMBER = C(
    "id_number",
    _("身份证号码"),
    required=True,
    help=_("18位公民身份号码（完整号码，不能是脱敏号码）"),
    example="450223198507150012",
)
NAME_CHECK = C("name", _("姓名"), help=_("仅供核对：须与人才库中该身份证号码登记的姓名一致"), example="韦志强")
OUTSIDE = _("不在您的管辖范围内")
MASKED = _("身份证号码已脱敏（含 *），无法识别人员：请用有权查看完整身份证号码的账号导出，或填写完整号码")
UNKNOWN_PERSON = _("人才库中没有该身份证号码的人员（或不在您的管辖范围内），请先导入科技人才")
TITLE_COLUMNS = {
    TitleLevel.SENIOR: ("senior_title", "senior_obtained"),
    TitleLevel.INTERMEDIATE: ("intermediate_title", "intermediate_obtained"),
    TitleLevel.JUNIOR: ("junior_title", "junior_obtained"),
}


def _number(values: dict, line: int, errors) -> str | None:
    """The row's identity number, normalised, or None after reporting why it cannot be used."""
    raw = values.pop("id_number", None)
    if raw in (None, ""):
        return None  # reported as a missing required cell
    number = normalise_idcard(raw)
    if identity.is_masked(number):
        errors.add(line, str(ID_NUMBER.label), str(MASKED))
        return None
    if error := idcard_error(number):
        errors.add(line, str(ID_NUMBER.label), error)
        return None
    return number


def _hashes(parsed) -> dict[int, str]:
    """Keyed hashes of the rows' valid numbers, by line."""
    found = {}
    for record in parsed:
        number = normalise_idcard(record.values.get("id_number") or "")
        if len(number) == 18 and not identity.is_masked(number) and idcard_error(number) is None:
            found[record.line] = identity.lookup_hash(number)
    return found


def _people_in_scope(actor, hashes) -> dict[str, Person]:
    people = restrict(Person, actor, "view") if actor is not None else Person.objects.all()
    return {p.id_number_hash: p for p in people.filter(id_number_hash__in=set(hashes))}


def _check_name(values: dict, person: Person, line: int, errors) -> bool:
    name = (values.pop("name", None) or "").strip()
    if name and name != person.name:
        errors.add(
            line,
            str(NAME_CHECK.label),
            gettext("姓名“{name}”与该身份证号码登记的姓名“{registered}”不一致").format(
                name=name, registered=person.name
            ),
        )
        return False
    return True


def _first(seen: dict, key: tuple | str, record, schema: Schema, line: int, errors) -> bool:
    """Whether this row is the first with its natural key once normalised (the same number written with
    spaces or full-width digits is the same person); the kit already reported rows whose cells are identical."""
    raw = tuple(record.values.get(name) for name in schema.key)
    if key in seen:
        first_line, first_raw = seen[key]
        if raw != first_raw:
            labels = "+".join(schema.label_of(name) for name in schema.key)
            errors.add(line, labels, gettext("与第{line}行重复").format(line=first_line))
        return False
    seen[key] = (line, raw)
    return True


def _reveal(queryset, actor):
    return queryset.annotate(reveal_id=Value(identity.may_see_identity(actor)))


def _shown_number(person) -> str:
    return person.id_number if getattr(person, "reveal_id", False) else person.id_number_masked


class _PersonRowPlan(Plan):
    """People to write, the titles that go with them, and what each row did."""

    def __init__(self):
        super().__init__()
        self.titles = Plan()
        self.row_counts = {"created": 0, "updated": 0, "unchanged": 0}


@register
class TalentsSchema(Schema):
    kind = "talents"
    title = _("科技人才")
    model = Person
    key = ("id_number",)
    chunk_rows = None  # the whole file at once: a number written two ways is found as one person
    columns = (
        ID_NUMBER,
        C("name", _("姓名"), required=True, max_length=32, example="韦志强"),
        C("uscc", _("所在单位统一社会信用代码"), help=_("所在单位须已在系统中；没有单位的人员不填"),
          example="91450223MA5N7B2T5X"),
        C("org_name", _("所在单位名称"), help=_("仅供核对，以统一社会信用代码为准"),
          example="鹿寨县恒达汽车配件有限公司"),
        C("region", _("所在区划"), help=_("没有所在单位的人员填写区划代码或名称，如 鹿寨镇；有单位的留空"), example=""),
        C("field", _("专业领域"), max_length=64, example="机械工程"),
        C("education", _("学历"), kind="choice", choices=tuple(Education.choices), example=Education.BACHELOR.label),
        C("is_researcher", _("研发人员"), kind="bool", example="是"),
        C("programmes", _("人才计划"), help=_("多个用顿号分隔，如 八桂学者、柳州市高层次人才"), example=""),
        C("phone", _("联系电话"), max_length=32, example="13807721234"),
        C("senior_title", _("高级职称"), max_length=64, help=_("正高、副高级职称名称，如 高级工程师"), example=""),
        C("senior_obtained", _("高级职称取得日期"), kind="date", example=""),
        C("intermediate_title", _("中级职称"), max_length=64, example="工程师"),
        C("intermediate_obtained", _("中级职称取得日期"), kind="date", example="2016-12-20"),
        C("junior_title", _("初级职称"), max_length=64, example="助理工程师"),
        C("junior_obtained", _("初级职称取得日期"), kind="date", example="2010-11-05"),
    )  # fmt: skip
    instructions = (
        _("一行一个人，以身份证号码识别；身份证号码加密保存，页面和日志中只显示脱敏号码。"),
        _("有所在单位的填单位统一社会信用代码（单位须已在系统中），所在区划留空；没有单位的填所在区划。"),
        _("职称按级别各填一列：名称和取得日期要一起填写。更新已有人员时，留空的职称列不会删除已有职称。"),
        _("导出文件中的身份证号码如已脱敏（含 *），不能直接导回；请用有权查看完整号码的账号导出。"),
    )

    def prepare(self, parsed, *, actor, update, errors):
        regions = _region_lookup(actor)
        orgs = OrganisationRecordSchema.organisations(parsed, actor)
        hashes = _hashes(parsed)
        existing = {p.id_number_hash: p for p in Person.objects.filter(id_number_hash__in=set(hashes.values()))}
        titles = {(t.person_id, t.level): t for t in Title.objects.filter(person__in=existing.values())}
        plan, seen = _PersonRowPlan(), {}
        for record in parsed:
            values, line = dict(record.values), record.line
            number = _number(values, line, errors)
            given_titles = self._titles(values, line, errors)
            values = self._person_values(values, line, errors, orgs, regions)
            if number is None or values is None or given_titles is None:
                continue
            digest = identity.lookup_hash(number)
            if not _first(seen, digest, record, self, line, errors):
                continue
            current = existing.get(digest)
            if current is None:
                self._plan_create(plan, number, values, given_titles, actor, line, errors)
            elif not update:
                _key_conflict(errors, line, ID_NUMBER.label)
            else:
                self._plan_update(plan, current, values, given_titles, titles, actor, line, errors)
        return plan

    def _person_values(self, values, line, errors, orgs, regions) -> dict | None:
        values.pop("org_name", None)
        ok = True
        organisation = None
        if values.get("uscc"):
            uscc = normalise_uscc(values["uscc"])
            organisation = orgs.get(uscc)
            if organisation is None:
                errors.add(line, self.label_of("uscc"), gettext("该单位不存在或不在您的管辖范围内（请先导入单位）"))
                ok = False
        values.pop("uscc", None)
        region = _resolve(regions, values.get("region"), line, self.label_of("region"), errors)
        if values.get("region") and region is None:
            ok = False
        person = {
            "name": values.get("name") or "",
            "organisation": organisation,
            "region": region,
            "field": values.get("field") or "",
            "education": values.get("education") or "",
            "is_researcher": bool(values.get("is_researcher")),
            "programmes": split_programmes(values.get("programmes") or ""),
            "phone": values.get("phone") or "",
        }
        return person if ok else None

    def _titles(self, values, line, errors) -> dict | None:
        given, ok = {}, True
        for level, (name_column, date_column) in TITLE_COLUMNS.items():
            name, obtained = values.pop(name_column, None), values.pop(date_column, None)
            if not name and not obtained:
                continue
            if not name or not obtained:
                missing = name_column if not name else date_column
                errors.add(line, self.label_of(missing), gettext("职称名称和取得日期要一起填写"))
                ok = False
                continue
            given[level] = {"name": name, "obtained": obtained}
        return given if ok else None

    def _plan_create(self, plan, number, values, given_titles, actor, line, errors):
        person = Person(**values)
        person.set_id_number(number)
        # The rules first: a person placed nowhere should hear "fill in the region", not "outside your scope".
        valid = self.validate(person, line, errors, exclude=("organisation", "region"))
        new_titles = [Title(person=person, level=level, **t) for level, t in given_titles.items()]
        valid = all([self._validate_title(t, line, errors) for t in new_titles]) and valid
        if valid and actor is not None and not may(actor, "add", person):
            errors.add(line, self.label_of("region" if person.region_id else "uscc"), str(OUTSIDE))
        elif valid:
            plan.creates.append(person)
            plan.titles.creates.extend(new_titles)
            plan.row_counts["created"] += 1

    def _plan_update(self, plan, current, values, given_titles, titles, actor, line, errors):
        changed = changed_values(current, values)
        candidate = copy_with(current, changed)
        if actor is not None and not (may(actor, "change", current) and may(actor, "change", candidate)):
            errors.add(line, str(ID_NUMBER.label), str(OUTSIDE))
            return
        valid = not changed or self.validate(candidate, line, errors, exclude=("organisation", "region"))
        title_creates, title_updates = [], []
        for level, t in given_titles.items():
            held = titles.get((current.pk, level))
            if held is None:
                title_creates.append(Title(person=current, level=level, **t))
            elif title_changes := changed_values(held, t):
                title_updates.append((held, title_changes, copy_with(held, title_changes)))
        checked = [*title_creates, *(copy for _, _, copy in title_updates)]
        valid = all([self._validate_title(t, line, errors) for t in checked]) and valid
        if not valid:
            return
        if changed:
            plan.updates.append((current, changed))
        plan.titles.creates.extend(title_creates)
        plan.titles.updates.extend((held, title_changes) for held, title_changes, _ in title_updates)
        touched = changed or title_creates or title_updates
        plan.row_counts["updated" if touched else "unchanged"] += 1
        if not touched:
            plan.unchanged += 1

    def _validate_title(self, title: Title, line: int, errors) -> bool:
        return self.validate(title, line, errors, exclude=("person",))

    def write(self, plan, *, actor, report: ImportReport) -> None:
        # People first (their new primary keys are what the new titles point to), then titles; the report
        # counts rows: a person whose only change is a title counts as updated.
        bulk_write(plan, actor=actor, report=ImportReport(kind=self.kind), schema=self)
        bulk_write(plan.titles, actor=actor, report=ImportReport(kind=self.kind))
        report.created += plan.row_counts["created"]
        report.updated += plan.row_counts["updated"]
        report.unchanged += plan.row_counts["unchanged"]

    def export_queryset(self, *, actor, region=None, year=None):
        qs = restrict(Person, actor, "export") if actor is not None else Person.objects.all()
        if region is not None:
            qs = qs.filter(person_region_q(region.path))
        qs = qs.select_related("organisation", "region").prefetch_related("titles")
        return _reveal(qs, actor).order_by("name", "pk")

    def export_values(self, p):
        held = {t.level: t for t in p.titles.all()}
        title_cells = []
        for level in TITLE_COLUMNS:
            title = held.get(level)
            title_cells += [title.name, title.obtained] if title else [None, None]
        organisation = p.organisation
        return [
            _shown_number(p), p.name, organisation.uscc if organisation else None,
            organisation.name if organisation else None, p.region.code if p.region_id else None, p.field,
            p.education or None, p.is_researcher, "、".join(p.programmes or []) or None, p.phone, *title_cells,
        ]  # fmt: skip


def _commissioners_in_scope(actor):
    return restrict(Commissioner, actor, "view") if actor is not None else Commissioner.objects.all()


@register
class CommissionersSchema(Schema):
    kind = "commissioners"
    title = _("科技特派员")
    model = Commissioner
    key = ("id_number", "year")
    chunk_rows = None
    columns = (
        ID_NUMBER,
        NAME_CHECK,
        C("year", _("选派年度"), kind="year", required=True, example=2020),
        C("level", _("选派层级"), kind="choice", choices=tuple(CommissionerLevel.choices),
          example=CommissionerLevel.COUNTY.label),
        C("township", _("服务乡镇"), required=True, help=_("乡镇的区划代码或名称，如 450223101 或 中渡镇"),
          example="中渡镇"),
        C("village", _("服务村"), required=True, max_length=32, example="大兆村"),
        C("sending_uscc", _("派出单位统一社会信用代码"), help=_("派出单位在系统中时填写"), example=""),
        C("sending_name", _("派出单位名称"), max_length=128,
          help=_("派出单位不在系统中时填写；填了信用代码的，名称仅供核对"), example="鹿寨县农业技术推广中心"),
        C("field", _("服务领域"), max_length=64, example="水果种植"),
    )  # fmt: skip
    instructions = (
        _("一行一名特派员一个年度，以身份证号码 + 选派年度识别；人员须已登记在科技人才库中（可先导入科技人才）。"),
        _("服务乡镇须为乡镇（乡级区划）；派出单位在系统中的填信用代码，否则填单位名称。"),
    )

    def prepare(self, parsed, *, actor, update, errors):
        regions = _region_lookup(actor)
        hashes = _hashes(parsed)
        people = _people_in_scope(actor, hashes.values())
        existing = {
            (c.person_id, c.year): c
            for c in Commissioner.objects.filter(person__in=people.values()).select_related("township")
        }
        codes = {normalise_uscc(r.values["sending_uscc"]) for r in parsed if r.values.get("sending_uscc")}
        units = {o.uscc: o for o in Organisation.objects.filter(uscc__in=codes)}
        plan, seen = Plan(), {}
        for record in parsed:
            values, line = dict(record.values), record.line
            number = _number(values, line, errors)
            township = _resolve(regions, values.pop("township", None), line, self.label_of("township"), errors)
            unit = self._unit(values, units, line, errors)
            if number is None or township is None or unit is False or values.get("year") is None:
                continue
            person = people.get(identity.lookup_hash(number))
            if person is None:
                errors.add(line, str(ID_NUMBER.label), str(UNKNOWN_PERSON))
                continue
            if not _check_name(values, person, line, errors):
                continue
            fields = {
                "level": values.get("level") or CommissionerLevel.COUNTY,
                "township": township,
                "village": values.get("village") or "",
                "sending_unit": unit,
                "sending_unit_name": "" if unit else (values.get("sending_name") or ""),
                "field": values.get("field") or "",
            }
            if not _first(seen, (person.pk, values["year"]), record, self, line, errors):
                continue
            current = existing.get((person.pk, values["year"]))
            if current is None:
                commissioner = Commissioner(person=person, year=values["year"], **fields)
                if actor is not None and not may(actor, "add", commissioner):
                    errors.add(line, self.label_of("township"), str(OUTSIDE))
                elif self.validate(commissioner, line, errors, exclude=("person", "township", "sending_unit")):
                    plan.creates.append(commissioner)
            elif not update:
                _key_conflict(errors, line, f"{ID_NUMBER.label}+{self.label_of('year')}")
            else:
                self._plan_update(plan, current, fields, actor, line, errors)
        return plan

    def _unit(self, values, units, line, errors):
        """The sending organisation, None for a unit named in text only, False when the code is unknown."""
        code = values.pop("sending_uscc", None)
        if not code:
            return None
        unit = units.get(normalise_uscc(code))
        if unit is None:
            errors.add(
                line,
                self.label_of("sending_uscc"),
                gettext("派出单位不在系统中：请先导入该单位，或只填写派出单位名称"),
            )
            return False
        return unit

    def _plan_update(self, plan, current, fields, actor, line, errors):
        changed = changed_values(current, fields)
        if not changed:
            plan.unchanged += 1
            return
        candidate = copy_with(current, changed)
        if actor is not None and not (may(actor, "change", current) and may(actor, "change", candidate)):
            errors.add(line, self.label_of("township"), str(OUTSIDE))
        elif self.validate(candidate, line, errors, exclude=("person", "township", "sending_unit")):
            plan.updates.append((current, changed))

    def export_queryset(self, *, actor, region=None, year=None):
        qs = restrict(Commissioner, actor, "export") if actor is not None else Commissioner.objects.all()
        if region is not None:
            qs = qs.filter(township__path__startswith=region.path)
        if year is not None:
            qs = qs.filter(year=year)
        qs = qs.select_related("person", "township", "sending_unit")
        return qs.annotate(reveal_id=Value(identity.may_see_identity(actor))).order_by(
            "year", "township__code", "village", "pk"
        )

    def export_values(self, c):
        unit = c.sending_unit
        number = c.person.id_number if c.reveal_id else c.person.id_number_masked
        return [
            number, c.person.name, c.year, c.level, c.township.code, c.village, unit.uscc if unit else None,
            unit.name if unit else c.sending_unit_name, c.field,
        ]  # fmt: skip


@register
class ServiceLogsSchema(Schema):
    kind = "service-logs"
    title = _("特派员服务记录")
    model = ServiceLog
    key = ("id_number", "date", "village", "kind")
    chunk_rows = None
    columns = (
        ID_NUMBER,
        NAME_CHECK,
        C("date", _("服务日期"), kind="date", required=True, example="2020-04-16"),
        C("village", _("服务地点（村）"), required=True, max_length=32, example="大兆村"),
        C("kind", _("服务类型"), kind="choice", required=True, choices=tuple(ServiceKind.choices),
          example=ServiceKind.GUIDANCE.label),
        C("days", _("天数"), kind="int", help=_("不填为1天"), example=1),
        C("trainees", _("培训人数"), kind="int", help=_("只有技术培训填写"), example=""),
        C("content", _("服务内容"), required=True, example="指导沃柑春梢期病虫害防治"),
    )  # fmt: skip
    instructions = (
        _("一行一次服务，以身份证号码 + 服务日期 + 服务地点（村）+ 服务类型识别。"),
        _("该人员须已登记为服务日期所在年度的科技特派员（可先导入科技特派员）。"),
        _("服务类型：现场指导、示范推广、技术培训、其他；只有技术培训填写培训人数（至少1人）。"),
    )

    def prepare(self, parsed, *, actor, update, errors):
        hashes = _hashes(parsed)
        people = _people_in_scope(actor, hashes.values())
        years = {r.values["date"].year for r in parsed if r.values.get("date")}
        roster = {
            (c.person_id, c.year): c
            for c in _commissioners_in_scope(actor).filter(person__in=people.values(), year__in=years)
        }
        existing = {
            (s.commissioner_id, s.date, s.village, s.kind): s
            for s in ServiceLog.objects.filter(commissioner__in=roster.values())
        }
        plan, seen = Plan(), {}
        for record in parsed:
            values, line = dict(record.values), record.line
            number = _number(values, line, errors)
            if number is None or values.get("date") is None or not values.get("kind"):
                continue
            person = people.get(identity.lookup_hash(number))
            if person is None:
                errors.add(line, str(ID_NUMBER.label), str(UNKNOWN_PERSON))
                continue
            if not _check_name(values, person, line, errors):
                continue
            commissioner = roster.get((person.pk, values["date"].year))
            if commissioner is None:
                errors.add(
                    line,
                    self.label_of("date"),
                    gettext(
                        "该人员{year}年未登记为科技特派员（或服务乡镇不在您的管辖范围内），请先导入科技特派员"
                    ).format(year=values["date"].year),
                )
                continue
            fields = {
                "days": 1 if values.get("days") is None else values["days"],
                "trainees": values.get("trainees") or 0,
                "content": values.get("content") or "",
            }
            key = (commissioner.pk, values["date"], (values.get("village") or "").strip(), values["kind"])
            if not _first(seen, key, record, self, line, errors):
                continue
            current = existing.get(key)
            if current is None:
                log = ServiceLog(commissioner=commissioner, date=key[1], village=key[2], kind=key[3], **fields)
                if actor is not None and not may(actor, "add", log):
                    errors.add(line, str(ID_NUMBER.label), str(OUTSIDE))
                elif self.validate(log, line, errors, exclude=("commissioner",)):
                    plan.creates.append(log)
            elif not update:
                _key_conflict(errors, line, "+".join(self.label_of(n) for n in self.key))
            elif not (changed := changed_values(current, fields)):
                plan.unchanged += 1
            elif actor is not None and not may(actor, "change", current):
                errors.add(line, str(ID_NUMBER.label), str(OUTSIDE))
            elif self.validate(copy_with(current, changed), line, errors, exclude=("commissioner",)):
                plan.updates.append((current, changed))
        return plan

    def export_queryset(self, *, actor, region=None, year=None):
        qs = restrict(ServiceLog, actor, "export") if actor is not None else ServiceLog.objects.all()
        if region is not None:
            qs = qs.filter(commissioner__township__path__startswith=region.path)
        if year is not None:
            qs = qs.filter(date__year=year)
        qs = qs.select_related("commissioner__person")
        return qs.annotate(reveal_id=Value(identity.may_see_identity(actor))).order_by("date", "village", "pk")

    def export_values(self, s):
        person = s.commissioner.person
        number = person.id_number if s.reveal_id else person.id_number_masked
        return [number, person.name, s.date, s.village, s.kind, s.days, s.trainees or None, s.content]
