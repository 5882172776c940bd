"""Login events go to the login log (the log writing itself is a service)."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from . import services


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    services.login_log_write(request=request, username=user.username, user=user, success=True)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    services.login_log_write(request=request, username=credentials.get("username", ""), user=None, success=False)
