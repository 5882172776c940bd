"""Report downloads (报告下载)."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("monitoring/docx/", views.monitoring_docx, name="monitoring_docx"),
    path("monitoring/xlsx/", views.monitoring_xlsx, name="monitoring_xlsx"),
]
