"""The master file's tabs for what the evaluations need: monthly head counts, R&D-management evidence and integrity
records (issue #5 requirement 2)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import IntegrityRecord, MonthlyHeadcount, RDManagementEvidence
from .sections import Section, register_section
from .tables import IntegrityRecordSectionTable, MonthlyHeadcountSectionTable, RDManagementEvidenceSectionTable

SECTIONS = (
    (MonthlyHeadcount, _("月度职工人数"), MonthlyHeadcountSectionTable),
    (RDManagementEvidence, _("研发组织管理佐证"), RDManagementEvidenceSectionTable),
    (IntegrityRecord, _("违法失信记录"), IntegrityRecordSectionTable),
)


def _create_url(model):
    if model is MonthlyHeadcount:  # the whole last year on one page: the fiscal year evaluations read
        return lambda organisation: reverse(
            "orgs:monthlyheadcount_year", args=[organisation.pk, timezone.localdate().year - 1]
        )
    return lambda organisation: reverse(f"orgs:{model._meta.model_name}_create", args=[organisation.pk])


def register() -> None:
    for model, title, table in SECTIONS:
        register_section(
            Section(
                tab=model.tab,
                title=title,
                model=model,
                table=table,
                records=lambda qs, organisation: qs.filter(organisation=organisation),
                create_url=_create_url(model),
            )
        )
