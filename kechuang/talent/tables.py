"""List and export columns of the talent registry.

The identity-number column shows the full number only on rows the selector marked ``reveal_id`` (the user
may read identity numbers); every other row, and every list without the mark, shows the masked number.
"""

from functools import lru_cache

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kechuang.core.tables import Column, Table

from .choices import CommissionerLevel, Education, Gender, ServiceKind, TitleLevel


@lru_cache(maxsize=256)
def _label(choices, value: str, language: str | None) -> str:
    return str(choices(value).label) if value else ""


def label(choices, value: str) -> str:
    """A choice's label in the current language, looked up once per export rather than once per row."""
    return _label(choices, value, get_language())


def shown_id_number(person) -> str:
    return person.id_number if getattr(person, "reveal_id", False) else person.id_number_masked


def _title(attr: str):
    def value(person):
        title = person.title_on(timezone.localdate())
        if title is None:
            return ""
        return label(TitleLevel, title.level) if attr == "level" else title.name

    return value


def _unit(person) -> str:
    return person.organisation.name if person.organisation_id else ""


def _place(person) -> str:
    place = person.place
    return place.name if place else ""


class PersonTable(Table):
    title = _("科技人才")
    columns = (
        Column("name", _("姓名"), link=True),
        Column("id_number", _("身份证号码"), value=shown_id_number),
        Column("gender", _("性别"), value=lambda p: label(Gender, p.gender)),
        Column("birth_year", _("出生年份")),
        Column("organisation", _("所在单位"), value=_unit),
        Column("place", _("所在区划"), value=_place),
        Column("field", _("专业领域")),
        Column("education", _("学历"), value=lambda p: label(Education, p.education)),
        Column("title", _("现职称"), value=_title("name")),
        Column("title_level", _("职称级别"), value=_title("level")),
        Column("is_researcher", _("研发人员")),
        Column("programmes", _("人才计划"), value=lambda p: "、".join(p.programmes or [])),
    )


class PersonSectionTable(Table):
    """The people of one organisation, on its master-file page (numbers always masked there)."""

    title = _("科技人才")
    columns = (
        Column("name", _("姓名"), link=True),
        Column("id_number_masked", _("身份证号码")),
        Column("gender", _("性别"), value=lambda p: label(Gender, p.gender)),
        Column("birth_year", _("出生年份")),
        Column("field", _("专业领域")),
        Column("education", _("学历"), value=lambda p: label(Education, p.education)),
        Column("title", _("现职称"), value=_title("name")),
        Column("is_researcher", _("研发人员")),
    )


def _sending_unit(c) -> str:
    return c.sending_unit_display


class CommissionerTable(Table):
    title = _("科技特派员")
    columns = (
        Column("year", _("选派年度")),
        Column("person", _("姓名"), value=lambda c: c.person.name, link=True),
        Column("level", _("选派层级"), value=lambda c: label(CommissionerLevel, c.level)),
        Column("township", _("服务乡镇"), value=lambda c: c.township.name),
        Column("village", _("服务村")),
        Column("sending_unit", _("派出单位"), value=_sending_unit),
        Column("field", _("服务领域")),
    )


class CommissionerSummaryTable(Table):
    title = _("科技特派员年度服务汇总")
    columns = (
        Column("person", _("姓名"), value=lambda c: c.person.name, link=True),
        Column("level", _("选派层级"), value=lambda c: label(CommissionerLevel, c.level)),
        Column("township", _("服务乡镇"), value=lambda c: c.township.name),
        Column("village", _("服务村")),
        Column("sending_unit", _("派出单位"), value=_sending_unit),
        Column("visits", _("实地服务次数")),
        Column("days", _("服务天数")),
        Column("villages", _("服务村数")),
        Column("trainings", _("培训次数")),
        Column("trainees", _("培训人数")),
    )


class ServiceLogTable(Table):
    title = _("特派员服务记录")
    columns = (
        Column("date", _("服务日期"), link=True),
        Column("commissioner", _("科技特派员"), value=lambda s: s.commissioner.person.name),
        Column("township", _("服务乡镇"), value=lambda s: s.commissioner.township.name),
        Column("village", _("服务地点（村）")),
        Column("kind", _("服务类型"), value=lambda s: label(ServiceKind, s.kind)),
        Column("days", _("天数")),
        Column("trainees", _("培训人数")),
        Column("content", _("服务内容")),
    )
