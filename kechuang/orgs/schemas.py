"""API schemas of the organisation master file: an In, a Patch and an Out schema per record.

Amounts are in 元 and travel as decimal strings; dates are ISO 8601. References travel as codes: the region
as its division code (``"450223100"``), the industry as its GB/T 4754 division code, a pool as its code.
A Patch schema carries only what the client sends; an explicit ``null`` on a field that cannot be empty is
refused with the field's name rather than passed on to the service.
"""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from .choices import CertificateKind, FigureSource, HitechDomain, OrgKind, OrgStatus, RecognitionLevel, ServiceType

__all__ = [
    "CertificateIn",
    "CertificateOut",
    "CertificatePatch",
    "ErrorOut",
    "FiguresIn",
    "FiguresOut",
    "MembershipIn",
    "MembershipOut",
    "MembershipPatch",
    "OrganisationFilters",
    "OrganisationIn",
    "OrganisationOut",
    "OrganisationPatch",
    "ServiceRecordIn",
    "ServiceRecordOut",
    "ServiceRecordPatch",
]


def _not_null(value):
    if value is None:
        # The API shows this in the request's language (kechuang/api.py, VALIDATION_MESSAGES["not_null"]).
        raise PydanticCustomError("not_null", "不能为空")
    return value


NotNull = BeforeValidator(_not_null)
# Digits and decimal places are checked by the model, which names the field in Chinese.
Money = Decimal | None
# Out: always two places, whether the record was just saved (as sent) or read back from the database.
Yuan = Annotated[
    Decimal | None, AfterValidator(lambda value: None if value is None else value.quantize(Decimal("0.01")))
]
Text = Annotated[str | None, NotNull]
CertificateStatus = Literal["hte_valid", "hte_expiring", "hte_none", "tsme"]


class ErrorOut(Schema):
    """A refused request: a summary, and the Chinese messages by field where a field is to blame."""

    detail: str
    errors: dict[str, list[str]] | None = None


# --- organisations -----------------------------------------------------------------------------------------


class OrganisationFilters(Schema):
    q: str | None = Field(None, description=_("名称、曾用名、统一社会信用代码或拼音首字母"))
    region: str | None = Field(None, description=_("区划代码，含下级区划"))
    kind: OrgKind | None = None
    status: OrgStatus | None = None
    above_scale: bool | None = None
    certificate: CertificateStatus | None = Field(
        None,
        description=_(
            "hte_valid 高企证书有效；hte_expiring 12个月内到期；hte_none 无高企证书；tsme 本年度科技型中小企业"
        ),
    )


class OrganisationIn(Schema):
    kind: OrgKind = OrgKind.ENTERPRISE
    uscc: str = Field(..., description=_("统一社会信用代码（18位）"))
    name: str = Field(..., max_length=128)
    former_names: list[str] = []
    region: str = Field(..., description=_("区划代码，如 450223100"))
    park: str = ""
    address: str = ""
    registration_date: datetime.date | None = None
    industry: str | None = Field(None, description=_("国民经济行业分类大类代码，如 39"))
    hitech_domain: HitechDomain | None = None
    above_scale: bool = False
    status: OrgStatus = OrgStatus.ACTIVE
    contact: str = ""
    phone: str = ""


class OrganisationPatch(Schema):
    kind: Annotated[OrgKind | None, NotNull] = None
    uscc: Text = None
    name: Annotated[str | None, NotNull, Field(max_length=128)] = None
    former_names: Annotated[list[str] | None, NotNull] = None
    region: Text = None
    park: Text = None
    address: Text = None
    registration_date: datetime.date | None = None
    industry: str | None = None
    hitech_domain: HitechDomain | None = None
    above_scale: Annotated[bool | None, NotNull] = None
    status: Annotated[OrgStatus | None, NotNull] = None
    contact: Text = None
    phone: Text = None


class OrganisationOut(Schema):
    id: int
    kind: str
    uscc: str
    name: str
    former_names: list[str]
    region: str = Field(..., description=_("区划代码"))
    region_name: str
    park: str
    address: str
    registration_date: datetime.date | None
    industry: str | None = Field(None, description=_("行业大类代码"))
    industry_name: str | None
    hitech_domain: int | None
    above_scale: bool
    status: str
    contact: str
    phone: str
    created: datetime.datetime
    updated: datetime.datetime

    @staticmethod
    def resolve_region(obj):
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj):
        return obj.region.name

    @staticmethod
    def resolve_industry(obj):
        return obj.industry.code if obj.industry_id else None

    @staticmethod
    def resolve_industry_name(obj):
        return obj.industry.name if obj.industry_id else None


