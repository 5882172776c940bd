"""The registry's tabs on an organisation's master-file page: the records the organisation takes part in."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.orgs.sections import Section, register_section

from .models import Achievement, Award, Conversion, TechContract
from .selectors import records_of
from .tables import AchievementTable, AwardTable, ConversionTable, TechContractTable


def _create(url_name: str, field: str):
    return lambda organisation: f"{reverse(url_name)}?{field}={organisation.pk}"


SECTIONS = (
    Section(
        tab="achievements",
        title=_("科技成果"),
        model=Achievement,
        table=AchievementTable,
        records=lambda qs, org: (
            records_of(qs, org).select_related("organisation").prefetch_related("units__organisation")
        ),
        create_url=_create("achievements:create", "organisation"),
    ),
    Section(
        tab="achievement-conversions",
        title=_("成果转化"),
        model=Conversion,
        table=ConversionTable,
        records=lambda qs, org: records_of(qs, org).select_related(
            "achievement", "achievement__organisation", "organisation"
        ),
        create_url=_create("achievements:conversion_create", "organisation"),
    ),
    Section(
        tab="tech-contracts",
        title=_("技术合同"),
        model=TechContract,
        table=TechContractTable,
        records=lambda qs, org: records_of(qs, org).select_related("seller", "buyer", "buyer__region", "buyer_region"),
        create_url=_create("achievements:contract_create", "seller"),
    ),
    Section(
        tab="st-awards",
        title=_("科技奖励"),
        model=Award,
        table=AwardTable,
        records=lambda qs, org: (
            records_of(qs, org).select_related("organisation").prefetch_related("participants__organisation")
        ),
        create_url=_create("achievements:award_create", "organisation"),
    ),
)


def register() -> None:
    for section in SECTIONS:
        register_section(section)
