"""The talent registry's tabs on an organisation's master-file page: its people and the commissioners it sent."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.orgs.sections import Section, register_section

from .models import Commissioner, Person
from .tables import CommissionerTable, PersonSectionTable

register_section(
    Section(
        tab="talents",
        title=_("科技人才"),
        model=Person,
        table=PersonSectionTable,
        records=lambda people, organisation: people.filter(organisation=organisation).prefetch_related("titles"),
        create_url=lambda organisation: f"{reverse('talent:create')}?organisation={organisation.pk}",
    )
)
register_section(
    Section(
        tab="commissioners",
        title=_("派出的科技特派员"),
        model=Commissioner,
        table=CommissionerTable,
        records=lambda roster, organisation: roster.filter(sending_unit=organisation).select_related(
            "person", "township", "sending_unit"
        ),
    )
)