# --- yearly figures ----------------------------------------------------------------------------------------


class FiguresIn(Schema):
    """The whole year's figures: a field left out is stored as empty (PUT replaces the year)."""

    staff_total: int | None = None
    st_staff: int | None = None
    sales_revenue: Money = None
    total_income: Money = None
    hitech_revenue: Money = None
    rd_expense: Money = None
    rd_domestic: Money = None
    total_costs: Money = None
    total_assets: Money = None
    net_assets: Money = None
    industrial_output: Money = None
    tax_paid: Money = None
    exports: Money = None
    source: FigureSource | None = Field(None, description=_("数据来源；不填则新增时为手工录入、修改时不变"))


class FiguresOut(Schema):
    id: int
    organisation_id: int
    year: int
    staff_total: int | None
    st_staff: int | None
    sales_revenue: Yuan
    total_income: Yuan
    hitech_revenue: Yuan
    rd_expense: Yuan
    rd_domestic: Yuan
    total_costs: Yuan
    total_assets: Yuan
    net_assets: Yuan
    industrial_output: Yuan
    tax_paid: Yuan
    exports: Yuan
    source: str
    updated: datetime.datetime


# --- certificates ------------------------------------------------------------------------------------------


class CertificateIn(Schema):
    kind: CertificateKind
    name: str = ""
    level: RecognitionLevel = RecognitionLevel.NATIONAL
    number: str = ""
    year: int
    issue_date: datetime.date | None = None
    revoked_date: datetime.date | None = None


class CertificatePatch(Schema):
    kind: Annotated[CertificateKind | None, NotNull] = None
    name: Text = None
    level: Annotated[RecognitionLevel | None, NotNull] = None
    number: Text = None
    year: Annotated[int | None, NotNull] = None
    issue_date: datetime.date | None = None
    revoked_date: datetime.date | None = None


class CertificateOut(Schema):
    id: int
    organisation_id: int
    kind: str
    name: str
    level: str
    number: str
    year: int
    issue_date: datetime.date | None
    revoked_date: datetime.date | None
    valid_until: datetime.date | None = Field(None, description=_("高企证书有效期至（发证日期起3年，自动计算）"))


# --- pool memberships --------------------------------------------------------------------------------------


class MembershipIn(Schema):
    pool: str = Field(..., description=_("培育库代码"))
    entry_year: int
    entry_reason: str = ""
    exit_year: int | None = None
    exit_reason: str = ""


class MembershipPatch(Schema):
    pool: Text = None
    entry_year: Annotated[int | None, NotNull] = None
    entry_reason: Text = None
    exit_year: int | None = None
    exit_reason: Text = None


class MembershipOut(Schema):
    id: int
    organisation_id: int
    pool: str = Field(..., description=_("培育库代码"))
    pool_name: str
    entry_year: int
    entry_reason: str
    exit_year: int | None
    exit_reason: str

    @staticmethod
    def resolve_pool(obj):
        return obj.pool.code

    @staticmethod
    def resolve_pool_name(obj):
        return obj.pool.name


# --- service records ---------------------------------------------------------------------------------------


class ServiceRecordIn(Schema):
    date: datetime.date
    service_type: ServiceType
    content: str
    follow_up: str = ""


class ServiceRecordPatch(Schema):
    date: Annotated[datetime.date | None, NotNull] = None
    service_type: Annotated[ServiceType | None, NotNull] = None
    content: Text = None
    follow_up: Text = None


class ServiceRecordOut(Schema):
    id: int
    organisation_id: int
    date: datetime.date
    service_type: str
    content: str
    follow_up: str
    staff: str | None = Field(None, description=_("服务人员账号"))
    staff_name: str | None

    @staticmethod
    def resolve_staff(obj):
        return obj.staff.username if obj.staff_id else None

    @staticmethod
    def resolve_staff_name(obj):
        return (obj.staff.full_name or obj.staff.username) if obj.staff_id else None
