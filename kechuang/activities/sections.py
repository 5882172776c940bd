"""The activities registry's tab on an organisation's master-file page: the activities it organised (承办)."""

from django.utils.translation import gettext_lazy as _

from kechuang.orgs.sections import Section, register_section

from .models import Activity
from .tables import ActivityTable


def register() -> None:
    register_section(
        Section(
            tab="activities",
            title=_("科技活动"),
            model=Activity,
            table=ActivityTable,
            records=lambda qs, org: qs.filter(organisation=org).select_related("region"),
        )
    )
