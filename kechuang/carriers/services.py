"""Writes to the innovation carriers registry; every one is checked by restrict() and audited in its transaction."""

from django.db import models, transaction
from django.utils.translation import gettext

from kechuang.core.access import ACTION_LABELS, AccessDenied, ensure_may, permitted
from kechuang.core.services import record_create, record_delete, record_update

from .models import Carrier, Tenant

__all__ = ["carrier_create", "carrier_delete", "carrier_update", "tenant_create", "tenant_delete", "tenant_update"]


def _create(actor, instance: models.Model) -> models.Model:
    """Permission first, then the record's own rules (so a record without a place is told why), then its scope."""
    if actor is not None and not permitted(actor, type(instance), "add"):
        raise AccessDenied(
            gettext("无权{action}该{model}").format(action=ACTION_LABELS["add"], model=instance._meta.verbose_name)
        )
    instance.full_clean()
    return record_create(actor=actor, instance=instance, check=actor is not None)


@transaction.atomic
def carrier_create(*, actor, **fields) -> Carrier:
    return _create(actor, Carrier(**fields))


@transaction.atomic
def carrier_update(*, actor, carrier: Carrier, data: dict) -> Carrier:
    return record_update(actor=actor, instance=carrier, data=data, check=actor is not None)


def carrier_delete(*, actor, carrier: Carrier) -> None:
    """Delete a carrier; its tenants go with it (each one audited first)."""
    with transaction.atomic():
        if actor is not None:
            ensure_may(actor, "delete", carrier)
        for tenant in carrier.tenants.all():
            record_delete(actor=actor, instance=tenant, check=actor is not None)
        record_delete(actor=actor, instance=carrier, check=actor is not None)


@transaction.atomic
def tenant_create(*, actor, **fields) -> Tenant:
    return _create(actor, Tenant(**fields))


@transaction.atomic
def tenant_update(*, actor, tenant: Tenant, data: dict) -> Tenant:
    return record_update(actor=actor, instance=tenant, data=data, check=actor is not None)


def tenant_delete(*, actor, tenant: Tenant) -> None:
    record_delete(actor=actor, instance=tenant, check=actor is not None)
