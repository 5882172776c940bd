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

from .choices import (
    CertificateKind,
    FigureSource,
    HitechDomain,
    IntegrityKind,
    OrgKind,
    OrgStatus,
    RDManagementItem,
    RecognitionLevel,
    RoundStatus,
    ServiceType,
)

__all__ = [
    "CertificateIn",
    "CertificateOut",
    "CertificatePatch",
    "ErrorOut",
    "FiguresIn",
    "FiguresOut",
    "HeadcountAverageOut",
    "HeadcountIn",
    "HeadcountOut",
    "HeadcountPatch",
    "IntegrityIn",
    "IntegrityOut",
    "IntegrityPatch",
    "MembershipIn",
    "MembershipOut",
    "MembershipPatch",
    "OrganisationFilters",
    "OrganisationIn",
    "OrganisationOut",
    "OrganisationPatch",
    "RDEvidenceIn",
    "RDEvidenceOut",
    "RDEvidencePatch",
    "ReviewIn",
    "ReviewManyIn",
    "ReviewManyOut",
    "RoundFilters",
    "RoundIn",
    "RoundMissingOut",
    "RoundOut",
    "RoundPatch",
    "RoundReportedOut",
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
    audit_taxation: bool | None = Field(None, description=_("查账征收：是 true，核定征收 false，未知 null"))
    source: FigureSource | None = Field(None, description=_("数据来源；不填则新增时为手工录入、修改时不变"))
    basis: str = Field("", max_length=32, description=_("统计口径，如 企业财务报表口径、统计年报口径、税务口径"))


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
    audit_taxation: bool | None
    source: str
    basis: str
    review_status: str = Field(
        ..., description=_("审核状态：draft 草稿，submitted 已提交，returned 已退回，approved 已审核")
    )
    submitted_at: datetime.datetime | None
    reviewer: str | None = Field(None, description=_("审核人账号"))
    reviewed_at: datetime.datetime | None
    review_comment: str
    updated: datetime.datetime

    @staticmethod
    def resolve_reviewer(obj):
        return obj.reviewer.username if obj.reviewer_id else None


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


# --- the yearly reporting round (年报填报) ---------------------------------------------------------------------


class ReviewIn(Schema):
    comment: str = Field("", max_length=1000, description=_("审核意见；退回时必填"))


class ReviewManyIn(Schema):
    action: Literal["approve", "return"] = Field(..., description=_("approve 审核通过；return 退回"))
    figures: list[int] = Field(..., min_length=1, description=_("年度数据的 id"))
    comment: str = Field("", max_length=1000, description=_("审核意见；退回时必填"))


class ReviewManyOut(Schema):
    done: int = Field(..., description=_("已处理的条数"))
    skipped: int = Field(..., description=_("不是“已提交”状态而未处理的条数"))


class RoundFilters(Schema):
    year: int | None = None
    status: RoundStatus | None = None


class RoundIn(Schema):
    """A new round; its region is the caller's own (填报范围)."""

    year: int = Field(..., ge=1949, le=2100, description=_("填报年度"))
    opens_on: datetime.date
    deadline: datetime.date
    instructions: str = ""


class RoundPatch(Schema):
    opens_on: Annotated[datetime.date | None, NotNull] = None
    deadline: Annotated[datetime.date | None, NotNull] = None
    status: Annotated[RoundStatus | None, NotNull] = None
    instructions: Text = None


class RoundCounts(Schema):
    population: int = Field(..., description=_("应报企业数（区划内存续企业）"))
    reported: int = Field(..., description=_("已报送（已提交、已退回、已审核）"))
    submitted: int
    returned: int
    approved: int
    missing: int = Field(..., description=_("未报送（未填报或仅有草稿）"))


class RoundOut(Schema):
    id: int
    name: str
    region: str = Field(..., description=_("填报范围的区划代码"))
    region_name: str
    year: int
    opens_on: datetime.date
    deadline: datetime.date
    status: str
    instructions: str
    counts: RoundCounts | None = Field(None, description=_("详情中给出：各状态的企业数"))

    @staticmethod
    def resolve_name(obj):
        return str(obj)

    @staticmethod
    def resolve_region(obj):
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj):
        return obj.region.name


