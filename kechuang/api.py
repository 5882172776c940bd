"""The REST API under /api/v1 (django-ninja): session or personal-token auth, Chinese JSON errors."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from kechuang.accounts.services import token_user
from kechuang.core.access import AccessDenied
from kechuang.core.exceptions import NotFound


class TokenAuth(HttpBearer):
    """``Authorization: Bearer kc_…`` with a personal token from the profile page."""

    def authenticate(self, request, token):
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title=_("科创平台 API"),
    version="1.0.0",
    description=_(
        "县域科技创新管理平台接口。认证：浏览器会话，或在“个人信息”页生成的令牌（Authorization: Bearer …）。"
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    # The interactive docs are for signed-in users; Swagger UI's online validator is switched off (no internet).
    docs=Swagger(settings={"validatorUrl": None}),
    docs_decorator=login_required,
)


def _field_of(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "data")]
    return ".".join(parts) or "__all__"


@api.exception_handler(NinjaValidationError)
def _validation(request, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_of(error.get("loc", ())), []).append(_chinese(error))
    return api.create_response(request, {"detail": gettext("提交的数据有误"), "errors": errors}, status=422)


def _chinese(error: dict) -> str:
    kind = error.get("type", "")
    if kind in VALIDATION_MESSAGES:
        return str(VALIDATION_MESSAGES[kind])
    return error.get("msg", gettext("格式不正确"))


# Pydantic error type → the message shown for it.
VALIDATION_MESSAGES = {
    "missing": _("必填项"),
    "not_null": _("不能为空"),  # raised by the schemas' NotNull validator (orgs/schemas.py)
    "int_parsing": _("应为整数"),
    "decimal_parsing": _("应为数字"),
    "float_parsing": _("应为数字"),
    "date_from_datetime_parsing": _("应为日期，如 2021-01-01"),
    "date_parsing": _("应为日期，如 2021-01-01"),
    "bool_parsing": _("应为 true 或 false"),
    "string_too_long": _("内容过长"),
    "enum": _("不是允许的选项"),
    "literal_error": _("不是允许的选项"),
    "json_invalid": _("不是有效的 JSON"),
    "string_type": _("应为文本"),
    "int_type": _("应为整数"),
    "decimal_type": _("应为数字"),
    "float_type": _("应为数字"),
    "bool_type": _("应为 true 或 false"),
    "list_type": _("应为列表"),
    "dict_type": _("应为对象"),
    "model_type": _("应为对象"),
    "date_type": _("应为日期，如 2021-01-01"),
    "decimal_max_places": _("小数位数过多（金额最多两位小数）"),
    "decimal_max_digits": _("数字位数过多"),
    "finite_number": _("应为有限的数字"),
    "string_pattern_mismatch": _("格式不正确"),
    "string_too_short": _("内容过短"),
    "extra_forbidden": _("不是允许的字段"),
    "greater_than_equal": _("数值过小"),
    "less_than_equal": _("数值过大"),
}


@api.exception_handler(ValidationError)
def _service_error(request, exc: ValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": gettext("；").join(exc.messages), "errors": errors}, status=400)


@api.exception_handler(AccessDenied)
def _denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or gettext("无权操作")}, status=403)


@api.exception_handler(OverflowError)
def _too_large(request, exc: OverflowError):
    """A key in a path or query too large for the database to bind (SQLite refuses integers beyond 64 bits, where
    PostgreSQL finds no row): no such record. Any other overflow stays an error."""
    if "SQLite INTEGER" not in str(exc):
        raise exc
    return _missing(request, exc)


@api.exception_handler(NotFound)
def _not_found(request, exc: NotFound):
    return api.create_response(request, {"detail": str(exc)}, status=404)


@api.exception_handler(ObjectDoesNotExist)
def _missing(request, exc):
    return api.create_response(request, {"detail": gettext("记录不存在或不在您的权限范围内")}, status=404)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    messages = {
        # ninja raises HttpError(400) only when the body cannot be parsed
        400: gettext("请求体不是有效的 JSON，请检查格式"),
        403: gettext("无权操作（若使用浏览器会话，请确认已携带 CSRF 令牌）"),
        404: gettext("记录不存在或不在您的权限范围内"),
    }
    return api.create_response(request, {"detail": messages.get(exc.status_code, str(exc))}, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"detail": gettext("未登录或令牌无效")}, status=401)


api.add_router("/orgs", "kechuang.orgs.api.router")
api.add_router("/regions", "kechuang.regions.api.router")
api.add_router("/accounts", "kechuang.accounts.api.router")
api.add_router("/ip", "kechuang.ip.api.router")
api.add_router("/talent", "kechuang.talent.api.router")
api.add_router("/carriers", "kechuang.carriers.api.router")
api.add_router("/achievements", "kechuang.achievements.api.router")
api.add_router("/activities", "kechuang.activities.api.router")
api.add_router("/plans", "kechuang.plans.api.router")
api.add_router("/evaluation", "kechuang.evaluation.api.router")
api.add_router("/screening", "kechuang.screening.api.router")
api.add_router("/scoring", "kechuang.scoring.api.router")

__all__ = ["api"]
