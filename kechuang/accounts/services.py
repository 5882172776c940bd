"""Writes of the accounts app: users, registration, passwords, tokens, login and operation logs."""

import json
import re

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from kechuang.core.access import ensure_may
from kechuang.core.audit import audit_write, snapshot
from kechuang.core.choices import AuditAction
from kechuang.core.exceptions import AccessDenied, ServiceError
from kechuang.core.i18n import stored_text
from kechuang.core.middleware import client_ip
from kechuang.core.services import record_create, record_update
from kechuang.core.validators import mask_idcard

from .choices import RegistrationStatus, Role
from .models import ApiToken, LoginLog, OperationLog, User
from .passwords import generate_password
from .roles import ADMIN_ROLES, ORG_ROLES

SECRET_KEYS = re.compile(r"pass|token|secret|key|csrf", re.IGNORECASE)
# Fields that hold an identity number whatever it looks like (typed with spaces, partly): never logged in clear.
IDENTITY_KEYS = re.compile(r"id_?number|idcard|identity|身份证", re.IGNORECASE)
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
# Texts written into the logs; stored_text() puts them in the installation's language.
_WRONG_PASSWORD = gettext_lazy("账号或密码错误")
_UNPARSABLE_JSON = gettext_lazy("（无法解析的 JSON）")


# --- logs -------------------------------------------------------------------------------------------------


def _user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:255] if request is not None else ""


def login_log_write(*, request, username: str, user, success: bool) -> LoginLog:
    # The note may be lazy text; the log keeps it in the installation's language, whoever signs in.
    reason = getattr(request, "login_note", "") if request is not None else ""
    return LoginLog.objects.create(
        username=username[:150],
        user=user,
        success=success,
        reason=stored_text(reason) if reason else ("" if success else stored_text(_WRONG_PASSWORD)),
        ip=client_ip(request) if request is not None else None,
        user_agent=_user_agent(request),
    )


# The operation log is kept for good, so what one request may put into it is bounded.
MAX_VALUE_CHARS = 256
MAX_ITEMS = 50


def mask_value(key: str, value):
    """Passwords and secrets become ******; anything that looks like an ID number is masked; long text is cut."""
    if SECRET_KEYS.search(key):
        return "******"
    if IDENTITY_KEYS.search(key) and isinstance(value, str) and value.strip():
        return mask_idcard(re.sub(r"\s", "", value))
    if isinstance(value, str):
        masked = ID_NUMBER.sub(lambda m: mask_idcard(m.group(0)), value[: MAX_VALUE_CHARS + 18])
        return masked if len(value) <= MAX_VALUE_CHARS else f"{masked[:MAX_VALUE_CHARS]}…（共 {len(value)} 字符）"
    if isinstance(value, list):
        return [mask_value(key, v) for v in value[:MAX_ITEMS]]
    if isinstance(value, dict):
        return {str(k)[:64]: mask_value(str(k), v) for k, v in list(value.items())[:MAX_ITEMS]}
    return value


def masked_params(request) -> dict:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return {"_body": stored_text(_UNPARSABLE_JSON)}
        return mask_value("", data if isinstance(data, dict) else {"_body": data})
    data = {key: values if len(values) > 1 else values[0] for key, values in request.POST.lists()}
    data.update({f"file:{key}": f.name for key, f in request.FILES.items()})
    return mask_value("", data)


def operation_log_write(*, request, params: dict, status: int) -> OperationLog:
    user = request.user if request.user.is_authenticated else None
    return OperationLog.objects.create(
        user=user,
        username=user.username if user else "",
        request_id=getattr(request, "request_id", ""),
        method=request.method,
        path=request.path[:255],
        status=status,
        params=params,
        ip=client_ip(request),
        user_agent=_user_agent(request),
    )


# --- users ------------------------------------------------------------------------------------------------


def _check_role_binding(user: User) -> None:
    if user.role in ORG_ROLES and not user.organisation_id:
        raise ServiceError({"organisation": [gettext("企业用户和服务机构用户必须选择所属单位")]})


