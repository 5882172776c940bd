"""The REST API under /api/v1 (django-ninja): session or personal-token auth, Chinese JSON errors."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from kechuang.accounts.services import token_user
from kechuang.core.access import AccessDenied


class TokenAuth(HttpBearer):
    """``Authorization: Bearer kc_…`` with a personal token from the profile page."""

    def authenticate(self, request, token):
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


class CsrfSessionAuth(SessionAuth):
    """The browser's session, with CSRF checked on writes."""


api = NinjaAPI(
    title="科创平台 API",
    version="1.0.0",
    description="县域科技创新管理平台接口。认证：浏览器会话，或在“个人信息”页生成的令牌（Authorization: Bearer …）。",
    auth=[TokenAuth(), CsrfSessionAuth()],
    urls_namespace="api",
)


def _field_of(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "data")]
    return ".".join(parts) or "__all__"


@api.exception_handler(NinjaValidationError)
def _validation(request, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_of(error.get("loc", ())), []).append(_chinese(error))
    return api.create_response(request, {"detail": "提交的数据有误", "errors": errors}, status=422)


def _chinese(error: dict) -> str:
    kind = error.get("type", "")
    messages = {
        "missing": "必填项",
        "int_parsing": "应为整数",
        "decimal_parsing": "应为数字",
        "float_parsing": "应为数字",
        "date_from_datetime_parsing": "应为日期，如 2021-01-01",
        "date_parsing": "应为日期，如 2021-01-01",
        "bool_parsing": "应为 true 或 false",
        "string_too_long": "内容过长",
        "enum": "不是允许的选项",
        "literal_error": "不是允许的选项",
        "json_invalid": "不是有效的 JSON",
        "greater_than_equal": "数值过小",
        "less_than_equal": "数值过大",
    }
    return messages.get(kind, error.get("msg", "格式不正确"))


@api.exception_handler(ValidationError)
def _service_error(request, exc: ValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "；".join(exc.messages), "errors": errors}, status=400)


@api.exception_handler(AccessDenied)
def _denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "无权操作"}, status=403)


@api.exception_handler(ObjectDoesNotExist)
def _missing(request, exc):
    return api.create_response(request, {"detail": "记录不存在或不在您的权限范围内"}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)


api.add_router("/orgs", "kechuang.orgs.api.router")
api.add_router("/regions", "kechuang.regions.api.router")
api.add_router("/accounts", "kechuang.accounts.api.router")

__all__ = ["api"]
