"""Writes to the activities registry; every one is checked by restrict() and audited in its transaction."""

from django.db import transaction

from kechuang.core.services import record_add, record_delete, record_update

from .models import Activity, PopularisationSpending

__all__ = [
    "activity_create",
    "activity_delete",
    "activity_update",
    "spending_create",
    "spending_delete",
    "spending_update",
]


@transaction.atomic
def activity_create(*, actor, **fields) -> Activity:
    return record_add(actor=actor, instance=Activity(**fields))


@transaction.atomic
def activity_update(*, actor, activity: Activity, data: dict) -> Activity:
    return record_update(actor=actor, instance=activity, data=data, check=actor is not None)


def activity_delete(*, actor, activity: Activity) -> None:
    record_delete(actor=actor, instance=activity, check=actor is not None)


@transaction.atomic
def spending_create(*, actor, **fields) -> PopularisationSpending:
    return record_add(actor=actor, instance=PopularisationSpending(**fields))


@transaction.atomic
def spending_update(*, actor, spending: PopularisationSpending, data: dict) -> PopularisationSpending:
    return record_update(actor=actor, instance=spending, data=data, check=actor is not None)


def spending_delete(*, actor, spending: PopularisationSpending) -> None:
    record_delete(actor=actor, instance=spending, check=actor is not None)
