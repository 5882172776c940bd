from django.urls import path

from . import views

app_name = "ip"

urlpatterns = [
    path("", views.PatentListView.as_view(), name="patent_list"),
    path("new/", views.PatentFormView.as_view(), name="patent_create"),
    path("<int:pk>/", views.patent_detail, name="patent_detail"),
    path("<int:pk>/edit/", views.PatentFormView.as_view(), name="patent_edit"),
    path("<int:pk>/delete/", views.PatentDeleteView.as_view(), name="patent_delete"),
    path("<int:pk>/events/new/", views.PatentEventCreateView.as_view(), name="event_create"),
    path("events/<int:pk>/delete/", views.PatentEventDeleteView.as_view(), name="event_delete"),
    path("other/", views.OtherIPListView.as_view(), name="otherip_list"),
    path("other/new/", views.OtherIPFormView.as_view(), name="otherip_create"),
    path("other/<int:pk>/", views.otherip_detail, name="otherip_detail"),
    path("other/<int:pk>/edit/", views.OtherIPFormView.as_view(), name="otherip_edit"),
    path("other/<int:pk>/delete/", views.OtherIPDeleteView.as_view(), name="otherip_delete"),
]
