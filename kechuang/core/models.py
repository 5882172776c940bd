"""Base models every app builds on, and the audit trail (审计日志)."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .choices import AttachmentKind, AuditAction, JobStatus


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """JSON with Chinese kept as characters, so text search inside JSON columns works on SQLite too."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class TimeStampedModel(models.Model):
    """Creation and last-change times for every business record."""

    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class ImmutableQuerySet(models.QuerySet):
    """Log tables accept inserts only; bulk changes are refused here and by database triggers."""

    def update(self, **kwargs):
        raise PermissionError(gettext("日志不可修改"))

    def delete(self):
        raise PermissionError(gettext("日志不可删除"))


class ImmutableModel(models.Model):
    """A row that, once written, is never changed or deleted (logs kept for 等保 2.0)."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError(gettext("日志不可修改"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(gettext("日志不可删除"))


class AuditLog(ImmutableModel):
    """One create, update or delete of a business record, written in the same transaction (审计日志)."""

    time = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=32, db_index=True)
    source = models.CharField(_("来源"), max_length=16)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=16, choices=AuditAction.choices)
    # Looked up by (content_type, object_id) through the index below, which also serves content_type alone: no index
    # of their own, two fewer to maintain on every audited write.
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=255)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "审计日志")
        verbose_name_plural = pgettext_lazy("model plural", "审计日志")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-time"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(action__in=AuditAction.values), name="auditlog_action_valid"),
        ]

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    def get_absolute_url(self) -> str:
        return reverse("core:audit_detail", args=[self.pk])

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field whose value differs."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before, *after]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]

    @property
    def labelled_changes(self) -> list[tuple[str, str, object, object]]:
        """(field, its label, before, after), for people reading the trail."""
        model = self.content_type.model_class()
        names = {f.name: f.verbose_name for f in model._meta.concrete_fields} if model else {}
        return [(field, names.get(field, field), old, new) for field, old, new in self.changes]


def attachment_path(instance, filename: str) -> str:
    # The stored name never comes from the user: the original name is kept in a field instead.
    return f"attachments/{instance.content_type_id}/{instance.object_id}/{instance.sha256[:16]}{instance.extension}"


class Attachment(TimeStampedModel):
    """Evidence file on any record (附件: licences, certificates, contracts), stored outside the web root."""

    # The owning organisation is kept beside the generic link so restrict() can scope attachments in SQL.
    scope_region = "organisation__region"
    scope_org = "organisation"

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64, db_index=True)
    target = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("类型"), max_length=16, choices=AttachmentKind.choices, default=AttachmentKind.OTHER)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("文件名"), max_length=255)
    extension = models.CharField(_("扩展名"), max_length=8)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = pgettext_lazy("model", "附件")
        verbose_name_plural = pgettext_lazy("model plural", "附件")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=AttachmentKind.values), name="attachment_kind_valid"),
        ]

    def __str__(self):
        return self.original_name


class ImportJob(models.Model):
    """A web import run in the background (后台导入): the check (dry run) or the import of one uploaded file."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("导入类型"), max_length=32)
    filename = models.CharField(_("文件名"), max_length=255)
    token = models.CharField(_("文件标识"), max_length=32)  # the uploaded file waiting in var/imports
    update = models.BooleanField(_("更新已有记录"), default=False)
    dry_run = models.BooleanField(_("仅检查"), default=True)
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    report = models.JSONField(_("结果"), null=True, blank=True)
    errors = models.JSONField(_("错误"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    created = models.DateTimeField(_("提交时间"), auto_now_add=True)
    finished = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "导入任务")
        verbose_name_plural = pgettext_lazy("model plural", "导入任务")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=JobStatus.values), name="importjob_status_valid"),
        ]

    def __str__(self):
        return f"{self.kind} {self.filename} ({self.get_status_display()})"
