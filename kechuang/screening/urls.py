from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("runs/<id:pk>/", views.run_detail, name="run_detail"),
    path("runs/<id:pk>/decide/", views.run_decide, name="run_decide"),
    path("candidates/<id:pk>/decide/", views.candidate_decide, name="candidate_decide"),
    path("trajectories/", views.trajectories, name="trajectories"),
    path("trajectories/<id:pk>/", views.trajectory, name="trajectory"),
    path("expiring/", views.expiring, name="expiring"),
]
