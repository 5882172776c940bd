from django.urls import path

from . import views

app_name = "ip"

urlpatterns = [
    path("", views.PatentListView.as_view(), name="patent_list"),
    path("new/", views.PatentFormView.as_view(), name="patent_create"),
    path("<id:pk>/", views.patent_detail, name="patent_detail"),
    path("<id:pk>/edit/", views.PatentFormView.as_view(), name="patent_edit"),
    path("<id:pk>/delete/", views.PatentDeleteView.as_view(), name="patent_delete"),
    path("<id:pk>/events/new/", views.PatentEventCreateView.as_view(), name="event_create"),
    path("events/<id:pk>/delete/", views.PatentEventDeleteView.as_view(), name="event_delete"),
    path("other/", views.OtherIPListView.as_view(), name="otherip_list"),
    path("other/new/", views.OtherIPFormView.as_view(), name="otherip_create"),
    path("other/<id:pk>/", views.otherip_detail, name="otherip_detail"),
    path("other/<id:pk>/edit/", views.OtherIPFormView.as_view(), name="otherip_edit"),
    path("other/<id:pk>/delete/", views.OtherIPDeleteView.as_view(), name="otherip_delete"),
]
