"""The carriers registry's tabs on an organisation's master-file page (一企一档)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.orgs.sections import Section, register_section

from .models import Carrier, Tenant
from .tables import CarrierTable, TenantTable


def register() -> None:
    register_section(
        Section(
            tab="carriers",
            title=_("创新载体"),
            model=Carrier,
            table=CarrierTable,
            records=lambda qs, org: qs.filter(host=org).select_related("host", "host__region"),
            create_url=lambda org: f"{reverse('carriers:create')}?host={org.pk}",
        )
    )
    register_section(
        Section(
            tab="tenancies",
            title=_("入驻孵化"),
            model=Tenant,
            table=TenantTable,
            # The organisation as a tenant, and the tenants of the incubators and maker spaces it runs.
            records=lambda qs, org: qs.filter(Q(organisation=org) | Q(carrier__host=org)).select_related(
                "carrier", "organisation"
            ),
        )
    )
