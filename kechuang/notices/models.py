"""Notices published by the bureau (通知公告) and personal in-app messages (站内消息)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kechuang.core.models import TimeStampedModel


class Notice(TimeStampedModel):
    """A notice to everyone in a region subtree, optionally only to some roles."""

    title = models.CharField(_("标题"), max_length=128)
    body = models.TextField(_("正文"))
    region = models.ForeignKey("regions.Region", verbose_name=_("发布范围"), on_delete=models.PROTECT, related_name="+")
    # Comma-delimited on both ends (",leader,enterprise,") so one role is a portable LIKE match on any engine.
    roles = models.CharField(_("面向角色"), max_length=255, blank=True, help_text=_("不选表示所有角色"))
    deadline = models.DateField(_("截止日期"), null=True, blank=True)
    published = models.BooleanField(_("已发布"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )

    scope_region = "region"

    class Meta:
        verbose_name = pgettext_lazy("model", "通知公告")
        verbose_name_plural = pgettext_lazy("model plural", "通知公告")
        ordering = ["-created"]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notices:detail", args=[self.pk])

    @staticmethod
    def restrict_scope(queryset, scope):
        """Readers see published notices aimed at their region or above; bureau authors also their subtree's."""
        if scope.kind == "all":
            return queryset
        if not scope.region_path:
            return queryset.none()
        ancestors = [c for c in scope.region_path.strip("/").split("/") if c]
        aimed = Q(published=True, region__code__in=ancestors) & (Q(roles="") | Q(roles__contains=f",{scope.role},"))
        if scope.kind == "region":
            return queryset.filter(aimed | Q(region__path__startswith=scope.region_path))
        return queryset.filter(aimed)

    def role_list(self) -> list[str]:
        return [r for r in self.roles.split(",") if r]

    @staticmethod
    def instance_in_scope(instance, scope):
        return scope.kind == "all" or (
            scope.kind == "region"
            and instance.region_id is not None
            and instance.region.path.startswith(scope.region_path)
        )


class Message(models.Model):
    """A message to one user, e.g. a deadline reminder (站内消息). Only its recipient reads it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="messages"
    )
    title = models.CharField(_("标题"), max_length=128)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=255, blank=True)
    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.CASCADE, related_name="messages")
    deadline = models.DateField(_("截止日期"), null=True, blank=True)
    # What a one-off message is about ("orgs.reportinground:12:reminder"): a user gets each topic at most once.
    topic = models.CharField(_("主题"), max_length=64, blank=True, editable=False)
    created = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "站内消息")
        verbose_name_plural = pgettext_lazy("model plural", "站内消息")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["user", "notice"], name="message_one_reminder_per_notice"),
            models.UniqueConstraint(
                fields=["user", "topic"], condition=~models.Q(topic=""), name="message_one_per_topic"
            ),
        ]

    def __str__(self):
        return self.title
