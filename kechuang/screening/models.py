"""The annual screening into the cultivation pools (年度筛选, issue #5 item 5): a run of one pool's criteria over the
organisations of a region for a data year, and the candidates it proposes, each decided by the bureau."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .choices import Decision, Proposal


class ScreeningRun(models.Model):
    """One screening of a pool (筛选批次): the criteria used, over which region and data year, by whom and when."""

    scope_region = "region"

    pool = models.ForeignKey(
        "orgs.Pool", verbose_name=pgettext_lazy("field", "培育库"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("数据年度"))
    region = models.ForeignKey("regions.Region", verbose_name=_("筛选范围"), on_delete=models.PROTECT, related_name="+")
    criteria = models.JSONField(_("筛选标准"))
    digest = models.CharField(_("标准摘要（SHA-256）"), max_length=64)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("筛选人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    run_at = models.DateTimeField(_("筛选时间"), auto_now_add=True)
    screened = models.PositiveIntegerField(_("参评单位数"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("model", "筛选批次")
        verbose_name_plural = pgettext_lazy("model plural", "筛选批次")
        ordering = ["-run_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(year__gte=1949, year__lte=2100), name="screening_year")]

    def __str__(self):
        return gettext("{pool} {year}年度筛选（{region}）").format(pool=self.pool, year=self.year, region=self.region)

    def get_absolute_url(self) -> str:
        return reverse("screening:run_detail", args=[self.pk])

    @property
    def intake_year(self) -> int:
        """The year of entries and exits it proposes: the year after the data year (a pool is screened with last
        year's figures, as the national evaluations are)."""
        return self.year + 1


class Candidate(models.Model):
    """One organisation a run proposes to enter, leave or stay in the pool (候选名单), with the reasons and the
    bureau's decision."""

    scope_region = "organisation__region"
    scope_org = "organisation"

    run = models.ForeignKey(
        ScreeningRun, verbose_name=_("筛选批次"), on_delete=models.CASCADE, related_name="candidates"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+"
    )
    proposal = models.CharField(_("建议"), max_length=8, choices=Proposal.choices)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    figures = models.JSONField(_("主要指标"), default=dict)
    reasons = models.JSONField(_("理由"), default=list)
    membership = models.ForeignKey(
        "orgs.PoolMembership",
        verbose_name=_("入库记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision = models.CharField(_("确认结果"), max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    comment = models.TextField(_("确认意见"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "筛选候选")
        verbose_name_plural = pgettext_lazy("model plural", "筛选候选")
        ordering = ["run", "proposal", "rank", "organisation_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "organisation"], name="candidate_once_per_run"),
            models.CheckConstraint(condition=Q(proposal__in=Proposal.values), name="candidate_proposal_valid"),
            models.CheckConstraint(condition=Q(decision__in=Decision.values), name="candidate_decision_valid"),
            models.CheckConstraint(
                condition=~Q(decision=Decision.REJECTED) | ~Q(comment=""), name="candidate_rejection_has_comment"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.get_proposal_display()}"

    def get_absolute_url(self) -> str:
        return f"{self.run.get_absolute_url()}#candidate-{self.pk}"

    def reason_text(self, passed_only: bool = False) -> str:
        """The reasons as one line (what an entry or exit records as its reason)."""
        return "；".join(r["text"] for r in self.reasons if r.get("passed") or not passed_only)
