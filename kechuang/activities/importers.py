"""Import schema of the activities registry: ``activities`` (export in the same format).

An activity is named by type + title + start date + region. Popularisation spending (科普经费) is one figure per
region and year, entered on its form or through the API, and is not part of this kind.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.access import restrict
from kechuang.core.importkit import Column, Plan, ScopedSchema, SeenKeys, credit_code, register
from kechuang.core.validators import normalise_uscc
from kechuang.orgs.importers import _key_conflict, _region_lookup, _resolve
from kechuang.orgs.models import Organisation

from .choices import ActivityKind
from .models import Activity

__all__ = ["ActivitiesSchema"]

REQUIRED = ("kind", "title", "region", "start_date", "organiser")
EXCLUDE = ("region", "organisation")  # checked by the scope and on resolving the credit code


@register
class ActivitiesSchema(ScopedSchema):
    kind = "activities"
    title = _("科技活动")
    model = Activity
    key = ("kind", "title", "start_date", "region")
    chunk_rows = None  # activities are hundreds a year, and repeated rows are found after resolving codes

    field_columns = {"organisation": "organisation_uscc"}  # the organisation's errors go under the column naming it

    columns = (
        Column("kind", _("活动类型"), kind="choice", required=True, choices=tuple(ActivityKind.choices),
               example=ActivityKind.COMPETITION.label),
        Column("title", _("活动名称"), required=True, max_length=128, example="第四届鹿寨县创新创业大赛"),
        Column("region", _("举办地区划"), required=True, help=_("区划代码或名称，如 450223 或 鹿寨镇"),
               example="鹿寨镇"),
        Column("start_date", _("开始日期"), kind="date", required=True, example="2020-09-18"),
        Column("end_date", _("结束日期"), kind="date", help=_("一天内结束的活动不用填写")),
        Column("organiser", _("主办单位"), required=True, max_length=128, example="鹿寨县科学技术局"),
        Column("organisation_uscc", _("承办单位统一社会信用代码"), help=_("承办单位在单位档案中的才填写")),
        Column("participants", _("参与人次"), kind="int", example=320),
        Column("entries", _("参赛项目数"), kind="int", help=_("仅创新创业大赛填写"), example=46),
        Column("awards", _("获奖项目数"), kind="int", help=_("仅创新创业大赛填写"), example=12),
        Column("trainees", _("培训人数"), kind="int", help=_("仅培训填写")),
        Column("spending", _("活动经费"), kind="money", unit="万元", example="15.8"),
        Column("notes", _("备注")),
    )  # fmt: skip
    instructions = (
        _("一行一项活动，以“活动类型 + 活动名称 + 开始日期 + 举办地区划”识别；带 * 的列必须填写。"),
        _("参赛项目数、获奖项目数只适用于创新创业大赛，培训人数只适用于培训；获奖项目数不能多于参赛项目数。"),
        _("活动经费默认按万元填写；表头写成“活动经费（元）”时按元换算。科普经费（按区划和年度）在“科普经费”页面登记。"),
    )  # fmt: skip

    def prepare(self, parsed, *, actor, update, errors):
        regions = _region_lookup(actor)
        codes = {normalise_uscc(r.values["organisation_uscc"]) for r in parsed if r.values.get("organisation_uscc")}
        scope = restrict(Organisation, actor, "view") if actor is not None else Organisation.objects.all()
        orgs = {o.uscc: o for o in scope.filter(uscc__in=codes)}
        titles = {r.values.get("title") for r in parsed} - {None}
        existing = {_key(a): a for a in Activity.objects.filter(title__in=titles)}
        seen, plan = SeenKeys(self), Plan()
        for record in parsed:
            values, line = dict(record.values), record.line
            if not all(values.get(name) for name in REQUIRED):
                continue  # already reported as a missing required cell
            values["region"] = _resolve(regions, values["region"], line, self.label_of("region"), errors)
            code = values.pop("organisation_uscc", None)
            values["organisation"] = self._organisation(code, line, errors, orgs) if code else None
            if values["region"] is None or (code and values["organisation"] is None):
                continue
            values["notes"] = values.get("notes") or ""
            activity = Activity(**values)
            if seen.repeated(_key(activity), record, errors, self.label_of("title")):
                continue
            current = existing.get(_key(activity))
            if current is None:
                self.plan_create(plan, activity, actor, line, errors, self.label_of("region"), EXCLUDE)
            elif not update:
                _key_conflict(errors, line, self.label_of("title"))
            else:
                self.plan_update(plan, current, values, actor, line, errors, self.label_of("region"), EXCLUDE)
        return plan

    def _organisation(self, code, line, errors, orgs):
        code = credit_code(code, line, errors, self.label_of("organisation_uscc"))
        if code is None:
            return None
        found = orgs.get(code)
        if found is None:
            message = gettext("该单位不存在或不在您的管辖范围内（请先导入单位）")
            errors.add(line, self.label_of("organisation_uscc"), message)
        return found

    def export_queryset(self, *, actor, region=None, year=None):
        qs = restrict(Activity, actor, "export") if actor is not None else Activity.objects.all()
        if region is not None:
            qs = qs.filter(region__path__startswith=region.path)
        if year is not None:
            qs = qs.filter(start_date__year=year)
        return qs.select_related("region", "organisation").order_by("start_date", "kind", "title", "pk")

    def export_values(self, a):
        return [a.kind, a.title, a.region.code, a.start_date, a.end_date, a.organiser,
                a.organisation.uscc if a.organisation_id else None, a.participants, a.entries, a.awards, a.trainees,
                a.spending, a.notes]  # fmt: skip


def _key(activity: Activity) -> tuple:
    return (activity.kind, activity.title, activity.start_date, activity.region_id)
