"""API schemas of the achievements registry: an In, a Patch and an Out schema per record.

Amounts are in 元 and travel as decimal strings; dates are ISO 8601. References travel as codes: an organisation
as its credit code, an achievement as its registration number, a region as its division code. Ranked units are
a list of strings in rank order (the first completing unit is not repeated), each a credit code, a name in the
register, or the name of a unit outside the register; people are a list of names in rank order.
"""

import datetime
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from kechuang.orgs.choices import HitechDomain
from kechuang.orgs.schemas import ErrorOut, NotNull, Text, Yuan

from .choices import (
    AchievementKind,
    AwardGrade,
    AwardLevel,
    ContractKind,
    ConversionForm,
    EvaluationConclusion,
    EvaluationMethod,
    ParticipantKind,
)

__all__ = [
    "AchievementFilters",
    "AchievementIn",
    "AchievementOut",
    "AchievementPatch",
    "AwardFilters",
    "AwardIn",
    "AwardOut",
    "AwardPatch",
    "ContractFilters",
    "ContractIn",
    "ContractOut",
    "ContractPatch",
    "ConversionFilters",
    "ConversionIn",
    "ConversionOut",
    "ConversionPatch",
    "ErrorOut",
]

ORG = _("单位的统一社会信用代码")
UNITS = _("其他完成单位，按排名：统一社会信用代码、档案中的单位名称或档案外单位的名称")
PEOPLE = _("完成人姓名，按排名")
Names = Annotated[list[str] | None, NotNull]
Date = Annotated[datetime.date | None, NotNull]


class UnitOut(Schema):
    position: int
    uscc: str | None = Field(None, description=_("单位在档案中时为其统一社会信用代码"))
    name: str


def _unit(position: int, organisation, name: str) -> dict:
    if organisation is not None:
        return {"position": position, "uscc": organisation.uscc, "name": organisation.name}
    return {"position": position, "uscc": None, "name": name}


class _Filters(Schema):
    q: str | None = Field(None, description=_("关键词"))
    region: str | None = Field(None, description=_("区划代码，含下级区划"))
    year: int | None = Field(None, description=_("年度"))


# --- achievements ------------------------------------------------------------------------------------------


class AchievementFilters(_Filters):
    kind: AchievementKind | None = None
    hitech_domain: HitechDomain | None = None
    evaluation_conclusion: EvaluationConclusion | None = None


class AchievementIn(Schema):
    number: str = Field(..., description=_("登记号"))
    title: str = Field(..., max_length=255)
    kind: AchievementKind = AchievementKind.APPLIED
    hitech_domain: HitechDomain | None = None
    discipline: str = ""
    organisation: str = Field(..., description=_("第一完成单位的统一社会信用代码"))
    units: list[str] = Field([], description=UNITS)
    registration_date: datetime.date
    evaluation_method: EvaluationMethod = EvaluationMethod.NONE
    evaluation_conclusion: EvaluationConclusion | None = None
    evaluation_date: datetime.date | None = None
    people: list[str] = Field([], description=PEOPLE)
    summary: str = ""


class AchievementPatch(Schema):
    number: Text = None
    title: Annotated[str | None, NotNull, Field(max_length=255)] = None
    kind: Annotated[AchievementKind | None, NotNull] = None
    hitech_domain: HitechDomain | None = None
    discipline: Text = None
    organisation: Text = None
    units: Names = None
    registration_date: Date = None
    evaluation_method: Annotated[EvaluationMethod | None, NotNull] = None
    evaluation_conclusion: EvaluationConclusion | None = None
    evaluation_date: datetime.date | None = None
    people: Names = None
    summary: Text = None


class AchievementOut(Schema):
    id: int
    number: str
    title: str
    kind: str
    hitech_domain: int | None
    discipline: str
    organisation: str = Field(..., description=_("第一完成单位的统一社会信用代码"))
    organisation_name: str
    region: str = Field(..., description=_("第一完成单位所在区划代码"))
    units: list[UnitOut]
    registration_date: datetime.date
    evaluation_method: str
    evaluation_conclusion: str
    evaluation_date: datetime.date | None
    people: list[str]
    summary: str
    created: datetime.datetime
    updated: datetime.datetime

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.uscc

    @staticmethod
    def resolve_organisation_name(obj):
        return obj.organisation.name

    @staticmethod
    def resolve_region(obj):
        return obj.organisation.region.code

    @staticmethod
    def resolve_units(obj):
        return [_unit(u.position, u.organisation, u.name) for u in obj.units.all()]


# --- conversions -------------------------------------------------------------------------------------------


class ConversionFilters(_Filters):
    form: ConversionForm | None = None
    major: bool | None = None


class ConversionIn(Schema):
    achievement: str | None = Field(None, description=_("科技成果登记号；转化未登记的成果时不填"))
    subject: str = Field("", description=_("转化对象（未登记成果时必填，如专利号或名称）"))
    year: int
    form: ConversionForm
    organisation: str | None = Field(None, description=_("实施单位的统一社会信用代码；不填则为成果的第一完成单位"))
    amount: Decimal | None = Field(None, description=_("转化金额（元）"))
    major: bool = False
    major_reason: str = ""


class ConversionPatch(Schema):
    achievement: str | None = None
    subject: Text = None
    year: Annotated[int | None, NotNull] = None
    form: Annotated[ConversionForm | None, NotNull] = None
    organisation: str | None = None
    amount: Decimal | None = None
    major: Annotated[bool | None, NotNull] = None
    major_reason: Text = None


