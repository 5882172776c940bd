"""URLs of the activities registry (科技活动、科普) under /activities/."""

from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.ActivityListView.as_view(), name="list"),
    path("new/", views.ActivityFormView.as_view(), name="create"),
    path("<id:pk>/", views.activity_detail, name="detail"),
    path("<id:pk>/edit/", views.ActivityFormView.as_view(), name="edit"),
    path("<id:pk>/delete/", views.ActivityDeleteView.as_view(), name="delete"),
    path("spending/", views.SpendingListView.as_view(), name="spending_list"),
    path("spending/new/", views.SpendingFormView.as_view(), name="spending_create"),
    path("spending/per-resident/", views.per_resident, name="per_resident"),
    path("spending/<id:pk>/", views.spending_detail, name="spending_detail"),
    path("spending/<id:pk>/edit/", views.SpendingFormView.as_view(), name="spending_edit"),
    path("spending/<id:pk>/delete/", views.SpendingDeleteView.as_view(), name="spending_delete"),
]
