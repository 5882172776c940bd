"""等保 2.0 request guards: idle timeout, forced password change, and the operation log of writes."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from . import services

EXEMPT_PREFIXES = ("/static/", "/accounts/login/", "/accounts/logout/", "/accounts/password/", "/i18n/")


# The time of a session's last request is written back at most this often: a write on every request would make
# every signed-in page view a write transaction. A session is therefore signed out after between
# IDLE_TIMEOUT_MINUTES minus one minute and IDLE_TIMEOUT_MINUTES without a request.
ACTIVITY_WRITE_SECONDS = 60


class IdleTimeoutMiddleware:
    """Sign a session out after IDLE_TIMEOUT_MINUTES without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and "_auth_user_id" in request.session:
            now, last = time.time(), request.session.get("last_activity")
            if last is not None and now - last > settings.IDLE_TIMEOUT_MINUTES * 60:
                logout(request)
                messages.warning(
                    request,
                    gettext("超过 {minutes} 分钟未操作，已自动退出，请重新登录。").format(
                        minutes=settings.IDLE_TIMEOUT_MINUTES
                    ),
                )
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            if last is None or now - last >= ACTIVITY_WRITE_SECONDS:
                request.session["last_activity"] = now
        return self.get_response(request)


PASSWORD_CHANGE_FIRST = gettext_lazy("请先登录网页修改初始密码，然后再使用接口")


class ForcePasswordChangeMiddleware:
    """Users with a generated password must set their own before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.must_change_password and not request.path.startswith(EXEMPT_PREFIXES):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": str(PASSWORD_CHANGE_FIRST)}, status=403)
            messages.info(request, gettext("为了账号安全，首次登录请先修改初始密码。"))
            return redirect("accounts:password_change")
        return self.get_response(request)


class OperationLogMiddleware:
    """Every write request (POST, PUT, PATCH, DELETE) leaves an operation-log row."""

    WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        params = services.masked_params(request) if request.method in self.WRITE_METHODS else None
        response = self.get_response(request)
        if params is not None:
            services.operation_log_write(request=request, params=params, status=response.status_code)
        return response
