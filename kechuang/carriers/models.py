"""The innovation carriers registry (创新载体): research centres, laboratories, incubators, maker spaces, platforms,
bases and parks, and the tenants of incubators and maker spaces.

A carrier belongs where its host organisation (依托单位) is; a carrier without a host (a park, a government-run
incubator) names its own region. Exactly one of the two is stored, so the carrier follows its host when the host
moves, and a region subtree is one condition: ``carrier_in_region_q``.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.core.models import TimeStampedModel
from kechuang.orgs.choices import RecognitionLevel

from .choices import TENANT_CARRIERS, CarrierKind

__all__ = ["Carrier", "Tenant", "carrier_in_region_q", "carrier_valid_q", "tenant_in_residence_q"]


def carrier_in_region_q(path: str, prefix: str = "") -> Q:
    """Carriers located in the region subtree with this path: by their host's region, or their own."""
    return Q(**{f"{prefix}host__region__path__startswith": path}) | Q(**{f"{prefix}region__path__startswith": path})


def carrier_valid_q(day: datetime.date, prefix: str = "") -> Q:
    """Carriers recognised on or before the day and not revoked by it (a revocation takes effect on its date)."""
    return Q(**{f"{prefix}recognised_date__lte": day}) & (
        Q(**{f"{prefix}revoked_date__isnull": True}) | Q(**{f"{prefix}revoked_date__gt": day})
    )


def tenant_in_residence_q(day: datetime.date, prefix: str = "") -> Q:
    """Tenants that had entered by the day and not left by it (the exit date is the first day away)."""
    return Q(**{f"{prefix}entry_date__lte": day}) & (
        Q(**{f"{prefix}exit_date__isnull": True}) | Q(**{f"{prefix}exit_date__gt": day})
    )