def _check_password(password: str, user: User, field: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError({field: exc.messages}) from exc


def _guard_separation(actor, target: User, new_role: str | None = None) -> None:
    """三员分立: nobody changes their own role, and the three administrators' accounts are not managed from the
    web by anyone (only with the command line on the server), so no administrator can take over another."""
    if actor is None:
        return
    if actor.pk is not None and actor.pk == target.pk and new_role not in (None, target.role):
        raise AccessDenied(gettext("不能变更自己的角色"))
    if actor.pk != target.pk and (target.role in ADMIN_ROLES or new_role in ADMIN_ROLES):
        raise AccessDenied(gettext("三员（系统、安全、审计管理员）账号只能在服务器上用命令行管理"))


def user_create(*, actor, username: str, role: str, password: str | None = None, **fields) -> tuple[User, str | None]:
    """Create an account; without a password one is generated, shown once, and must be changed at first login."""
    generated = None
    if not password:
        password = generated = generate_password()
    user = User(username=username, role=role, must_change_password=generated is not None, **fields)
    _guard_separation(actor, user, role)
    _check_role_binding(user)
    _check_password(password, user, "password")
    user.set_password(password)
    record_create(actor=actor, instance=user, check=actor is not None)
    return user, generated


def user_update(*, actor, user: User, data: dict) -> User:
    """Change an account; only the security administrator changes roles (三员分立)."""
    if "role" in data and data["role"] != user.role and actor is not None and actor.role != Role.SECADMIN:
        raise ServiceError({"role": [gettext("只有安全管理员可以变更角色")]})
    _guard_separation(actor, user, data.get("role"))
    with transaction.atomic():
        record_update(actor=actor, instance=user, data=data, check=actor is not None)
        _check_role_binding(user)
    return user


@transaction.atomic
def user_unlock(*, actor, user: User) -> User:
    _guard_separation(actor, user)
    return record_update(
        actor=actor, instance=user, data={"failed_logins": 0, "locked_until": None}, check=actor is not None
    )


@transaction.atomic
def password_set(*, actor, user: User, password: str) -> None:
    """Set a user's own new password; the audit row says that it changed, never what it is."""
    _check_password(password, user, "new_password1")
    if user.check_password(password):
        raise ServiceError({"new_password1": [gettext("新密码不能与原密码相同")]})
    before = snapshot(user)
    user.set_password(password)
    user.must_change_password = False
    user.password_changed = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed"])
    audit_write(actor=actor, action=AuditAction.UPDATE, instance=user, before=before, after=snapshot(user))


@transaction.atomic
def password_reset(*, actor, user: User) -> str:
    """Give a user a new generated password that must be changed at next sign-in (actor None: the server's
    command line, the only way for the three administrators' accounts)."""
    if actor is not None:
        ensure_may(actor, "change", user)
    _guard_separation(actor, user)
    password = generate_password()
    before = snapshot(user)
    user.set_password(password)
    user.must_change_password = True
    user.failed_logins, user.locked_until = 0, None
    user.save()
    audit_write(actor=actor, action=AuditAction.UPDATE, instance=user, before=before, after=snapshot(user))
    return password


@transaction.atomic
def registration_submit(
    *, uscc: str, name: str, region, username: str, password: str, full_name: str, phone: str
) -> User:
    """Enterprise self-registration with its credit code; the account waits for a bureau user's approval."""
    from kechuang.orgs.services import organisation_for_registration

    if User.objects.filter(username=username).exists():
        raise ServiceError({"username": [gettext("账号“{username}”已被使用，请换一个").format(username=username)]})
    organisation = organisation_for_registration(uscc=uscc, name=name, region=region)
    user = User(
        username=username,
        role=Role.ENTERPRISE,
        organisation=organisation,
        region=organisation.region,
        full_name=full_name,
        phone=phone,
        registration_status=RegistrationStatus.PENDING,
    )
    _check_password(password, user, "password1")
    user.set_password(password)
    return record_create(actor=None, instance=user, check=False)


@transaction.atomic
def registration_decide(*, actor, user: User, approve: bool, note: str = "") -> User:
    ensure_may(actor, "approve", user)
    if user.registration_status != RegistrationStatus.PENDING:
        raise ServiceError(gettext("该注册申请已经处理过"))
    before = snapshot(user)
    user.registration_status = RegistrationStatus.APPROVED if approve else RegistrationStatus.REJECTED
    user.save(update_fields=["registration_status"])
    after = snapshot(user) | {"note": note}
    audit_write(actor=actor, action=AuditAction.APPROVE, instance=user, before=before, after=after)
    if approve and user.organisation_id:
        from kechuang.orgs.services import organisation_activate

        organisation_activate(actor=actor, organisation=user.organisation)
    return user


@transaction.atomic
def token_create(*, actor, user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal API token; the key is returned once and only its hash is kept."""
    key = ApiToken.new_key()
    token = ApiToken(user=user, name=name, prefix=key[3:9], digest=ApiToken.hash(key))
    token.save()
    audit_write(
        actor=actor,
        action=AuditAction.CREATE,
        instance=token,
        before=None,
        after={"user": user.pk, "name": name, "prefix": token.prefix},
    )
    return token, key


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> None:
    """Revoke a personal token; it stops working at once."""
    audit_write(
        actor=actor,
        action=AuditAction.DELETE,
        instance=token,
        before={"user": token.user_id, "name": token.name, "prefix": token.prefix},
        after=None,
    )
    token.delete()


def token_user(key: str) -> User | None:
    """The user a token belongs to, unless the token expired or the account may not sign in right now."""
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.hash(key)).first()
    if token is None or (token.expires and token.expires < timezone.now()):
        return None
    user = token.user
    if not user.is_active or user.is_locked or user.must_change_password:
        return None
    if user.registration_status != RegistrationStatus.APPROVED:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    return user
