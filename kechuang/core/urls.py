from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.AuditLogListView.as_view(), name="audit_list"),
    path("audit/<id:pk>/", views.audit_detail, name="audit_detail"),
    path("attachments/<id:content_type_id>/<str:object_id>/upload/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<id:pk>/download/", views.attachment_download, name="attachment_download"),
    path("imports/jobs/<uuid:pk>/", views.import_job, name="import_job"),
    path("imports/<str:kind>/", views.import_wizard, name="import"),
    path("imports/<str:kind>/template/", views.import_template, name="import_template"),
]
