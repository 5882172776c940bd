"""Plan monitoring (规划监测评估): plans and their indicators as data, manual observations of official statistics,
and every assessment of a plan for a region and year with all its components.

Indicator values are Decimal in the indicator's own unit as the plan states them (0.91 for 0.91 %, 29.9 for
29.9 亿元). Computed rates are stored as fractions (0.0833, not 8.33), unrounded to 12 decimal places.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.core.models import TimeStampedModel

from .choices import Attribute, Direction, Kind, ObservationStatus, PlanStatus, Status, Vintage
from .method import Spec, Thresholds

__all__ = [
    "AnnualTarget",
    "Assessment",
    "Indicator",
    "IndicatorResult",
    "Observation",
    "Plan",
    "QualityCheck",
    "QualityConfirmation",
    "TargetRevision",
]

YEAR = [MinValueValidator(1949), MaxValueValidator(2100)]


def _value_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=24, decimal_places=6, **kwargs)


def _rate_field(verbose_name):
    return models.DecimalField(verbose_name, max_digits=30, decimal_places=12, null=True, blank=True)


def _threshold_field(verbose_name, default: str):
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, default=Decimal(default), validators=[MinValueValidator(0)]
    )


class Plan(TimeStampedModel):
    """A development plan whose indicators are monitored (规划), e.g. 鹿寨县"十四五"科技创新发展规划."""

    scope_region = "region"

    code = models.SlugField(_("规划代码"), max_length=32, unique=True, help_text=_("如 luzhai-14，用于命令行和接口"))
    name = models.CharField(_("规划名称"), max_length=128)
    region = models.ForeignKey("regions.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    baseline_year = models.PositiveSmallIntegerField(_("基期年"), validators=YEAR)
    target_year = models.PositiveSmallIntegerField(_("目标年"), validators=YEAR)
    status = models.CharField(_("状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    threshold_ahead = _threshold_field(_("快于预期阈值"), "1.10")
    threshold_on_track = _threshold_field(_("符合预期阈值"), "0.90")
    threshold_on_track_binding = _threshold_field(_("约束性指标符合预期阈值"), "1.00")
    threshold_lagging = _threshold_field(_("滞后阈值"), "0.60")
    notes = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "规划")
        verbose_name_plural = pgettext_lazy("model plural", "规划")
        ordering = ["-target_year", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(target_year__gt=models.F("baseline_year")), name="plan_years_order"),
            models.CheckConstraint(condition=Q(status__in=PlanStatus.values), name="plan_status_valid"),
            models.CheckConstraint(
                condition=Q(threshold_ahead__gte=models.F("threshold_on_track_binding"))
                & Q(threshold_on_track_binding__gte=models.F("threshold_on_track"))
                & Q(threshold_on_track__gte=models.F("threshold_lagging")),
                name="plan_thresholds_order",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_detail", args=[self.code])

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(
            ahead=self.threshold_ahead,
            on_track=self.threshold_on_track,
            on_track_binding=self.threshold_on_track_binding,
            lagging=self.threshold_lagging,
        )

    @property
    def years(self) -> range:
        """The years an assessment may be made for: B+1..T."""
        return range(self.baseline_year + 1, self.target_year + 1)

    def clean(self):
        if self.baseline_year and self.target_year and self.target_year <= self.baseline_year:
            raise ValidationError({"target_year": gettext("目标年必须晚于基期年")})
        order = [self.threshold_lagging, self.threshold_on_track, self.threshold_on_track_binding, self.threshold_ahead]
        if None not in order and order != sorted(order):
            raise ValidationError(
                gettext("阈值必须满足：滞后 ≤ 符合预期 ≤ 约束性指标符合预期 ≤ 快于预期（当前为 {values}）").format(
                    values=" / ".join(str(v) for v in order)
                )
            )


class Indicator(TimeStampedModel):
    """An indicator of a plan (规划指标): a row of 专栏2, with its baseline, target and 口径."""

    scope_region = "plan__region"

    plan = models.ForeignKey(Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    code = models.SlugField(_("指标代码"), max_length=48)
    group = models.CharField(_("分组"), max_length=32, blank=True, help_text=_("如 专栏2"))
    name = models.CharField(_("指标名称"), max_length=128)
    unit = models.CharField(_("单位"), max_length=16, help_text=_("如 亿元、%、家、件"))
    precision = models.PositiveSmallIntegerField(_("数值小数位"), default=2, validators=[MaxValueValidator(6)])
    growth_precision = models.PositiveSmallIntegerField(
        _("年均增长小数位"), default=2, validators=[MaxValueValidator(6)], help_text=_("年均增长百分数显示的小数位")
    )
    kind = models.CharField(_("指标类型"), max_length=16, choices=Kind.choices, default=Kind.LEVEL)
    direction = models.CharField(_("方向"), max_length=16, choices=Direction.choices, default=Direction.INCREASE)
    attribute = models.CharField(_("指标属性"), max_length=16, choices=Attribute.choices, default=Attribute.EXPECTED)
    baseline = _value_field(_("基期值"), null=True, blank=True)
    target = _value_field(_("目标值"))
    show_cagr = models.BooleanField(_("显示年均增长"), default=True)
    metric = models.CharField(
        _("计算指标"), max_length=64, blank=True, help_text=_("从登记数据计算时选择；留空表示人工填报统计数据")
    )
    definition = models.TextField(_("指标口径"), blank=True)
    source = models.CharField(_("数据来源"), max_length=128, blank=True)
    department = models.CharField(_("责任部门"), max_length=64, blank=True)
    frequency = models.CharField(_("更新频率"), max_length=16, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "规划指标")
        verbose_name_plural = pgettext_lazy("model plural", "规划指标")
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_plan_code_unique"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="indicator_kind_valid"),
            models.CheckConstraint(condition=Q(direction__in=Direction.values), name="indicator_direction_valid"),
            models.CheckConstraint(condition=Q(attribute__in=Attribute.values), name="indicator_attribute_valid"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:indicator_detail", args=[self.plan.code, self.code])

    @property
    def is_manual(self) -> bool:
        return not self.metric

    def target_for(self, year: int) -> Decimal:
        """The target in force for an assessment of ``year``: the last revision approved by 31 December of that
        year, else the target the plan set (a revision changes later assessments, not earlier ones)."""
        end = datetime.date(year, 12, 31)
        revised = [r for r in self.revisions.all() if r.date <= end]
        return max(revised, key=lambda r: (r.date, r.pk)).target if revised else self.target

    def spec(self) -> Spec:
        return Spec(
            kind=self.kind,
            direction=self.direction,
            attribute=self.attribute,
            baseline=self.baseline,
            target=self.target,
            baseline_year=self.plan.baseline_year,
            target_year=self.plan.target_year,
            annual_targets={t.year: t.value for t in self.annual_targets.all()},
        )


class AnnualTarget(models.Model):
    """A yearly target (年度目标) that replaces the planned path for that year."""

    scope_region = "indicator__plan__region"

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="annual_targets"
    )
    year = models.PositiveSmallIntegerField(_("年份"), validators=YEAR)
    value = _value_field(_("年度目标值"))

    class Meta:
        verbose_name = pgettext_lazy("model", "年度目标")
        verbose_name_plural = pgettext_lazy("model plural", "年度目标")
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="annualtarget_unique")]

    def __str__(self):
        return f"{self.indicator} {self.year}: {self.value}"


class TargetRevision(models.Model):
    """A revision of an indicator's target (目标调整) with the document that approved it; kept as history."""

    scope_region = "indicator__plan__region"

    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="revisions")
    date = models.DateField(_("调整日期"))
    target = _value_field(_("调整后目标值"))
    document = models.CharField(_("批准文件"), max_length=128, help_text=_("如 鹿政发〔2023〕X号"))
    recorded = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "目标调整")
        verbose_name_plural = pgettext_lazy("model plural", "目标调整")
        ordering = ["indicator", "date", "pk"]
        constraints = [models.UniqueConstraint(fields=["indicator", "date"], name="targetrevision_unique")]

    def __str__(self):
        return gettext("{date} 调整为 {target}（{document}）").format(
            date=self.date, target=self.target, document=self.document
        )


class ObservationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=ObservationStatus.APPROVED)


class Observation(TimeStampedModel):
    """A manual observation (人工填报的统计数据) of an indicator for a region and year, e.g. R&D over GDP.

    Every revision is a new row: the value that counts is the last approved one, and the earlier rows are its
    history. At most one draft or submitted revision is open per indicator, region and year.
    """

    scope_region = "region"

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="observations"
    )
    region = models.ForeignKey("regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年份"), validators=YEAR)
    value = _value_field(_("数值"))
    source = models.CharField(_("来源文件"), max_length=128, help_text=_("如 鹿寨县2021年国民经济和社会发展统计公报"))
    vintage = models.CharField(_("数据版本"), max_length=8, choices=Vintage.choices, default=Vintage.ANNUAL)
    status = models.CharField(
        _("审核状态"), max_length=16, choices=ObservationStatus.choices, default=ObservationStatus.DRAFT
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    comment = models.CharField(_("说明"), max_length=255, blank=True)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("model", "统计数据")
        verbose_name_plural = pgettext_lazy("model plural", "统计数据")
        ordering = ["indicator", "region", "year", "-pk"]
        indexes = [models.Index(fields=["indicator", "region", "year", "status"], name="observation_lookup")]
        constraints = [
            models.CheckConstraint(condition=Q(vintage__in=Vintage.values), name="observation_vintage_valid"),
            models.CheckConstraint(condition=Q(status__in=ObservationStatus.values), name="observation_status_valid"),
            models.UniqueConstraint(
                fields=["indicator", "region", "year"],
                condition=~Q(status=ObservationStatus.APPROVED),
                name="observation_one_open_revision",
            ),
        ]

    def __str__(self):
        return gettext("{indicator} {region} {year}年：{value}").format(
            indicator=self.indicator.name, region=self.region.name, year=self.year, value=self.value
        )

    def get_absolute_url(self) -> str:
        return reverse("plans:observation_detail", args=[self.pk])


class Assessment(models.Model):
    """One run of the assessment of a plan for a region and year (评估); earlier runs are kept as history."""

    scope_region = "region"

    plan = models.ForeignKey(Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="assessments")
    region = models.ForeignKey("regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("评估年份"), validators=YEAR)
    computed_at = models.DateTimeField(_("评估时间"), auto_now_add=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评估人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    current = models.BooleanField(_("当前结果"), default=True)
    thresholds = models.JSONField(_("所用阈值"), default=dict)

    class Meta:
        verbose_name = pgettext_lazy("model", "评估结果")
        verbose_name_plural = pgettext_lazy("model plural", "评估结果")
        ordering = ["plan", "region__code", "year", "-pk"]
        indexes = [models.Index(fields=["plan", "region", "year", "current"], name="assessment_current")]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "region", "year"], condition=Q(current=True), name="assessment_one_current"
            )
        ]

    def __str__(self):
        text = gettext("{plan} {region} {year}年评估")
        return text.format(plan=self.plan.code, region=self.region.name, year=self.year)

    def get_absolute_url(self) -> str:
        return reverse("plans:assessment", args=[self.plan.code]) + f"?region={self.region.code}&year={self.year}"


