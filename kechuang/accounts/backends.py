"""Authentication with lockout: 5 failures lock an account for 15 minutes (both configurable)."""

import datetime

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from .choices import RegistrationStatus
from .models import User


class AccountLocked(PermissionDenied):
    pass


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = User.objects.filter(username=username).first() if username else None
        if user is not None and user.is_locked:
            request_note(request, gettext_lazy("账号已锁定"))
            raise AccountLocked  # stops other backends: a locked account cannot sign in with any password
        authenticated = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            return None
        if authenticated is None:
            if not user.check_password(password or ""):  # a right password refused for another reason is no attack
                register_failure(user, request)
            return None
        if user.failed_logins:
            User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        return authenticated

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and user.registration_status == RegistrationStatus.APPROVED


def register_failure(user: User, request) -> None:
    """Count one failure in the database itself (concurrent failures all count) and lock at the threshold."""
    User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
    locked_until = timezone.now() + datetime.timedelta(minutes=settings.LOCKOUT_MINUTES)
    locked = User.objects.filter(pk=user.pk, failed_logins__gte=settings.LOCKOUT_THRESHOLD).update(
        failed_logins=0, locked_until=locked_until
    )
    if locked:
        note = gettext_lazy("连续失败 {failures} 次，账号锁定 {minutes} 分钟")
        request_note(request, format_lazy(note, failures=settings.LOCKOUT_THRESHOLD, minutes=settings.LOCKOUT_MINUTES))


def request_note(request, note) -> None:
    """Leave the reason on the request, for the login log and the login form.

    The note is lazy text: the login log stores it in the installation's language (stored_text)."""
    if request is not None:
        request.login_note = note
