"""The one door to data: ``restrict(user, action)`` on querysets, and ``ensure_may`` for single records.

A model states where its data scope lives with two class attributes, both ORM lookup paths:
``scope_region`` (path to a ``regions.Region``) and ``scope_org`` (path to an ``orgs.Organisation``, or
``"pk"`` on Organisation itself). A model may instead define ``restrict_scope(queryset, scope)``.
"""

import logging
from dataclasses import dataclass
from functools import reduce

from django.db import models
from django.utils.translation import gettext, pgettext_lazy

from .exceptions import AccessDenied

security_log = logging.getLogger("kechuang.security")

ACTIONS = ("view", "add", "change", "delete", "export", "import", "approve")


@dataclass(frozen=True)
class Scope:
    """What part of the data a user sees: everything, a region subtree, one organisation, or nothing."""

    kind: str  # all | region | org | none
    region_path: str = ""
    org_id: int | None = None
    role: str = ""


def user_scope(user) -> Scope:
    from kechuang.accounts.roles import is_installation_admin, scope_kind

    kind, role = scope_kind(user.role), user.role
    region_path = user.region.path if user.region_id else ""
    if kind == "org" and user.organisation_id:
        # An organisation's users belong where their organisation is, whatever their own region field says.
        region_path = user.organisation.region.path
    if kind == "region" and region_path:
        return Scope("region", region_path=region_path, role=role)
    if kind == "region":
        # An administrator without a region runs the whole installation; a bureau user without one sees nothing.
        return Scope("all" if is_installation_admin(user) else "none", role=role)
    if kind == "org" and user.organisation_id:
        return Scope("org", region_path=region_path, org_id=user.organisation_id, role=role)
    return Scope("none" if kind == "org" else kind, region_path=region_path, role=role)


def permitted(user, model: type[models.Model], action: str) -> bool:
    """Whether the user's role may do ``action`` on this kind of record at all."""
    from kechuang.accounts.roles import role_allows

    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    return bool(user and user.is_authenticated and user.is_active and role_allows(user.role, model, action))


def ensure_permitted(user, model: type[models.Model], action: str) -> None:
    """Raise AccessDenied unless the user's role may do ``action`` on this kind of record at all (``None``, the
    system, may). Checked before any reference is resolved or any rule checked, so a user without the right is told
    so; the scope is checked on the record itself (``ensure_may``)."""
    if user is not None and not permitted(user, model, action):
        raise AccessDenied(
            gettext("无权{action}该{model}").format(action=ACTION_LABELS[action], model=model._meta.verbose_name)
        )


def apply_scope(queryset: models.QuerySet, scope: Scope) -> models.QuerySet:
    model = queryset.model
    if hasattr(model, "restrict_scope"):
        return model.restrict_scope(queryset, scope)
    region_path, org_path = getattr(model, "scope_region", None), getattr(model, "scope_org", None)
    if scope.kind == "all" or not (region_path or org_path):
        return queryset  # reference data (regions, industries) has no data scope: the permission decides
    if scope.kind == "region" and region_path:
        return queryset.filter(**{f"{region_path}__path__startswith": scope.region_path})
    if scope.kind == "org" and org_path:
        return queryset.filter(**{org_path: scope.org_id})
    return queryset.none()


def restrict(queryset, user, action: str = "view") -> models.QuerySet:
    """The records of ``queryset`` (or a model) that ``user`` may ``action``. Every read goes through here."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    if not permitted(user, queryset.model, action):
        return queryset.none()
    return apply_scope(queryset, user_scope(user))


def _follow(instance, path: str):
    if path == "pk":
        return instance.pk
    return reduce(lambda obj, name: getattr(obj, name, None) if obj is not None else None, path.split("__"), instance)


def instance_in_scope(instance: models.Model, scope: Scope) -> bool:
    """The same rule as ``apply_scope``, for one record that may not be saved yet."""
    model = type(instance)
    if hasattr(model, "instance_in_scope"):
        return model.instance_in_scope(instance, scope)
    region_path, org_path = getattr(model, "scope_region", None), getattr(model, "scope_org", None)
    if scope.kind == "all" or not (region_path or org_path):
        return True
    if scope.kind == "region" and region_path:
        region = _follow(instance, region_path)
        return region is not None and region.path.startswith(scope.region_path)
    if scope.kind == "org" and org_path:
        org_id = getattr(_follow(instance, org_path), "pk", _follow(instance, org_path))
        return org_id is not None and org_id == scope.org_id
    return False


def may(user, action: str, instance: models.Model) -> bool:
    return permitted(user, type(instance), action) and instance_in_scope(instance, user_scope(user))


def ensure_may(user, action: str, instance: models.Model) -> None:
    """Raise AccessDenied, and log it, unless ``user`` may ``action`` this record."""
    if may(user, action, instance):
        return
    security_log.warning(
        "access refused: user=%s action=%s object=%s:%s",
        getattr(user, "username", None),
        action,
        instance._meta.label,
        instance.pk,
    )
    raise AccessDenied(
        gettext("无权{action}该{model}").format(
            action=ACTION_LABELS.get(action, action), model=instance._meta.verbose_name
        )
    )


# The verb of a refusal: 无权<verb>该<record> / "You may not <verb> this <record>".
ACTION_LABELS = {
    "view": pgettext_lazy("permission", "查看"),
    "add": pgettext_lazy("permission", "新增"),
    "change": pgettext_lazy("permission", "修改"),
    "delete": pgettext_lazy("permission", "删除"),
    "export": pgettext_lazy("permission", "导出"),
    "import": pgettext_lazy("permission", "导入"),
    "approve": pgettext_lazy("permission", "审核"),
}
