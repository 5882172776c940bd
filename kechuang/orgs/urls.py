from django.urls import path

from . import views
from .models import AnnualFigures, Certificate, PoolMembership, ServiceRecord

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
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.OrganisationFormView.as_view(), name="edit"),
    path("<int:pk>/delete/", views.OrganisationDeleteView.as_view(), name="delete"),
    path("figures/", views.FiguresListView.as_view(), name="figures_list"),
    path("certificates/", views.CertificateListView.as_view(), name="certificate_list"),
    path("memberships/", views.PoolMembershipListView.as_view(), name="membership_list"),
    path("services/", views.ServiceRecordListView.as_view(), name="service_list"),
    path("figures/<int:pk>/", views.figures_detail, name="figures_detail"),
    path("figures/<int:pk>/submit/", views.figures_submit, name="figures_submit"),
    path("figures/<int:pk>/approve/", views.figures_approve, name="figures_approve"),
    path("figures/<int:pk>/return/", views.figures_return, name="figures_return"),
    path("rounds/", views.ReportingRoundListView.as_view(), name="round_list"),
    path("rounds/new/", views.ReportingRoundFormView.as_view(), name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.ReportingRoundFormView.as_view(), name="round_edit"),
    path("rounds/<int:pk>/review/", views.round_review, name="round_review"),
]
for prefix, model, form_view in CHILDREN:
    name = model._meta.model_name
    urlpatterns += [
        path(f"<int:org>/{prefix}/new/", form_view.as_view(), name=f"{name}_create"),
        path(f"{prefix}/<int:pk>/edit/", form_view.as_view(), name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/delete/", views.ChildDeleteView.as_view(model=model), name=f"{name}_delete"),
    ]
