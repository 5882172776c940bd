"""Administrative divisions (GB/T 2260) as a tree, and resident population by year."""

import datetime

from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.core.models import TimeStampedModel

from .choices import RegionLevel


class RegionQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day)).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=day)
        )

    def selectable(self):
        """Codes that may be chosen for new records: not abolished as of today."""
        return self.valid_on(timezone.localdate())

    def subtree(self, region: "Region"):
        return self.filter(path__startswith=region.path)


class Region(TimeStampedModel):
    """An administrative division (行政区划, GB/T 2260; townships by the statistical division code)."""

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("级别"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of codes ("450000/450200/450223/") so a subtree is one indexed prefix match.
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False)
    valid_from = models.DateField(_("启用日期"), null=True, blank=True)
    valid_to = models.DateField(
        _("撤销日期"), null=True, blank=True, help_text=_("撤销后仍保留用于历史数据，但不能再选用")
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("model", "行政区划")
        verbose_name_plural = pgettext_lazy("model plural", "行政区划")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__in=RegionLevel.values), name="region_level_valid"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gt=models.F("valid_from")),
                name="region_validity_order",
            ),
        ]

    def __str__(self):
        if self.is_abolished:
            return gettext("{name}（{code}）").format(name=self.name, code=self.code)
        return self.name

    def save(self, *args, **kwargs):
        old_path = Region.objects.filter(pk=self.pk).values_list("path", flat=True).first() if self.pk else None
        self.path = f"{self.parent.path if self.parent else ''}{self.code}/"
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                # A region that moves takes its whole subtree with it, so data scopes stay right.
                Region.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(Value(self.path), Substr("path", len(old_path) + 1))
                )

    @property
    def is_abolished(self) -> bool:
        return self.valid_to is not None and self.valid_to <= timezone.localdate()

    def ancestors(self) -> list["Region"]:
        codes = self.path.strip("/").split("/")[:-1]
        return list(Region.objects.filter(code__in=codes).order_by("path"))


class Population(TimeStampedModel):
    """Resident population of a region at the end of a year (常住人口)."""

    scope_region = "region"

    region = models.ForeignKey(
        Region, verbose_name=pgettext_lazy("field", "行政区划"), on_delete=models.PROTECT, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    resident = models.PositiveIntegerField(_("常住人口（人）"))
    source = models.CharField(_("数据来源"), max_length=128, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "常住人口")
        verbose_name_plural = pgettext_lazy("model plural", "常住人口")
        ordering = ["region__code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="population_region_year_unique"),
            models.CheckConstraint(condition=models.Q(year__gte=1949, year__lte=2100), name="population_year_range"),
        ]

    def __str__(self):
        return gettext("{region} {year}年 {resident}人").format(
            region=self.region.name, year=self.year, resident=self.resident
        )
