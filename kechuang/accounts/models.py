"""Users with a role and a data scope, API tokens, and the login and operation logs (等保 2.0)."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.core.models import ImmutableModel

from .choices import RegistrationStatus, Role


class KechuangUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.SYSADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in (用户), with one role and the region or organisation that bounds what they see."""

    scope_region = "region"
    scope_org = "organisation"

    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.ENTERPRISE)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    registration_status = models.CharField(
        _("注册状态"), max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.APPROVED
    )
    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=False)
    failed_logins = models.PositiveSmallIntegerField(_("连续登录失败次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)
    password_changed = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    objects = KechuangUserManager()

    # Sign-ins change last_login and the failure counter outside any service; the log of sign-ins is LoginLog.
    AUDIT_EXCLUDE = ("last_login", "failed_logins")

    class Meta:
        verbose_name = pgettext_lazy("model", "用户")
        verbose_name_plural = pgettext_lazy("model plural", "用户")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
            models.CheckConstraint(
                condition=models.Q(registration_status__in=RegistrationStatus.values), name="user_registration_valid"
            ),
        ]

    def __str__(self):
        if self.full_name:
            return gettext("{name}（{username}）").format(name=self.full_name, username=self.username)
        return self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_edit", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


class ApiToken(models.Model):
    """A personal API token (接口令牌); only its SHA-256 is stored."""

    scope_region = "user__region"
    scope_org = "user__organisation"

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=64)
    prefix = models.CharField(_("前缀"), max_length=8)
    digest = models.CharField(_("摘要"), max_length=64, unique=True)
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used = models.DateTimeField(_("最近使用"), null=True, blank=True)
    expires = models.DateTimeField(_("过期时间"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "接口令牌")
        verbose_name_plural = pgettext_lazy("model plural", "接口令牌")

    def __str__(self):
        return gettext("{name}（{prefix}…）").format(name=self.name, prefix=self.prefix)

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "kc_" + secrets.token_urlsafe(32)


class LoginLog(ImmutableModel):
    """One sign-in attempt, successful or not (登录日志)."""

    time = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    username = models.CharField(_("账号"), max_length=150)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    success = models.BooleanField(_("成功"))
    reason = models.CharField(_("说明"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=255, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "登录日志")
        verbose_name_plural = pgettext_lazy("model plural", "登录日志")
        ordering = ["-time", "-id"]

    def __str__(self):
        outcome = gettext("成功") if self.success else gettext("失败")
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.username} {outcome}"


class OperationLog(ImmutableModel):
    """One write request (操作日志), with passwords and ID numbers masked."""

    time = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    username = models.CharField(_("账号"), max_length=150, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=32, db_index=True)
    method = models.CharField(_("方法"), max_length=8)
    path = models.CharField(_("地址"), max_length=255)
    status = models.PositiveSmallIntegerField(_("状态码"))
    params = models.JSONField(_("参数"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=255, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "操作日志")
        verbose_name_plural = pgettext_lazy("model plural", "操作日志")
        ordering = ["-time", "-id"]

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.username} {self.method} {self.path}"
