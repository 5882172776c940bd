"""Choices of the core app."""

from django.db import models


class AuditAction(models.TextChoices):
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    APPROVE = "approve", "审核"


class AttachmentKind(models.TextChoices):
    LICENCE = "licence", "营业执照"
    CERTIFICATE = "certificate", "证书"
    CONTRACT = "contract", "合同"
    REPORT = "report", "报告"
    OTHER = "other", "其他"
