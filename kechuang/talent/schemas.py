"""API schemas of the talent registry: an In, a Patch and an Out schema per record.

References travel as codes: an organisation as its credit code, a region or township as its division code.
``id_number`` in an Out schema is the full number for callers who may read identity numbers and the masked
one for everyone else; ``id_number_masked`` is always masked.
"""

import datetime
from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from kechuang.orgs.schemas import ErrorOut, NotNull, Text

from .choices import CommissionerLevel, Education, ServiceKind, TitleLevel

__all__ = [
    "CommissionerFiguresOut",
    "CommissionerIn",
    "CommissionerOut",
    "CommissionerPatch",
    "CommissionerSummaryOut",
    "ErrorOut",
    "PersonFilters",
    "PersonIn",
    "PersonOut",
    "PersonPatch",
    "ServiceLogIn",
    "ServiceLogOut",
    "ServiceLogPatch",
    "TalentFiguresOut",
    "TitleIn",
    "TitleOut",
]

# --- people -------------------------------------------------------------------------------------------------


class PersonFilters(Schema):
    q: str | None = Field(None, description=_("姓名、完整身份证号码、身份证号码后4位或单位名称"))
    region: str | None = Field(None, description=_("区划代码，含下级区划"))
    education: Education | None = None
    is_researcher: bool | None = None
    title_level: TitleLevel | None = Field(None, description=_("现职称级别（今天所持最高级别）"))


class TitleIn(Schema):
    name: str = Field(..., max_length=64)
    obtained: datetime.date


class TitleOut(Schema):
    level: str
    name: str
    obtained: datetime.date


class PersonIn(Schema):
    id_number: str = Field(..., description=_("18位公民身份号码"))
    name: str = Field(..., max_length=32)
    organisation: str | None = Field(None, description=_("所在单位统一社会信用代码"))
    region: str | None = Field(None, description=_("没有所在单位时：所在区划代码"))
    field: str = ""
    education: Education | None = None
    is_researcher: bool = False
    programmes: list[str] = []
    phone: str = ""


class PersonPatch(Schema):
    id_number: Text = None
    name: Annotated[str | None, NotNull, Field(max_length=32)] = None
    organisation: str | None = None
    region: str | None = None
    field: Text = None
    education: Education | None = None
    is_researcher: Annotated[bool | None, NotNull] = None
    programmes: Annotated[list[str] | None, NotNull] = None
    phone: Text = None


class PersonOut(Schema):
    id: int
    id_number: str = Field(..., description=_("完整号码（有权查看时）或脱敏号码"))
    id_number_masked: str
    name: str
    gender: str
    birth_year: int
    organisation: str | None = Field(None, description=_("所在单位统一社会信用代码"))
    organisation_name: str | None
    region: str | None = Field(None, description=_("人员所在区划代码（有单位的为单位所在区划）"))
    field: str
    education: str
    is_researcher: bool
    programmes: list[str]
    phone: str
    titles: list[TitleOut]
    updated: datetime.datetime

    @staticmethod
    def resolve_id_number(obj):
        return obj.id_number if getattr(obj, "reveal_id", False) else obj.id_number_masked

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.uscc if obj.organisation_id else None

    @staticmethod
    def resolve_organisation_name(obj):
        return obj.organisation.name if obj.organisation_id else None

    @staticmethod
    def resolve_region(obj):
        place = obj.place
        return place.code if place else None

    @staticmethod
    def resolve_titles(obj):
        return list(obj.titles.all())


# --- commissioners ------------------------------------------------------------------------------------------


class CommissionerIn(Schema):
    id_number: str = Field(..., description=_("人员的18位身份证号码（须已登记在人才库中）"))
    year: int
    level: CommissionerLevel = CommissionerLevel.COUNTY
    township: str = Field(..., description=_("服务乡镇区划代码"))
    village: str = Field(..., max_length=32)
    sending_unit: str | None = Field(None, description=_("派出单位统一社会信用代码"))
    sending_unit_name: str = Field("", description=_("派出单位不在系统中时：单位名称"))
    field: str = ""


class CommissionerPatch(Schema):
    year: Annotated[int | None, NotNull] = None
    level: Annotated[CommissionerLevel | None, NotNull] = None
    township: Text = None
    village: Text = None
    sending_unit: str | None = None
    sending_unit_name: Text = None
    field: Text = None


class CommissionerOut(Schema):
    id: int
    person_id: int
    name: str
    id_number: str
    year: int
    level: str
    township: str = Field(..., description=_("服务乡镇区划代码"))
    township_name: str
    village: str
    sending_unit: str | None = Field(None, description=_("派出单位统一社会信用代码"))
    sending_unit_name: str

    @staticmethod
    def resolve_name(obj):
        return obj.person.name

    @staticmethod
    def resolve_id_number(obj):
        return obj.person.id_number if getattr(obj, "reveal_id", False) else obj.person.id_number_masked

    @staticmethod
    def resolve_township(obj):
        return obj.township.code

    @staticmethod
    def resolve_township_name(obj):
        return obj.township.name

    @staticmethod
    def resolve_sending_unit(obj):
        return obj.sending_unit.uscc if obj.sending_unit_id else None

    @staticmethod
    def resolve_sending_unit_name(obj):
        return obj.sending_unit_display


class CommissionerSummaryOut(CommissionerOut):
    visits: int
    days: int
    villages: int
    trainings: int
    trainees: int


# --- service logs -------------------------------------------------------------------------------------------


class ServiceLogIn(Schema):
    commissioner_id: int
    date: datetime.date
    village: str = Field("", max_length=32, description=_("不填则为该特派员的服务村"))
    kind: ServiceKind
    days: int = 1
    trainees: int = Field(0, description=_("只有技术培训填写"))
    content: str


class ServiceLogPatch(Schema):
    date: Annotated[datetime.date | None, NotNull] = None
    village: Text = None
    kind: Annotated[ServiceKind | None, NotNull] = None
    days: Annotated[int | None, NotNull] = None
    trainees: Annotated[int | None, NotNull] = None
    content: Text = None


class ServiceLogOut(Schema):
    id: int
    commissioner_id: int
    date: datetime.date
    village: str
    kind: str
    days: int
    trainees: int
    content: str


# --- figures ------------------------------------------------------------------------------------------------


class CommissionerFiguresOut(Schema):
    commissioners: int
    visits: int
    days: int
    villages: int
    trainings: int
    trainees: int


class TalentFiguresOut(Schema):
    year: int
    region: str | None
    senior: int = Field(..., description=_("年末高级职称专业技术人员"))
    intermediate: int = Field(..., description=_("年末中级职称专业技术人员（不含已有高级职称者）"))
    researchers: int
    commissioners: CommissionerFiguresOut
