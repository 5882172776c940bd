"""API schemas of the IP registry: an In, a Patch and an Out schema per record.

Dates are ISO 8601. Owners travel in order, each as a credit code (a registered organisation) or a name; the
region (a division code) is needed for a first owner that is not a registered organisation, because a patent
is counted in the region of its first owner. Other IP names its organisation by credit code.
"""

import datetime
from typing import Annotated, Literal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from kechuang.orgs.schemas import ErrorOut, NotNull, Text

from .choices import Acquisition, OtherIPKind, PatentStatus, PatentType, StandardLevel, StandardRole

__all__ = [
    "ErrorOut",
    "EventIn",
    "EventOut",
    "OtherIPFilters",
    "OtherIPIn",
    "OtherIPOut",
    "OtherIPPatch",
    "OwnerIn",
    "OwnerOut",
    "PatentFilters",
    "PatentIn",
    "PatentOut",
    "PatentPatch",
    "PatentSummaryOut",
]

Category = Literal["invention", "utility", "design"]
PatentState = Literal["valid", "pending", "ended"]


class OwnerIn(Schema):
    uscc: str | None = Field(None, description=_("已登记单位的统一社会信用代码"))
    name: str | None = Field(None, max_length=128, description=_("未登记的单位或个人的名称、姓名"))
    region: str | None = Field(None, description=_("区划代码；第一专利权人不是已登记单位时必填"))


class OwnerOut(Schema):
    position: int
    name: str
    organisation_id: int | None
    uscc: str | None = None
    region: str | None = Field(None, description=_("区划代码"))

    @staticmethod
    def resolve_uscc(obj):
        return obj.organisation.uscc if obj.organisation_id else None

    @staticmethod
    def resolve_region(obj):
        return obj.region.code if obj.region_id else None


class EventIn(Schema):
    status: PatentStatus
    date: datetime.date
    note: str = Field("", max_length=255)


class EventOut(Schema):
    id: int
    status: str
    date: datetime.date
    note: str


class PatentFilters(Schema):
    q: str | None = Field(None, description=_("申请号、专利名称或专利权人"))
    region: str | None = Field(None, description=_("区划代码，含下级区划（按第一专利权人所在区划）"))
    category: Category | None = Field(
        None, description=_("invention 发明（含PCT）；utility 实用新型（含PCT）；design 外观设计")
    )
    status: PatentState | None = Field(
        None, description=_("valid 有效；pending 审查中；ended 已终止（以 day 当日计，默认今天）")
    )
    day: datetime.date | None = None
    filed_year: int | None = Field(None, description=_("申请年度"))
    granted_year: int | None = Field(None, description=_("授权年度"))
    acquisition: Acquisition | None = None
    organisation: int | None = Field(None, description=_("专利权人之一的单位 ID"))


class PatentIn(Schema):
    number: str = Field(..., description=_("申请号，如 202010566088.9"))
    patent_type: PatentType | None = Field(None, description=_("不填则按申请号第5位确定"))
    title: str = Field(..., max_length=255)
    application_date: datetime.date
    grant_date: datetime.date | None = Field(None, description=_("授权公告日；登记为一次“授权”法律状态"))
    publication_number: str = Field("", max_length=32)
    acquisition: Acquisition = Acquisition.OWN_RD
    owners: list[OwnerIn] = Field(..., min_length=1, description=_("专利权人，按顺序"))
    inventors: list[str] = []


class PatentPatch(Schema):
    number: Text = None
    patent_type: PatentType | None = None
    title: Annotated[str | None, NotNull, Field(max_length=255)] = None
    application_date: Annotated[datetime.date | None, NotNull] = None
    publication_number: Text = None
    acquisition: Annotated[Acquisition | None, NotNull] = None
    owners: Annotated[list[OwnerIn] | None, NotNull] = None
    inventors: Annotated[list[str] | None, NotNull] = None


class PatentOut(Schema):
    id: int
    number: str = Field(..., description=_("申请号（规范形式，不含小数点）"))
    number_display: str
    patent_type: str
    category: str = Field(..., description=_("统计口径：invention / utility / design"))
    ip_class: str = Field(..., description=_("I 或 II（Ⅰ类、Ⅱ类知识产权）"))
    title: str
    application_date: datetime.date
    grant_date: datetime.date | None
    ended_on: datetime.date | None = Field(None, description=_("自该日起不再有效（失效、无效、驳回或期限届满）"))
    end_reason: str
    status: str = Field(..., description=_("今天的法律状态"))
    publication_number: str
    acquisition: str
    region: str = Field(..., description=_("第一专利权人所在区划代码"))
    owners: list[OwnerOut]
    inventors: list[str]
    events: list[EventOut]

    @staticmethod
    def resolve_region(obj):
        return obj.region.code

    @staticmethod
    def resolve_status(obj):
        return obj.status_on(timezone.localdate())

    @staticmethod
    def resolve_owners(obj):
        return list(obj.owners.all())

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.all())


class PatentSummaryOut(Schema):
    region: str | None
    since: int
    until: int
    applications: dict[str, int] = Field(..., description=_("按申请日统计的申请量：invention/utility/design/total"))
    grants: dict[str, int] = Field(..., description=_("按授权公告日统计的授权量"))
    day: datetime.date
    valid_inventions: int = Field(..., description=_("day 当日有效的发明专利（含PCT）"))
    per_10k: str | None = Field(None, description=_("每万人口发明专利拥有量（day 所在年度的常住人口），保留两位小数"))


class OtherIPFilters(Schema):
    q: str | None = None
    region: str | None = Field(None, description=_("区划代码，含下级区划"))
    kind: OtherIPKind | None = None
    year: int | None = None
    organisation: int | None = None


class OtherIPIn(Schema):
    uscc: str = Field(..., description=_("权利人单位的统一社会信用代码"))
    kind: OtherIPKind
    number: str = Field(..., max_length=64)
    title: str = Field(..., max_length=255)
    date: datetime.date
    end_date: datetime.date | None = None
    acquisition: Acquisition = Acquisition.OWN_RD
    standard_level: StandardLevel | Literal[""] = ""
    standard_role: StandardRole | Literal[""] = ""


class OtherIPPatch(Schema):
    kind: Annotated[OtherIPKind | None, NotNull] = None
    number: Text = None
    title: Text = None
    date: Annotated[datetime.date | None, NotNull] = None
    end_date: datetime.date | None = None
    acquisition: Annotated[Acquisition | None, NotNull] = None
    standard_level: Annotated[StandardLevel | Literal[""] | None, NotNull] = None
    standard_role: Annotated[StandardRole | Literal[""] | None, NotNull] = None


class OtherIPOut(Schema):
    id: int
    organisation_id: int
    uscc: str
    organisation_name: str
    kind: str
    number: str
    title: str
    date: datetime.date
    end_date: datetime.date | None
    ip_class: str = Field(..., description=_("I、II，标准为空"))
    acquisition: str
    standard_level: str
    standard_role: str

    @staticmethod
    def resolve_uscc(obj):
        return obj.organisation.uscc

    @staticmethod
    def resolve_organisation_name(obj):
        return obj.organisation.name
