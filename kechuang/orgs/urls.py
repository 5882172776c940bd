from django.urls import path

from . import views
from .models import (
    AnnualFigures,
    Certificate,
    IntegrityRecord,
    MonthlyHeadcount,
    PoolMembership,
    RDManagementEvidence,
    ServiceRecord,
)

app_name = "orgs"

CHILDREN = (
    ("figures", AnnualFigures, views.FiguresFormView),
    ("certificates", Certificate, views.CertificateFormView),
    ("memberships", PoolMembership, views.PoolMembershipFormView),
    ("services", ServiceRecord, views.ServiceRecordFormView),
)

urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="list"),
    path("new/", views.OrganisationFormView.as_view(), name="create"),
    path("<id:pk>/", views.organisation_detail, name="detail"),
    path("<id:pk>/edit/", views.OrganisationFormView.as_view(), name="edit"),
    path("<id:pk>/delete/", views.OrganisationDeleteView.as_view(), name="delete"),
    path("figures/", views.FiguresListView.as_view(), name="figures_list"),
    path("certificates/", views.CertificateListView.as_view(), name="certificate_list"),
    path("memberships/", views.PoolMembershipListView.as_view(), name="membership_list"),
    path("services/", views.ServiceRecordListView.as_view(), name="service_list"),
    path("figures/<id:pk>/", views.figures_detail, name="figures_detail"),
    path("figures/<id:pk>/submit/", views.figures_submit, name="figures_submit"),
    path("figures/<id:pk>/approve/", views.figures_approve, name="figures_approve"),
    path("figures/<id:pk>/return/", views.figures_return, name="figures_return"),
    path("rounds/", views.ReportingRoundListView.as_view(), name="round_list"),
    path("rounds/new/", views.ReportingRoundFormView.as_view(), name="round_create"),
    path("rounds/<id:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<id:pk>/edit/", views.ReportingRoundFormView.as_view(), name="round_edit"),
    path("rounds/<id:pk>/review/", views.round_review, name="round_review"),
]
for prefix, model, form_view in CHILDREN:
    name = model._meta.model_name
    urlpatterns += [
        path(f"<id:org>/{prefix}/new/", form_view.as_view(), name=f"{name}_create"),
        path(f"{prefix}/<id:pk>/edit/", form_view.as_view(), name=f"{name}_edit"),
        path(f"{prefix}/<id:pk>/delete/", views.ChildDeleteView.as_view(model=model), name=f"{name}_delete"),
    ]

# What the evaluations need (monthly head counts, R&D-management evidence, integrity records): a list across
# organisations, a page per record with its attachments, and the forms.
EVALUATION_RECORDS = (
    ("headcounts", MonthlyHeadcount, views.MonthlyHeadcountFormView, views.MonthlyHeadcountListView),
    ("rd-evidence", RDManagementEvidence, views.RDManagementEvidenceFormView, views.RDManagementEvidenceListView),
    ("integrity", IntegrityRecord, views.IntegrityRecordFormView, views.IntegrityRecordListView),
)
urlpatterns.append(path("<id:org>/headcounts/<id:year>/", views.headcount_year, name="monthlyheadcount_year"))
for prefix, model, form_view, list_view in EVALUATION_RECORDS:
    name = model._meta.model_name
    urlpatterns += [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}_list"),
        path(f"<id:org>/{prefix}/new/", form_view.as_view(), name=f"{name}_create"),
        path(f"{prefix}/<id:pk>/", views.evaluation_record_detail, {"model": model}, name=f"{name}_detail"),
        path(f"{prefix}/<id:pk>/edit/", form_view.as_view(), name=f"{name}_edit"),
        path(
            f"{prefix}/<id:pk>/delete/",
            views.EvaluationRecordDeleteView.as_view(model=model),
            name=f"{name}_delete",
        ),
    ]
