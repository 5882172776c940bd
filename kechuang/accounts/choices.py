"""Choices of the accounts app."""

from django.db import models


class Role(models.TextChoices):
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITADMIN = "auditadmin", "审计管理员"
    BUREAU_ADMIN = "bureau_admin", "科技局管理员"
    BUREAU_STAFF = "bureau_staff", "科技局经办人"
    LEADER = "leader", "领导"
    ENTERPRISE = "enterprise", "企业用户"
    EXPERT = "expert", "评审专家"
    PROVIDER = "provider", "服务机构用户"


class RegistrationStatus(models.TextChoices):
    APPROVED = "approved", "已通过"
    PENDING = "pending", "待审核"
    REJECTED = "rejected", "已驳回"
