"""The IP registry's tabs on an organisation's master-file page (一企一档)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.orgs.sections import Section, register_section

from .models import OtherIP, Patent
from .selectors import patents_of
from .tables import OrganisationPatentTable, OtherIPTable


def register() -> None:
    register_section(
        Section(
            tab="patents",
            title=_("专利"),
            model=Patent,
            table=OrganisationPatentTable,
            # Every patent naming the organisation as an owner, first or not.
            records=patents_of,
            create_url=lambda org: f"{reverse('ip:patent_create')}?owner={org.pk}",
        )
    )
    register_section(
        Section(
            tab="other-ip",
            title=_("其他知识产权"),
            model=OtherIP,
            table=OtherIPTable,
            records=lambda qs, org: qs.filter(organisation=org).select_related("organisation"),
            create_url=lambda org: f"{reverse('ip:otherip_create')}?organisation={org.pk}",
        )
    )
