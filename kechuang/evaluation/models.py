"""What an evaluation leaves behind: the rule-set version it used (recorded the first time it is used) and each
organisation's stored result, so that an evaluation stays reproducible after the rules change (issue #5 items 1
and 8)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import EvaluationKind


class RuleSetVersion(models.Model):
    """A rule set as shipped (its YAML file, word for word) the first time an evaluation used it."""

    kind = models.CharField(_("类型"), max_length=8, choices=EvaluationKind.choices)
    version = models.CharField(_("版本"), max_length=16)
    name = models.CharField(_("名称"), max_length=64)
    documents = models.JSONField(_("依据文件"), default=list)
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("废止日期"), null=True, blank=True)
    source = models.TextField(_("规则文件"))
    digest = models.CharField(_("摘要（SHA-256）"), max_length=64, unique=True)
    recorded = models.DateTimeField(_("首次使用时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "规则版本")
        verbose_name_plural = pgettext_lazy("model plural", "规则版本")
        ordering = ["kind", "-recorded"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=EvaluationKind.values), name="ruleset_kind_valid")]

    def __str__(self):
        return f"{self.name} {self.version}（{self.digest[:12]}）"


class EvaluationResult(models.Model):
    """An organisation's evaluation for a fiscal year under one rule-set version: the verdict and totals to list and
    filter by, the whole result, and the inputs it was computed from. Earlier results stay as history."""

    scope_region = "organisation__region"
    scope_org = "organisation"

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="evaluation_results"
    )
    kind = models.CharField(_("类型"), max_length=8, choices=EvaluationKind.choices)
    year = models.PositiveSmallIntegerField(_("数据年度"))
    ruleset = models.ForeignKey(
        RuleSetVersion, verbose_name=_("规则版本"), on_delete=models.PROTECT, related_name="results"
    )
    verdict = models.CharField(_("结论"), max_length=16)
    total_min = models.PositiveSmallIntegerField(_("最低得分"))
    total_max = models.PositiveSmallIntegerField(_("最高得分"))
    route = models.CharField(_("认定途径"), max_length=16, blank=True)
    result = models.JSONField(_("评价结果"))
    inputs = models.JSONField(_("评价所用数据"))
    computed_at = models.DateTimeField(_("评价时间"), auto_now_add=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评价人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    current = models.BooleanField(_("当前结果"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "评价结果")
        verbose_name_plural = pgettext_lazy("model plural", "评价结果")
        ordering = ["organisation", "kind", "-year", "-computed_at"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EvaluationKind.values), name="evaluation_kind_valid"),
            models.UniqueConstraint(
                fields=["organisation", "kind", "year"], condition=Q(current=True), name="evaluation_one_current"
            ),
        ]
        indexes = [models.Index(fields=["kind", "year", "current"], name="evaluation_kind_year_idx")]

    def __str__(self):
        return f"{self.organisation} {self.get_kind_display()} {self.year}"
