from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.NoticeListView.as_view(), name="list"),
    path("new/", views.NoticeFormView.as_view(), name="create"),
    path("<id:pk>/", views.notice_detail, name="detail"),
    path("<id:pk>/edit/", views.NoticeFormView.as_view(), name="edit"),
    path("messages/", views.message_list, name="messages"),
    path("messages/<id:pk>/", views.message_open, name="message_open"),
]