class Carrier(TimeStampedModel):
    """An innovation carrier (创新载体) with its level, host and recognition dates."""

    kind = models.CharField(_("载体类型"), max_length=16, choices=CarrierKind.choices)
    name = models.CharField(_("载体名称"), max_length=128, db_index=True)
    level = models.CharField(_("级别"), max_length=16, choices=RecognitionLevel.choices)
    demonstration = models.BooleanField(
        _("示范平台/示范机构"),
        default=False,
        help_text=_("经认定为示范平台、示范机构的勾选，如小微企业公共服务示范平台"),
    )
    host = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("依托单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="carriers",
        help_text=_("建设或运营载体的单位；没有依托单位的（如园区）留空并填写所在区划"),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("仅没有依托单位时填写；有依托单位的按依托单位所在区划统计"),
    )
    recognised_date = models.DateField(_("认定日期"))
    revoked_date = models.DateField(
        _("撤销日期"), null=True, blank=True, help_text=_("被撤销、摘牌或考核不合格取消的日期")
    )
    document_number = models.CharField(_("认定文号"), max_length=64, blank=True)
    area = models.DecimalField(
        _("场地面积（平方米）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    notes = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "创新载体")
        verbose_name_plural = pgettext_lazy("model plural", "创新载体")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CarrierKind.values), name="carrier_kind_valid"),
            models.CheckConstraint(condition=Q(level__in=RecognitionLevel.values), name="carrier_level_valid"),
            models.CheckConstraint(
                condition=Q(host__isnull=False, region__isnull=True) | Q(host__isnull=True, region__isnull=False),
                name="carrier_host_or_region",
            ),
            models.CheckConstraint(
                condition=Q(revoked_date__isnull=True) | Q(revoked_date__gt=models.F("recognised_date")),
                name="carrier_revoked_after_recognised",
            ),
            models.CheckConstraint(condition=Q(area__isnull=True) | Q(area__gte=0), name="carrier_area_positive"),
            models.UniqueConstraint(
                fields=["kind", "name", "host"],
                condition=Q(host__isnull=False),
                name="carrier_unique_per_host",
                violation_error_message=_("该依托单位已登记过同类型、同名称的载体"),
            ),
            models.UniqueConstraint(
                fields=["kind", "name", "region"],
                condition=Q(host__isnull=True),
                name="carrier_unique_per_region",
                violation_error_message=_("该区划已登记过同类型、同名称的载体"),
            ),
        ]
        indexes = [models.Index(fields=["kind", "recognised_date"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("carriers:detail", args=[self.pk])

    @property
    def location(self):
        """The region the carrier counts in: its host's, or its own when it has no host."""
        if self.host_id:
            return self.host.region
        return self.region

    def is_valid_on(self, day: datetime.date) -> bool:
        """The same rule as ``carrier_valid_q``, for one carrier."""
        return self.recognised_date <= day and (self.revoked_date is None or self.revoked_date > day)

    @staticmethod
    def restrict_scope(queryset, scope):
        if scope.kind == "all":
            return queryset
        if scope.kind == "region" and scope.region_path:
            return queryset.filter(carrier_in_region_q(scope.region_path))
        if scope.kind == "org" and scope.org_id:
            return queryset.filter(host_id=scope.org_id)
        return queryset.none()

    @staticmethod
    def instance_in_scope(instance, scope) -> bool:
        if scope.kind == "all":
            return True
        if scope.kind == "region" and scope.region_path:
            region = instance.location
            return region is not None and region.path.startswith(scope.region_path)
        if scope.kind == "org" and scope.org_id:
            return instance.host_id == scope.org_id
        return False

    def clean(self):
        errors = {}
        self.name = (self.name or "").strip()
        self.document_number = (self.document_number or "").strip()
        if self.host_id is None and self.region_id is None:
            errors["region"] = gettext("没有依托单位的载体（如园区）须填写所在区划")
        elif self.host_id is not None and self.region_id is not None:
            errors["region"] = gettext("有依托单位的载体按依托单位所在区划统计，所在区划请留空")
        if self.recognised_date and self.recognised_date > timezone.localdate():
            errors["recognised_date"] = gettext("认定日期不能晚于今天")
        if self.revoked_date and self.recognised_date and self.revoked_date <= self.recognised_date:
            errors["revoked_date"] = gettext("撤销日期须晚于认定日期（{date}）").format(date=self.recognised_date)
        if errors:
            raise ValidationError(errors)


class Tenant(TimeStampedModel):
    """An enterprise or team in residence at an incubator or maker space (在孵企业、入驻团队)."""

    carrier = models.ForeignKey(
        Carrier,
        verbose_name=_("孵化载体"),
        on_delete=models.CASCADE,
        related_name="tenants",
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("入驻单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tenancies",
        help_text=_("已在单位档案中的企业从这里选择"),
    )
    team_name = models.CharField(
        _("团队/企业名称"), max_length=128, blank=True, help_text=_("尚未在单位档案中的创业团队或企业填写名称")
    )
    entry_date = models.DateField(_("入驻日期"))
    exit_date = models.DateField(_("迁出日期"), null=True, blank=True)
    graduated = models.BooleanField(_("已毕业"), default=False, help_text=_("孵化成功迁出（毕业企业）的勾选"))
    notes = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "入驻企业")
        verbose_name_plural = pgettext_lazy("model plural", "入驻企业")
        ordering = ["carrier", "-entry_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | Q(exit_date__gt=models.F("entry_date")),
                name="tenant_exit_after_entry",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, team_name="")
                | (Q(organisation__isnull=True) & ~Q(team_name="")),
                name="tenant_organisation_or_team",
            ),
            models.CheckConstraint(
                condition=Q(graduated=False) | Q(exit_date__isnull=False), name="tenant_graduated_has_exit"
            ),
            models.UniqueConstraint(
                fields=["carrier", "organisation", "entry_date"],
                condition=Q(organisation__isnull=False),
                name="tenant_unique_organisation_entry",
                violation_error_message=_("该单位在同一天入驻同一载体的记录已存在"),
            ),
            models.UniqueConstraint(
                fields=["carrier", "team_name", "entry_date"],
                condition=Q(organisation__isnull=True),
                name="tenant_unique_team_entry",
                violation_error_message=_("该团队在同一天入驻同一载体的记录已存在"),
            ),
        ]
        indexes = [models.Index(fields=["entry_date", "exit_date"])]

    def __str__(self):
        return f"{self.carrier} · {self.tenant_name}"

    def get_absolute_url(self) -> str:
        return reverse("carriers:tenant_detail", args=[self.pk])

    @property
    def tenant_name(self) -> str:
        return self.organisation.name if self.organisation_id else self.team_name

    def in_residence_on(self, day: datetime.date) -> bool:
        """The same rule as ``tenant_in_residence_q``, for one tenant."""
        return self.entry_date <= day and (self.exit_date is None or self.exit_date > day)

    @staticmethod
    def restrict_scope(queryset, scope):
        """Scoped by the carrier's location; an organisation sees its own tenancies and the tenants it hosts."""
        if scope.kind == "all":
            return queryset
        if scope.kind == "region" and scope.region_path:
            return queryset.filter(carrier_in_region_q(scope.region_path, prefix="carrier__"))
        if scope.kind == "org" and scope.org_id:
            return queryset.filter(Q(organisation_id=scope.org_id) | Q(carrier__host_id=scope.org_id))
        return queryset.none()

    @staticmethod
    def instance_in_scope(instance, scope) -> bool:
        if scope.kind == "all":
            return True
        carrier = instance.carrier if instance.carrier_id else None
        if scope.kind == "region" and scope.region_path:
            region = carrier.location if carrier is not None else None
            return region is not None and region.path.startswith(scope.region_path)
        if scope.kind == "org" and scope.org_id:
            return instance.organisation_id == scope.org_id or (carrier is not None and carrier.host_id == scope.org_id)
        return False

    def clean(self):
        errors = {}
        self.team_name = (self.team_name or "").strip()
        if self.carrier_id and self.carrier.kind not in TENANT_CARRIERS:
            errors["carrier"] = gettext("只有科技企业孵化器和众创空间登记入驻企业，“{carrier}”是{kind}").format(
                carrier=self.carrier, kind=self.carrier.get_kind_display()
            )
        if self.organisation_id is None and not self.team_name:
            errors["team_name"] = gettext("请选择入驻单位，或填写尚未在单位档案中的团队/企业名称")
        elif self.organisation_id is not None and self.team_name:
            errors["team_name"] = gettext("已选择入驻单位时不用再填写团队/企业名称")
        if self.entry_date and self.entry_date > timezone.localdate():
            errors["entry_date"] = gettext("入驻日期不能晚于今天")
        if self.exit_date and self.entry_date and self.exit_date <= self.entry_date:
            errors["exit_date"] = gettext("迁出日期须晚于入驻日期（{date}）").format(date=self.entry_date)
        if self.graduated and not self.exit_date:
            errors["exit_date"] = gettext("毕业企业须填写迁出日期")
        if errors:
            raise ValidationError(errors)
