"""API schemas of the activities registry: an In, a Patch and an Out schema per record.

Amounts are in 元 and travel as decimal strings; dates are ISO 8601. A region travels as its division code, an
organisation as its unified social credit code.
"""

import datetime
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from kechuang.orgs.schemas import NotNull, Yuan

from .choices import ActivityKind

__all__ = [
    "ActivityFilters",
    "ActivityIn",
    "ActivityOut",
    "ActivityPatch",
    "PerResidentOut",
    "SpendingFilters",
    "SpendingIn",
    "SpendingOut",
    "SpendingPatch",
]

Text = Annotated[str | None, NotNull]
Money = Decimal | None
Count = int | None
REGION = _("区划代码，如 450223")


class ActivityFilters(Schema):
    q: str | None = Field(None, description=_("活动名称或主办单位"))
    kind: ActivityKind | None = None
    region: str | None = Field(None, description=_("区划代码，含下级区划"))
    year: int | None = Field(None, ge=1949, le=2100, description=_("开始日期所在年度"))


class ActivityIn(Schema):
    kind: ActivityKind
    title: str = Field(..., max_length=128)
    region: str = Field(..., description=REGION)
    start_date: datetime.date
    end_date: datetime.date | None = None
    organiser: str = Field(..., max_length=128)
    organisation: str | None = Field(None, description=_("承办单位的统一社会信用代码"))
    participants: Count = Field(None, ge=0)
    entries: Count = Field(None, ge=0)
    awards: Count = Field(None, ge=0)
    trainees: Count = Field(None, ge=0)
    spending: Money = Field(None, description=_("活动经费（元）"))
    notes: str = ""


class ActivityPatch(Schema):
    kind: Annotated[ActivityKind | None, NotNull] = None
    title: Annotated[str | None, NotNull, Field(max_length=128)] = None
    region: Text = None
    start_date: Annotated[datetime.date | None, NotNull] = None
    end_date: datetime.date | None = None
    organiser: Annotated[str | None, NotNull, Field(max_length=128)] = None
    organisation: str | None = None
    participants: Count = Field(None, ge=0)
    entries: Count = Field(None, ge=0)
    awards: Count = Field(None, ge=0)
    trainees: Count = Field(None, ge=0)
    spending: Money = None
    notes: Text = None


class ActivityOut(Schema):
    id: int
    kind: str
    title: str
    region: str = Field(..., description=_("区划代码"))
    region_name: str
    start_date: datetime.date
    end_date: datetime.date | None
    organiser: str
    organisation: str | None = Field(None, description=_("承办单位的统一社会信用代码"))
    participants: int | None
    entries: int | None
    awards: int | None
    trainees: int | None
    spending: Yuan
    notes: str
    updated: datetime.datetime

    @staticmethod
    def resolve_region(obj):
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj):
        return obj.region.name

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.uscc if obj.organisation_id else None


class SpendingFilters(Schema):
    region: str | None = Field(None, description=_("区划代码，含下级区划"))
    year: int | None = Field(None, ge=1949, le=2100)


class SpendingIn(Schema):
    region: str = Field(..., description=REGION)
    year: int = Field(..., ge=1949, le=2100)
    amount: Decimal = Field(..., description=_("本级科普经费（元），不含下级区划"))
    source: str = ""
    notes: str = ""


class SpendingPatch(Schema):
    amount: Annotated[Decimal | None, NotNull] = None
    source: Text = None
    notes: Text = None


class SpendingOut(Schema):
    id: int
    region: str = Field(..., description=_("区划代码"))
    region_name: str
    year: int
    amount: Yuan
    source: str
    notes: str
    updated: datetime.datetime

    @staticmethod
    def resolve_region(obj):
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj):
        return obj.region.name


class PerResidentOut(Schema):
    region: str = Field(..., description=_("区划代码"))
    region_name: str
    year: int
    spending: Yuan = Field(..., description=_("区划及其下级的科普经费合计（元）"))
    population: int | None = Field(None, description=_("该年度常住人口（人）"))
    per_resident: Decimal | None = Field(None, description=_("年人均科普经费（元/人），保留两位小数"))
