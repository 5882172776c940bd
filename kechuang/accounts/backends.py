"""Authentication with lockout: 5 failures lock an account for 15 minutes (both configurable)."""

import datetime

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from .choices import RegistrationStatus
from .models import User


class AccountLocked(PermissionDenied):
    pass


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = User.objects.filter(username=username).first() if username else None
        if user is not None and user.is_locked:
            request_note(request, "账号已锁定")
            raise AccountLocked  # stops other backends: a locked account cannot sign in with any password
        authenticated = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            return None
        if authenticated is None:
            register_failure(user, request)
            return None
        if user.failed_logins:
            User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        return authenticated

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and user.registration_status == RegistrationStatus.APPROVED


def register_failure(user: User, request) -> None:
    failures = user.failed_logins + 1
    locked_until = None
    if failures >= settings.LOCKOUT_THRESHOLD:
        locked_until = timezone.now() + datetime.timedelta(minutes=settings.LOCKOUT_MINUTES)
        failures = 0
        request_note(request, f"连续失败 {settings.LOCKOUT_THRESHOLD} 次，账号锁定 {settings.LOCKOUT_MINUTES} 分钟")
    User.objects.filter(pk=user.pk).update(failed_logins=failures, locked_until=locked_until)


def request_note(request, note: str) -> None:
    """Leave the reason on the request, for the login log and the login form."""
    if request is not None:
        request.login_note = note