# The computed components an IndicatorResult stores: values in the indicator's unit, and rates as fractions.
VALUE_COMPONENTS = ("actual", "expected", "projection")
RATE_COMPONENTS = (
    "planned_growth",
    "increase_multiple",
    "completion",
    "progress",
    "actual_growth",
    "required_growth",
    "projected_completion",
    "international_ratio",
)


class IndicatorResult(models.Model):
    """An indicator's assessment within a run: every component of plan-monitoring.md, and why the status."""

    scope_region = "assessment__region"

    assessment = models.ForeignKey(Assessment, verbose_name=_("评估"), on_delete=models.CASCADE, related_name="results")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    reason = models.CharField(_("判定依据"), max_length=32, blank=True)
    baseline = _value_field(_("基期值"), null=True, blank=True)
    target = _value_field(_("目标值"))
    actual = _value_field(_("实际值"), null=True, blank=True)
    expected = _value_field(_("序时进度值"), null=True, blank=True)
    projection = _value_field(_("期末预测值"), null=True, blank=True)
    planned_growth = _rate_field(_("规划年均增长"))
    increase_multiple = _rate_field(_("增幅（倍）"))
    completion = _rate_field(_("完成率"))
    progress = _rate_field(_("进度比"))
    actual_growth = _rate_field(_("实际年均增长"))
    required_growth = _rate_field(_("倒逼所需"))
    projected_completion = _rate_field(_("预计完成率"))
    international_ratio = _rate_field(_("国际比较比值"))
    inputs = models.JSONField(_("计算依据"), default=dict, help_text=_("各年数值、来源、缺失年份"))
    explanation = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "指标评估")
        verbose_name_plural = pgettext_lazy("model plural", "指标评估")
        ordering = ["assessment", "indicator__position", "indicator__pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="indicatorresult_status_valid"),
            models.UniqueConstraint(fields=["assessment", "indicator"], name="indicatorresult_unique"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.get_status_display()}"


class QualityCheck(models.TextChoices):
    """The data-quality checks run before an assessment (评估前数据质量检查), see ``kechuang.plans.quality``."""

    MISSING = "missing", _("缺少年份数据")
    JUMP = "jump", _("同比变动过大")
    MAGNITUDE = "magnitude", _("数量级异常")
    BASELINE_RATIO = "baseline_ratio", _("与基期值相差悬殊")
    PERCENT_RANGE = "percent_range", _("百分比超出0—100")
    NEGATIVE = "negative", _("出现负数")
    BASELINE = "baseline", _("基期值与基期年数据不一致")
    PENDING = "pending", _("修订数据待审核")


class QualityConfirmation(models.Model):
    """A bureau user's word that a data-quality finding is correct as it stands (数据质量确认).

    It holds the values the finding rested on; it counts only while the finding's current values are the same, so a
    changed value is listed again. Earlier confirmations stay as history."""

    scope_region = "region"

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="quality_confirmations"
    )
    region = models.ForeignKey("regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年份"), validators=YEAR)
    check_code = models.CharField(_("检查项"), max_length=16, choices=QualityCheck.choices)
    values = models.JSONField(_("确认时的数值"), default=dict, help_text=_("该问题所依据的各项数值（文本）"))
    note = models.CharField(_("确认说明"), max_length=255)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "数据质量确认")
        verbose_name_plural = pgettext_lazy("model plural", "数据质量确认")
        ordering = ["indicator", "region", "year", "check_code", "-pk"]
        indexes = [models.Index(fields=["indicator", "region", "year"], name="qualityconfirmation_lookup")]
        constraints = [
            models.CheckConstraint(condition=Q(check_code__in=QualityCheck.values), name="qualityconfirmation_check"),
        ]

    def __str__(self):
        return gettext("{indicator} {year}年 {check}：已确认").format(
            indicator=self.indicator.name, year=self.year, check=self.get_check_code_display()
        )
