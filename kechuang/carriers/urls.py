"""URLs of the innovation carriers registry (创新载体) under /carriers/."""

from django.urls import path

from . import views

app_name = "carriers"

urlpatterns = [
    path("", views.CarrierListView.as_view(), name="list"),
    path("new/", views.CarrierFormView.as_view(), name="create"),
    path("<id:pk>/", views.carrier_detail, name="detail"),
    path("<id:pk>/edit/", views.CarrierFormView.as_view(), name="edit"),
    path("<id:pk>/delete/", views.CarrierDeleteView.as_view(), name="delete"),
    path("tenants/", views.TenantListView.as_view(), name="tenant_list"),
    path("tenants/new/", views.TenantFormView.as_view(), name="tenant_create"),
    path("tenants/<id:pk>/", views.tenant_detail, name="tenant_detail"),
    path("tenants/<id:pk>/edit/", views.TenantFormView.as_view(), name="tenant_edit"),
    path("tenants/<id:pk>/delete/", views.TenantDeleteView.as_view(), name="tenant_delete"),
]
