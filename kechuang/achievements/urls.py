from django.urls import path

from . import views

app_name = "achievements"

urlpatterns = [
    path("", views.AchievementListView.as_view(), name="list"),
    path("new/", views.AchievementFormView.as_view(), name="create"),
    path("<id:pk>/", views.achievement_detail, name="detail"),
    path("<id:pk>/edit/", views.AchievementFormView.as_view(), name="edit"),
    path("<id:pk>/delete/", views.AchievementDeleteView.as_view(), name="delete"),
]
for prefix, name, list_view, detail, form_view, delete_view in (
    (
        "conversions",
        "conversion",
        views.ConversionListView,
        views.conversion_detail,
        views.ConversionFormView,
        views.ConversionDeleteView,
    ),
    (
        "contracts",
        "contract",
        views.TechContractListView,
        views.contract_detail,
        views.TechContractFormView,
        views.TechContractDeleteView,
    ),
    ("awards", "award", views.AwardListView, views.award_detail, views.AwardFormView, views.AwardDeleteView),
):
    urlpatterns += [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}_list"),
        path(f"{prefix}/new/", form_view.as_view(), name=f"{name}_create"),
        path(f"{prefix}/<id:pk>/", detail, name=f"{name}_detail"),
        path(f"{prefix}/<id:pk>/edit/", form_view.as_view(), name=f"{name}_edit"),
        path(f"{prefix}/<id:pk>/delete/", delete_view.as_view(), name=f"{name}_delete"),
    ]
