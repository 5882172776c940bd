from django.urls import path

from . import views

app_name = "scoring"

urlpatterns = [
    path("", views.model_list, name="list"),
    path("new/", views.model_create, name="create"),
    path("candidates/", views.candidates, name="candidates"),
    path("<id:pk>/", views.model_detail, name="detail"),
    path("<id:pk>/edit/", views.model_edit, name="edit"),
    path("<id:pk>/publish/", views.model_publish, name="publish"),
    path("<id:pk>/retire/", views.model_retire, name="retire"),
    path("<id:pk>/new-version/", views.model_new_version, name="new_version"),
    path("<id:pk>/delete/", views.model_delete, name="delete"),
    path("<id:pk>/evaluate/", views.model_evaluate, name="evaluate"),
]
