"""API schemas of plan monitoring. The assessment's JSON has the fixed keys of issue 4 §5: values in the
indicator's own unit, computed rates as fractions, null where undefined."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from .choices import ObservationStatus, Vintage

__all__ = [
    "AssessmentOut",
    "IndicatorResultOut",
    "MetricOut",
    "ObservationIn",
    "ObservationOut",
    "PlanOut",
    "RecordOut",
    "ReturnIn",
]


class PlanOut(Schema):
    code: str
    name: str
    region: str = Field(description=_("区划代码"))
    baseline_year: int
    target_year: int
    status: str


class IndicatorResultOut(Schema):
    code: str
    name: str
    unit: str
    kind: str
    direction: str
    attribute: str
    baseline: float | None
    target: float | None
    planned_growth: float | None
    increase_multiple: float | None
    actual: float | None
    completion: float | None
    expected: float | None
    progress: float | None
    status: str
    status_label: str
    actual_growth: float | None
    required_growth: float | None
    projection: float | None
    projected_completion: float | None
    international_ratio: float | None


class AssessmentOut(Schema):
    plan: str
    region: str
    year: int
    indicators: list[IndicatorResultOut]


class MetricOut(Schema):
    code: str
    name: str
    unit: str
    nature: str
    description: str


class ObservationIn(Schema):
    indicator: str = Field(description=_("指标代码"))
    region: str = Field(description=_("区划代码，如 450223"))
    year: int = Field(ge=1949, le=2100)
    value: Decimal = Field(description=_("按指标的单位"))
    source: str = Field(min_length=1, max_length=128, description=_("来源文件"))
    vintage: Vintage = Vintage.ANNUAL
    comment: str = Field("", max_length=255)


class ObservationOut(Schema):
    id: int
    plan: str = Field(alias="indicator.plan.code")
    indicator: str = Field(alias="indicator.code")
    region: str = Field(alias="region.code")
    year: int
    value: Decimal
    source: str
    vintage: Vintage
    status: ObservationStatus
    approved_at: datetime.datetime | None
    comment: str


class ReturnIn(Schema):
    comment: str = Field(min_length=1, max_length=255, description=_("退回意见"))


class RecordOut(Schema):
    id: int
    text: str
    url: str | None