class ConversionOut(Schema):
    id: int
    achievement: str | None = Field(None, description=_("科技成果登记号"))
    achievement_title: str | None
    subject: str
    year: int
    form: str
    organisation: str | None = Field(None, description=_("实施单位的统一社会信用代码（填报的）"))
    implementer: str | None = Field(None, description=_("实施单位名称（未填时为成果的第一完成单位）"))
    amount: Yuan
    major: bool
    major_reason: str
    updated: datetime.datetime

    @staticmethod
    def resolve_achievement(obj):
        return obj.achievement.number if obj.achievement_id else None

    @staticmethod
    def resolve_achievement_title(obj):
        return obj.achievement.title if obj.achievement_id else None

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.uscc if obj.organisation_id else None

    @staticmethod
    def resolve_implementer(obj):
        unit = obj.implementer
        return unit.name if unit is not None else None


# --- technology contracts ----------------------------------------------------------------------------------


class ContractFilters(_Filters):
    kind: ContractKind | None = None


class ContractIn(Schema):
    number: str = Field(..., description=_("合同登记号"))
    name: str = Field(..., max_length=255)
    kind: ContractKind
    seller: str = Field(..., description=_("卖方的统一社会信用代码"))
    buyer: str | None = Field(None, description=_("买方在单位档案中时为其统一社会信用代码"))
    buyer_name: str = Field("", description=_("档案外买方的名称"))
    buyer_region: str | None = Field(None, description=_("档案外买方所在区划代码"))
    amount: Decimal = Field(..., description=_("合同成交额（元）"))
    technical_income: Decimal = Field(..., description=_("技术交易额（元），不大于成交额"))
    signing_date: datetime.date
    registration_date: datetime.date


class ContractPatch(Schema):
    number: Text = None
    name: Annotated[str | None, NotNull, Field(max_length=255)] = None
    kind: Annotated[ContractKind | None, NotNull] = None
    seller: Text = None
    buyer: str | None = None
    buyer_name: Text = None
    buyer_region: str | None = None
    amount: Annotated[Decimal | None, NotNull] = None
    technical_income: Annotated[Decimal | None, NotNull] = None
    signing_date: Date = None
    registration_date: Date = None


class ContractOut(Schema):
    id: int
    number: str
    name: str
    kind: str
    seller: str = Field(..., description=_("卖方的统一社会信用代码"))
    seller_name: str
    region: str = Field(..., description=_("卖方所在区划代码"))
    buyer: str | None = Field(None, description=_("买方的统一社会信用代码（在档案中时）"))
    buyer_name: str
    buyer_region: str | None
    amount: Yuan
    technical_income: Yuan
    signing_date: datetime.date
    registration_date: datetime.date
    updated: datetime.datetime

    @staticmethod
    def resolve_seller(obj):
        return obj.seller.uscc

    @staticmethod
    def resolve_seller_name(obj):
        return obj.seller.name

    @staticmethod
    def resolve_region(obj):
        return obj.seller.region.code

    @staticmethod
    def resolve_buyer(obj):
        return obj.buyer.uscc if obj.buyer_id else None

    @staticmethod
    def resolve_buyer_name(obj):
        return obj.buyer_display

    @staticmethod
    def resolve_buyer_region(obj):
        region = obj.buyer.region if obj.buyer_id else obj.buyer_region
        return region.code if region is not None else None


# --- awards ------------------------------------------------------------------------------------------------


class AwardFilters(_Filters):
    level: AwardLevel | None = None
    grade: AwardGrade | None = None


class AwardIn(Schema):
    name: str = Field(..., max_length=64, description=_("奖项名称，如 自治区科学技术进步奖"))
    level: AwardLevel
    grade: AwardGrade
    year: int
    project: str = Field(..., max_length=255)
    organisation: str = Field(..., description=_("第一完成单位的统一社会信用代码"))
    units: list[str] = Field([], description=UNITS)
    people: list[str] = Field([], description=PEOPLE)
    achievement: str | None = Field(None, description=_("对应科技成果的登记号"))
    certificate_number: str = ""


class AwardPatch(Schema):
    name: Annotated[str | None, NotNull, Field(max_length=64)] = None
    level: Annotated[AwardLevel | None, NotNull] = None
    grade: Annotated[AwardGrade | None, NotNull] = None
    year: Annotated[int | None, NotNull] = None
    project: Annotated[str | None, NotNull, Field(max_length=255)] = None
    organisation: Text = None
    units: Names = None
    people: Names = None
    achievement: str | None = None
    certificate_number: Text = None


class AwardOut(Schema):
    id: int
    name: str
    level: str
    grade: str
    year: int
    project: str
    organisation: str = Field(..., description=_("第一完成单位的统一社会信用代码"))
    organisation_name: str
    region: str
    units: list[UnitOut]
    people: list[str]
    achievement: str | None
    certificate_number: str
    updated: datetime.datetime

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.uscc

    @staticmethod
    def resolve_organisation_name(obj):
        return obj.organisation.name

    @staticmethod
    def resolve_region(obj):
        return obj.organisation.region.code

    @staticmethod
    def resolve_units(obj):
        rows = [p for p in obj.participants.all() if p.kind == ParticipantKind.UNIT]
        return [_unit(p.position, p.organisation, p.name) for p in rows]

    @staticmethod
    def resolve_people(obj):
        return [p.name for p in obj.participants.all() if p.kind == ParticipantKind.PERSON]

    @staticmethod
    def resolve_achievement(obj):
        return obj.achievement.number if obj.achievement_id else None
