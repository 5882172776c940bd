"""Routes of the leaders' cockpit (领导驾驶舱), included by kechuang/plans/urls.py."""

from django.urls import path

from . import cockpit

urlpatterns = [
    path("", cockpit.cockpit, name="cockpit"),
    path("comparison/", cockpit.comparison, name="cockpit_comparison"),
]
