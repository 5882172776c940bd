"""Choices of the core app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditAction(models.TextChoices):
    CREATE = "create", pgettext_lazy("audit action", "新增")
    UPDATE = "update", pgettext_lazy("audit action", "修改")
    DELETE = "delete", pgettext_lazy("audit action", "删除")
    APPROVE = "approve", pgettext_lazy("audit action", "审核")


class AttachmentKind(models.TextChoices):
    LICENCE = "licence", _("营业执照")
    CERTIFICATE = "certificate", _("证书")
    CONTRACT = "contract", _("合同")
    REPORT = "report", _("报告")
    OTHER = "other", _("其他")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    REFUSED = "refused", _("有错误，未导入")
    FAILED = "failed", _("出错中止")
