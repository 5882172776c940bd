"""API schemas of the innovation carriers registry: an In, a Patch and an Out schema per record.

References travel as codes: a host or tenant organisation as its unified social credit code, a region as its
division code, a carrier as its id. Dates are ISO 8601; the area is in square metres.
"""

import datetime
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from kechuang.orgs.choices import RecognitionLevel
from kechuang.orgs.schemas import NotNull

from .choices import CarrierKind

__all__ = [
    "CarrierCountOut",
    "CarrierFilters",
    "CarrierIn",
    "CarrierOut",
    "CarrierPatch",
    "TenantFilters",
    "TenantIn",
    "TenantOut",
    "TenantPatch",
]

Text = Annotated[str | None, NotNull]
HOST = _("依托单位的统一社会信用代码；没有依托单位（如园区）时为空，并填写 region")
REGION = _("区划代码，仅没有依托单位时填写，如 450223100")


class CarrierFilters(Schema):
    q: str | None = Field(None, description=_("载体名称、依托单位名称或信用代码"))
    kind: CarrierKind | None = None
    level: RecognitionLevel | None = None
    region: str | None = Field(None, description=_("区划代码，含下级区划（按载体所在区划）"))
    year: int | None = Field(None, ge=1949, le=2100, description=_("只列该年12月31日有效的载体"))
    demonstration: bool | None = None


class CarrierIn(Schema):
    kind: CarrierKind
    name: str = Field(..., max_length=128)
    level: RecognitionLevel
    demonstration: bool = False
    host: str | None = Field(None, description=HOST)
    region: str | None = Field(None, description=REGION)
    recognised_date: datetime.date
    revoked_date: datetime.date | None = None
    document_number: str = ""
    area: Decimal | None = Field(None, description=_("场地面积（平方米）"))
    notes: str = ""


class CarrierPatch(Schema):
    kind: Annotated[CarrierKind | None, NotNull] = None
    name: Annotated[str | None, NotNull, Field(max_length=128)] = None
    level: Annotated[RecognitionLevel | None, NotNull] = None
    demonstration: Annotated[bool | None, NotNull] = None
    host: str | None = Field(None, description=HOST)
    region: str | None = Field(None, description=REGION)
    recognised_date: Annotated[datetime.date | None, NotNull] = None
    revoked_date: datetime.date | None = None
    document_number: Text = None
    area: Decimal | None = None
    notes: Text = None


class CarrierOut(Schema):
    id: int
    kind: str
    name: str
    level: str
    demonstration: bool
    host: str | None = Field(None, description=_("依托单位的统一社会信用代码"))
    host_name: str | None
    region: str | None = Field(None, description=_("载体自身登记的区划代码（没有依托单位时）"))
    location: str = Field(..., description=_("统计所在区划代码：依托单位的区划，或载体自身的区划"))
    location_name: str
    recognised_date: datetime.date
    revoked_date: datetime.date | None
    document_number: str
    area: Decimal | None
    notes: str
    created: datetime.datetime
    updated: datetime.datetime

    @staticmethod
    def resolve_host(obj):
        return obj.host.uscc if obj.host_id else None

    @staticmethod
    def resolve_host_name(obj):
        return obj.host.name if obj.host_id else None

    @staticmethod
    def resolve_region(obj):
        return obj.region.code if obj.region_id else None

    @staticmethod
    def resolve_location(obj):
        return obj.location.code

    @staticmethod
    def resolve_location_name(obj):
        return obj.location.name


class CarrierCountOut(Schema):
    kind: str
    level: str
    count: int


class TenantFilters(Schema):
    q: str | None = Field(None, description=_("企业、团队或载体名称，入驻单位信用代码"))
    carrier: int | None = Field(None, description=_("孵化载体编号"))
    region: str | None = Field(None, description=_("区划代码，含下级区划（按载体所在区划）"))
    year: int | None = Field(None, ge=1949, le=2100, description=_("只列该年12月31日仍在孵的企业"))
    graduated: bool | None = None


class TenantIn(Schema):
    carrier: int = Field(..., description=_("孵化载体编号（科技企业孵化器或众创空间）"))
    organisation: str | None = Field(None, description=_("入驻单位的统一社会信用代码；未在单位档案中的填 team_name"))
    team_name: str = ""
    entry_date: datetime.date
    exit_date: datetime.date | None = None
    graduated: bool = False
    notes: str = ""


class TenantPatch(Schema):
    carrier: Annotated[int | None, NotNull] = None
    organisation: str | None = None
    team_name: Text = None
    entry_date: Annotated[datetime.date | None, NotNull] = None
    exit_date: datetime.date | None = None
    graduated: Annotated[bool | None, NotNull] = None
    notes: Text = None


class TenantOut(Schema):
    id: int
    carrier: int = Field(..., description=_("孵化载体编号"))
    carrier_name: str
    organisation: str | None = Field(None, description=_("入驻单位的统一社会信用代码"))
    tenant_name: str
    team_name: str
    entry_date: datetime.date
    exit_date: datetime.date | None
    graduated: bool
    notes: str

    @staticmethod
    def resolve_carrier(obj):
        return obj.carrier_id

    @staticmethod
    def resolve_carrier_name(obj):
        return obj.carrier.name

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.uscc if obj.organisation_id else None
