"""Writes to the activities registry; every one is checked by restrict() and audited in its transaction."""

from django.db import models, transaction
from django.utils.translation import gettext

from kechuang.core.access import ACTION_LABELS, AccessDenied, permitted
from kechuang.core.services import record_create, record_delete, record_update

from .models import Activity, PopularisationSpending

__all__ = [
    "activity_create",
    "activity_delete",
    "activity_update",
    "spending_create",
    "spending_delete",
    "spending_update",
]


def _create(actor, instance: models.Model) -> models.Model:
    """Permission first, then the record's own rules, then its scope (record_create)."""
    if actor is not None and not permitted(actor, type(instance), "add"):
        raise AccessDenied(
            gettext("无权{action}该{model}").format(action=ACTION_LABELS["add"], model=instance._meta.verbose_name)
        )
    instance.full_clean()
    return record_create(actor=actor, instance=instance, check=actor is not None)


@transaction.atomic
def activity_create(*, actor, **fields) -> Activity:
    return _create(actor, Activity(**fields))


@transaction.atomic
def activity_update(*, actor, activity: Activity, data: dict) -> Activity:
    return record_update(actor=actor, instance=activity, data=data, check=actor is not None)


def activity_delete(*, actor, activity: Activity) -> None:
    record_delete(actor=actor, instance=activity, check=actor is not None)


@transaction.atomic
def spending_create(*, actor, **fields) -> PopularisationSpending:
    return _create(actor, PopularisationSpending(**fields))


@transaction.atomic
def spending_update(*, actor, spending: PopularisationSpending, data: dict) -> PopularisationSpending:
    return record_update(actor=actor, instance=spending, data=data, check=actor is not None)


def spending_delete(*, actor, spending: PopularisationSpending) -> None:
    record_delete(actor=actor, instance=spending, check=actor is not None)