class RoundReportedOut(FiguresOut):
    organisation_name: str
    uscc: str

    @staticmethod
    def resolve_organisation_name(obj):
        return obj.organisation.name

    @staticmethod
    def resolve_uscc(obj):
        return obj.organisation.uscc


class RoundMissingOut(Schema):
    id: int
    uscc: str
    name: str
    region: str
    has_draft: bool = Field(..., description=_("已有草稿但未提交"))
    contact: str
    phone: str

    @staticmethod
    def resolve_region(obj):
        return obj.region.code


# --- what the evaluations need: monthly head counts, R&D-management evidence, integrity records ---------------


class HeadcountIn(Schema):
    year: int
    month: int = Field(..., description=_("月份 1–12"))
    staff_start: int = Field(..., description=_("月初职工人数"))
    staff_end: int = Field(..., description=_("月末职工人数"))
    st_start: int = Field(..., description=_("月初科技人员数"))
    st_end: int = Field(..., description=_("月末科技人员数"))


class HeadcountPatch(Schema):
    staff_start: Annotated[int | None, NotNull] = None
    staff_end: Annotated[int | None, NotNull] = None
    st_start: Annotated[int | None, NotNull] = None
    st_end: Annotated[int | None, NotNull] = None


class HeadcountOut(Schema):
    id: int
    organisation_id: int
    year: int
    month: int
    staff_start: int
    staff_end: int
    st_start: int
    st_end: int
    confirmed: bool = Field(..., description=_("科技局已确认；单位填报的数据确认后才计入评价"))


class HeadcountAverageOut(Schema):
    year: int
    months: list[int] = Field(..., description=_("本年度应填报的月份（年中成立的单位从成立当月起）"))
    missing: list[int] = Field(..., description=_("其中尚未填报或未经确认的月份"))
    staff_average: Decimal | None = Field(None, description=_("年平均职工人数；月份不全时为空，评价改用年度数据"))
    st_average: Decimal | None = Field(None, description=_("年平均科技人员数"))


class RDEvidenceIn(Schema):
    year: int = Field(..., description=_("会计年度"))
    item: RDManagementItem = Field(..., description=_("评价子项 1–4（研究开发组织管理水平的四项）"))
    description: str


class RDEvidencePatch(Schema):
    year: Annotated[int | None, NotNull] = None
    item: Annotated[RDManagementItem | None, NotNull] = None
    description: Text = None


class AttachmentOut(Schema):
    id: int
    name: str
    url: str


class RDEvidenceOut(Schema):
    id: int
    organisation_id: int
    year: int
    item: int
    item_name: str
    description: str
    confirmed: bool
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_item_name(obj):
        return obj.get_item_display()

    @staticmethod
    def resolve_attachments(obj):
        from django.contrib.contenttypes.models import ContentType
        from django.urls import reverse

        from kechuang.core.models import Attachment

        content_type = ContentType.objects.get_for_model(obj)
        files = Attachment.objects.filter(content_type=content_type, object_id=str(obj.pk)).order_by("pk")
        return [
            {"id": a.pk, "name": a.original_name, "url": reverse("core:attachment_download", args=[a.pk])}
            for a in files
        ]


class IntegrityIn(Schema):
    kind: IntegrityKind
    date: datetime.date = Field(..., description=_("发生或列入日期"))
    until: datetime.date | None = Field(None, description=_("移出日期（仅名录、名单类）"))
    description: str
    source: str = Field(..., description=_("认定文书或来源"))


class IntegrityPatch(Schema):
    kind: Annotated[IntegrityKind | None, NotNull] = None
    date: Annotated[datetime.date | None, NotNull] = None
    until: datetime.date | None = None
    description: Text = None
    source: Text = None


class IntegrityOut(Schema):
    id: int
    organisation_id: int
    kind: str
    kind_name: str
    date: datetime.date
    until: datetime.date | None
    description: str
    source: str

    @staticmethod
    def resolve_kind_name(obj):
        return obj.get_kind_display()
