from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("profile/", views.profile, name="profile"),
    path("register/", views.register, name="register"),
    path("registrations/", views.registration_list, name="registration_list"),
    path("registrations/<id:pk>/", views.registration_decide, name="registration_decide"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserFormView.as_view(), name="user_create"),
    path("users/<id:pk>/", views.UserFormView.as_view(), name="user_edit"),
    path("users/<id:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("users/<id:pk>/reset-password/", views.user_reset_password, name="user_reset_password"),
    path("login-log/", views.LoginLogListView.as_view(), name="loginlog_list"),
    path("operation-log/", views.OperationLogListView.as_view(), name="operationlog_list"),
]
