"""Configurable scoring models (评价模型, issue #5 item 4): weighted criteria with bands over fields of the master
file, kept by the bureau, versioned — publishing freezes a version, editing a published model makes a new draft —
and the results scored under a version, which keep that version."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kechuang.core.models import TimeStampedModel, UnicodeJSONEncoder

from .choices import BandUnit, ModelStatus, Subject, Verdict


class ScoringModel(TimeStampedModel):
    """One version of a scoring model (评价模型); with a pass score it is a scheme (达标方案) a subject meets or not."""

    code = models.SlugField(_("模型代码"), max_length=32)
    version = models.PositiveSmallIntegerField(_("版本号"), default=1)
    name = models.CharField(_("模型名称"), max_length=64)
    subject = models.CharField(_("评价对象"), max_length=16, choices=Subject.choices)
    purpose = models.TextField(_("用途说明"), blank=True)
    total = models.DecimalField(_("满分"), max_digits=7, decimal_places=2, default=Decimal(100))
    pass_score = models.DecimalField(
        _("达标分数线"), max_digits=7, decimal_places=2, null=True, blank=True,
        help_text=_("填写后，该模型即为企业“达标/未达标”的方案，出现在政策计算器和免申即享名单中"),
    )  # fmt: skip
    status = models.CharField(_("状态"), max_length=16, choices=ModelStatus.choices, default=ModelStatus.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = pgettext_lazy("model", "评价模型")
        verbose_name_plural = pgettext_lazy("model plural", "评价模型")
        ordering = ["subject", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="scoring_model_code_version"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(status=ModelStatus.DRAFT), name="scoring_model_one_draft"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(status=ModelStatus.PUBLISHED), name="scoring_model_one_published"
            ),
            models.CheckConstraint(condition=Q(subject__in=Subject.values), name="scoring_model_subject_valid"),
            models.CheckConstraint(condition=Q(status__in=ModelStatus.values), name="scoring_model_status_valid"),
            models.CheckConstraint(condition=Q(total__gt=0), name="scoring_model_total_positive"),
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"

    @property
    def editable(self) -> bool:
        return self.status == ModelStatus.DRAFT


class Criterion(models.Model):
    """A weighted criterion of a model (评价指标): a field of the master file, scored by ascending bands.

    ``bands`` is a list of ``{"lower": "5", "inclusive": true, "value": "10"}`` in ascending order of ``lower``: a
    value falls in the last band whose lower bound it reaches (``>=`` when inclusive, ``>`` when not) and scores the
    band's value (points, or a fraction of the weight); below the first band it scores 0."""

    model = models.ForeignKey(
        ScoringModel, verbose_name=_("评价模型"), on_delete=models.CASCADE, related_name="criteria"
    )
    code = models.SlugField(_("指标代码"), max_length=32)
    name = models.CharField(_("指标名称"), max_length=64)
    field = models.CharField(_("数据项"), max_length=32)
    weight = models.DecimalField(_("权重（分）"), max_digits=7, decimal_places=2)
    unit = models.CharField(_("档位分值单位"), max_length=16, choices=BandUnit.choices, default=BandUnit.POINTS)
    bands = models.JSONField(_("档位"), default=list, encoder=UnicodeJSONEncoder)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("model", "评价指标")
        verbose_name_plural = pgettext_lazy("model plural", "评价指标")
        ordering = ["model", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["model", "code"], name="scoring_criterion_code"),
            models.CheckConstraint(condition=Q(unit__in=BandUnit.values), name="scoring_criterion_unit_valid"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="scoring_criterion_weight_positive"),
        ]

    def __str__(self):
        return f"{self.model} · {self.name}"


class ScoringResult(models.Model):
    """A subject's score for a year under one model version, stored by the bureau; earlier results stay."""

    model = models.ForeignKey(
        ScoringModel, verbose_name=_("评价模型"), on_delete=models.PROTECT, related_name="results"
    )
    year = models.PositiveSmallIntegerField(_("数据年度"))
    subject_id = models.PositiveBigIntegerField(_("评价对象编号"), null=True, blank=True)
    subject_name = models.CharField(_("评价对象"), max_length=255)
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("单位"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    total = models.DecimalField(_("得分"), max_digits=9, decimal_places=4)
    verdict = models.CharField(_("结论"), max_length=16, choices=Verdict.choices, blank=True)
    details = models.JSONField(_("各指标得分"), default=list, encoder=UnicodeJSONEncoder)
    computed_at = models.DateTimeField(_("评价时间"), auto_now_add=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评价人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = pgettext_lazy("model", "评价模型结果")
        verbose_name_plural = pgettext_lazy("model plural", "评价模型结果")
        ordering = ["model", "year", "-total"]
        indexes = [models.Index(fields=["model", "year"], name="scoring_result_model_year")]

    def __str__(self):
        return f"{self.subject_name} {self.model} {self.year}"

    @staticmethod
    def restrict_scope(queryset, scope):
        """A result belongs to its subject's region and organisation (an enterprise's users see their own)."""
        if scope.kind == "all":
            return queryset
        if scope.kind == "region":
            return queryset.filter(region__path__startswith=scope.region_path)
        if scope.kind == "org":
            return queryset.filter(organisation_id=scope.org_id)
        return queryset.none()

    @staticmethod
    def instance_in_scope(instance, scope) -> bool:
        if scope.kind == "all":
            return True
        if scope.kind == "region":
            return instance.region is not None and instance.region.path.startswith(scope.region_path)
        return scope.kind == "org" and instance.organisation_id == scope.org_id
