"""Writes to the innovation carriers registry; every one is checked by restrict() and audited in its transaction."""

from django.db import transaction

from kechuang.core.access import ensure_may
from kechuang.core.services import record_add, record_delete, record_update

from .models import Carrier, Tenant

__all__ = ["carrier_create", "carrier_delete", "carrier_update", "tenant_create", "tenant_delete", "tenant_update"]


@transaction.atomic
def carrier_create(*, actor, **fields) -> Carrier:
    return record_add(actor=actor, instance=Carrier(**fields))


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
    return record_add(actor=actor, instance=Tenant(**fields))


@transaction.atomic
def tenant_update(*, actor, tenant: Tenant, data: dict) -> Tenant:
    return record_update(actor=actor, instance=tenant, data=data, check=actor is not None)


def tenant_delete(*, actor, tenant: Tenant) -> None:
    record_delete(actor=actor, instance=tenant, check=actor is not None)
