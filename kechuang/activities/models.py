"""The science and technology activities registry (科技活动、科普): innovation competitions, trainings, science
popularisation events, and the popularisation spending (科普经费) of each region and year. Amounts are in 元."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.core.i18n import join_list
from kechuang.core.models import TimeStampedModel

from .choices import ActivityKind

__all__ = ["Activity", "PopularisationSpending"]

# Counts that only some kinds of activity have, and the kinds that have them.
ONLY_FOR = {
    "entries": (ActivityKind.COMPETITION,),
    "awards": (ActivityKind.COMPETITION,),
    "trainees": (ActivityKind.TRAINING,),
}


class Activity(TimeStampedModel):
    """A science and technology activity (科技活动): a competition, a training, a popularisation event."""

    scope_region = "region"

    kind = models.CharField(_("活动类型"), max_length=16, choices=ActivityKind.choices)
    title = models.CharField(_("活动名称"), max_length=128, db_index=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("举办地区划"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("一天内结束的活动不用填写"))
    organiser = models.CharField(_("主办单位"), max_length=128, help_text=_("如 鹿寨县科学技术局、鹿寨县科学技术协会"))
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        help_text=_("在单位档案中的承办单位，活动会显示在该单位的档案页上"),
    )
    participants = models.PositiveIntegerField(_("参与人次"), null=True, blank=True)
    entries = models.PositiveIntegerField(_("参赛项目数"), null=True, blank=True, help_text=_("创新创业大赛填写"))
    awards = models.PositiveIntegerField(_("获奖项目数"), null=True, blank=True, help_text=_("创新创业大赛填写"))
    trainees = models.PositiveIntegerField(_("培训人数"), null=True, blank=True, help_text=_("培训填写"))
    spending = models.DecimalField(
        _("活动经费（元）"), max_digits=18, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    notes = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "科技活动")
        verbose_name_plural = pgettext_lazy("model plural", "科技活动")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ActivityKind.values), name="activity_kind_valid"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="activity_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(awards__isnull=True) | Q(entries__isnull=True) | Q(awards__lte=models.F("entries")),
                name="activity_awards_within_entries",
            ),
            models.CheckConstraint(
                condition=Q(spending__isnull=True) | Q(spending__gte=0), name="activity_spending_positive"
            ),
            models.UniqueConstraint(
                fields=["kind", "title", "start_date", "region"],
                name="activity_unique",
                violation_error_message=_("同一区划同一天已登记过同类型、同名称的活动"),
            ),
        ]
        indexes = [models.Index(fields=["kind", "start_date"])]

    def __str__(self):
        return f"{self.title}（{self.start_date:%Y-%m-%d}）" if self.start_date else self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    def clean(self):
        errors = {}
        self.title = (self.title or "").strip()
        self.organiser = (self.organiser or "").strip()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = gettext("结束日期不能早于开始日期（{date}）").format(date=self.start_date)
        for name, kinds in ONLY_FOR.items():
            if getattr(self, name) is not None and self.kind and self.kind not in kinds:
                label = self._meta.get_field(name).verbose_name
                only = join_list(ActivityKind(k).label for k in kinds)
                errors[name] = gettext("{field}只适用于{kinds}，{kind}请留空").format(
                    field=label, kinds=only, kind=self.get_kind_display()
                )
        if (
            self.awards is not None
            and self.entries is not None
            and self.awards > self.entries
            and "awards" not in errors
        ):
            errors["awards"] = gettext("获奖项目数不能多于参赛项目数（{n}）").format(n=self.entries)
        if errors:
            raise ValidationError(errors)


class PopularisationSpending(TimeStampedModel):
    """Science popularisation spending of one region in one year (科普经费), its own level only, in 元."""

    scope_region = "region"

    region = models.ForeignKey(
        "regions.Region", verbose_name=pgettext_lazy("field", "行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(
        _("科普经费（元）"), max_digits=18, decimal_places=2, validators=[MinValueValidator(0)]
    )
    source = models.CharField(
        _("资料来源"), max_length=255, blank=True, help_text=_("如 鹿寨县2020年财政决算、科协统计年报")
    )
    notes = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "科普经费")
        verbose_name_plural = pgettext_lazy("model plural", "科普经费")
        ordering = ["region__code", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="popularisation_region_year_unique",
                violation_error_message=_("该区划该年度的科普经费已经登记过，请在列表中点“编辑”修改"),
            ),
            models.CheckConstraint(condition=Q(year__gte=1949, year__lte=2100), name="popularisation_year_range"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="popularisation_amount_positive"),
        ]

    def __str__(self):
        return gettext("{region} {year}年科普经费").format(region=self.region.name, year=self.year)

    def get_absolute_url(self) -> str:
        return reverse("activities:spending_detail", args=[self.pk])

    def clean(self):
        if self.year and self.year > timezone.localdate().year:
            raise ValidationError({"year": gettext("年度 {year} 还没有到，不能填报").format(year=self.year)})
