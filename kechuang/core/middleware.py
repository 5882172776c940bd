"""Request id and client address, carried into every audit row written during the request; sign-in required."""

import ipaddress

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired

from . import context


def client_ip(request) -> str | None:
    """The client's address; behind our nginx (BEHIND_PROXY) the one nginx saw, from X-Real-IP."""
    if settings.SECURE_PROXY_SSL_HEADER:
        try:
            return str(ipaddress.ip_address(request.META.get("HTTP_X_REAL_IP", "").strip()))
        except ValueError:
            pass  # no header, or not an address: fall back to the connection's peer
    return request.META.get("REMOTE_ADDR")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = "api" if request.path.startswith("/api/") else "web"
        ctx = context.ActionContext(source=source, ip=client_ip(request))
        request.request_id = ctx.request_id
        token = context.activate(ctx)
        try:
            response = self.get_response(request)
        finally:
            context.deactivate(token)
        response["X-Request-ID"] = ctx.request_id
        return response


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a signed-in user unless marked login_not_required; the API answers 401 itself."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
