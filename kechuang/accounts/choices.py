"""Choices of the accounts app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSADMIN = "sysadmin", _("系统管理员")
    SECADMIN = "secadmin", _("安全管理员")
    AUDITADMIN = "auditadmin", _("审计管理员")
    BUREAU_ADMIN = "bureau_admin", _("科技局管理员")
    BUREAU_STAFF = "bureau_staff", _("科技局经办人")
    LEADER = "leader", _("领导")
    ENTERPRISE = "enterprise", _("企业用户")
    EXPERT = "expert", _("评审专家")
    PROVIDER = "provider", _("服务机构用户")


class RegistrationStatus(models.TextChoices):
    APPROVED = "approved", _("已通过")
    PENDING = "pending", _("待审核")
    REJECTED = "rejected", _("已驳回")
