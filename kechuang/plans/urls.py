from django.urls import include, path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="list"),
    path("import/", views.plan_import, name="import"),
    path("new/", views.PlanCreateView.as_view(), name="plan_create"),
    path("cockpit/", include("kechuang.plans.cockpit_urls")),
    path("observations/", views.ObservationListView.as_view(), name="observations"),
    path("observations/new/", views.observation_create, name="observation_create"),
    path("observations/import/", views.observation_import, name="observation_import"),
    path("observations/template.csv", views.observation_template, name="observation_template"),
    path("observations/<id:pk>/", views.observation_detail, name="observation_detail"),
    path("observations/<id:pk>/<slug:action>/", views.observation_action, name="observation_action"),
    path("<slug:code>/", views.plan_detail, name="plan_detail"),
    path("<slug:code>/edit/", views.PlanFormView.as_view(), name="plan_edit"),
    path("<slug:code>/export.<str:fmt>", views.plan_export, name="plan_export"),
    path("<slug:code>/assessment/", views.assessment, name="assessment"),
    path("<slug:code>/quality/", views.quality, name="quality"),
    path("<slug:code>/indicators/new/", views.IndicatorCreateView.as_view(), name="indicator_create"),
    path("<slug:code>/indicators/<slug:indicator>/", views.indicator_detail, name="indicator_detail"),
    path("<slug:code>/indicators/<slug:indicator>/edit/", views.IndicatorFormView.as_view(), name="indicator_edit"),
    path("<slug:code>/indicators/<slug:indicator>/revise/", views.revision_add, name="revision_add"),
    path("<slug:code>/indicators/<slug:indicator>/records/", views.records, name="records"),
]
