from django.urls import path

from . import views

app_name = "talent"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="list"),
    path("new/", views.PersonFormView.as_view(), name="create"),
    path("<id:pk>/", views.person_detail, name="detail"),
    path("<id:pk>/edit/", views.PersonFormView.as_view(), name="edit"),
    path("<id:pk>/delete/", views.PersonDeleteView.as_view(), name="delete"),
    path("<id:person>/titles/new/", views.TitleFormView.as_view(), name="title_create"),
    path("titles/<id:pk>/edit/", views.TitleFormView.as_view(), name="title_edit"),
    path("titles/<id:pk>/delete/", views.title_delete, name="title_delete"),
    path("commissioners/", views.CommissionerListView.as_view(), name="commissioner_list"),
    path("commissioners/summary/", views.commissioner_summary, name="commissioner_summary"),
    path("commissioners/new/", views.CommissionerFormView.as_view(), name="commissioner_create"),
    path("<id:person>/commissioners/new/", views.CommissionerFormView.as_view(), name="commissioner_create_for"),
    path("commissioners/<id:pk>/", views.commissioner_detail, name="commissioner_detail"),
    path("commissioners/<id:pk>/edit/", views.CommissionerFormView.as_view(), name="commissioner_edit"),
    path("commissioners/<id:pk>/delete/", views.CommissionerDeleteView.as_view(), name="commissioner_delete"),
    path("service-logs/", views.ServiceLogListView.as_view(), name="servicelog_list"),
    path("service-logs/new/", views.ServiceLogFormView.as_view(), name="servicelog_create"),
    path(
        "commissioners/<id:commissioner>/service-logs/new/",
        views.ServiceLogFormView.as_view(),
        name="servicelog_create_for",
    ),
    path("service-logs/<id:pk>/", views.servicelog_detail, name="servicelog_detail"),
    path("service-logs/<id:pk>/edit/", views.ServiceLogFormView.as_view(), name="servicelog_edit"),
    path("service-logs/<id:pk>/delete/", views.ServiceLogDeleteView.as_view(), name="servicelog_delete"),
    path("service-logs/<id:pk>/photos/new/", views.photo_upload, name="photo_upload"),
    path("service-logs/<id:pk>/photos/<id:photo_pk>/", views.photo_view, name="photo"),
    path("service-logs/<id:pk>/photos/<id:photo_pk>/delete/", views.photo_delete, name="photo_delete"),
]
