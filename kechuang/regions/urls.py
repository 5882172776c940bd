from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("", views.RegionListView.as_view(), name="list"),
    path("import/", views.region_import, name="import"),
    path("import/template/<str:kind>/", views.import_template, name="import_template"),
]
