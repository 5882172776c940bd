"""Sign-in, passwords, self-registration, user administration and the login and operation logs."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kechuang.core.access import ensure_may, permitted, restrict
from kechuang.core.views import RecordFormView, RecordListView, apply_service_errors, filter_period

from . import services
from .choices import RegistrationStatus
from .forms import LogFilterForm, LoginForm, OwnPasswordChangeForm, RegistrationForm, UserFilterForm, UserForm
from .models import ApiToken, LoginLog, OperationLog, User
from .tables import LoginLogTable, OperationLogTable, UserTable


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def password_change(request):
    form = OwnPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_set(actor=request.user, user=request.user, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, gettext("密码已修改"))
            return redirect("core:home")
    return render(request, "core/form.html", {"form": form, "title": gettext("修改密码"), "cancel_url": "/"})


@login_required
def profile(request):
    new_key = None
    if request.method == "POST" and request.POST.get("action") == "token":
        _token, new_key = services.token_create(
            actor=request.user, user=request.user, name=request.POST.get("name", "").strip()[:64] or "API"
        )
    if request.method == "POST" and request.POST.get("action") == "revoke":
        token = get_object_or_404(ApiToken, user=request.user, pk=request.POST.get("token"))
        services.token_revoke(actor=request.user, token=token)
        messages.success(request, gettext("令牌已作废"))
        return redirect("accounts:profile")
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created")  # one's own tokens only
    return render(
        request, "accounts/profile.html", {"title": gettext("个人信息"), "tokens": tokens, "new_key": new_key}
    )


@login_not_required
def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.registration_submit(
                uscc=data["uscc"],
                name=data["name"],
                region=data["region"],
                username=data["username"],
                password=data["password1"],
                full_name=data["full_name"],
                phone=data["phone"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return render(request, "accounts/registered.html", {"title": gettext("注册已提交")})
    return render(request, "accounts/register.html", {"form": form, "title": gettext("企业注册")})


class UserListView(RecordListView):
    model = User
    table_class = UserTable
    filter_form_class = UserFilterForm
    title = _("用户管理")
    create_url_name = "accounts:user_create"
    template_name = "accounts/user_list.html"

    def queryset(self, action):
        return super().queryset(action).select_related("region", "organisation")

    def filter(self, queryset, data):
        if data.get("q"):
            queryset = queryset.filter(Q(username__icontains=data["q"]) | Q(full_name__icontains=data["q"]))
        for name in ("role", "registration_status"):
            if data.get(name):
                queryset = queryset.filter(**{name: data[name]})
        return queryset


class UserFormView(RecordFormView):
    model = User
    form_class = UserForm
    template_name = "accounts/user_form.html"

    def save(self, form, obj):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if obj is None:
            user, generated = services.user_create(actor=self.request.user, **data)
            if generated:
                messages.warning(
                    self.request,
                    gettext("账号 {username} 的初始密码：{password}（只显示这一次，首次登录须修改）").format(
                        username=user.username, password=generated
                    ),
                )
            return user
        return services.user_update(actor=self.request.user, user=obj, data=data)

    def success_url(self, saved):
        return "/accounts/users/"


def _managed_user(request, pk: int, action: str) -> User:
    user = get_object_or_404(restrict(User, request.user), pk=pk)
    ensure_may(request.user, action, user)
    return user


@require_POST
def user_unlock(request, pk: int):
    user = _managed_user(request, pk, "change")
    services.user_unlock(actor=request.user, user=user)
    messages.success(request, gettext("已解锁 {user}").format(user=user))
    return redirect("accounts:user_edit", pk=pk)


@require_POST
def user_reset_password(request, pk: int):
    user = _managed_user(request, pk, "change")
    password = services.password_reset(actor=request.user, user=user)
    messages.warning(
        request,
        gettext("{user} 的新初始密码：{password}（只显示这一次，登录后须修改）").format(user=user, password=password),
    )
    return redirect("accounts:user_edit", pk=pk)


def registration_list(request):
    if not permitted(request.user, User, "approve"):
        raise PermissionDenied
    pending = restrict(User, request.user, "approve").filter(registration_status=RegistrationStatus.PENDING)
    return render(
        request,
        "accounts/registration_list.html",
        {
            "title": gettext("注册审核"),
            "pending": pending.select_related("organisation", "region"),
        },
    )


@require_POST
def registration_decide(request, pk: int):
    user = get_object_or_404(restrict(User, request.user, "approve"), pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.registration_decide(actor=request.user, user=user, approve=approve, note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, gettext("；").join(error.messages))
    else:
        if approve:
            messages.success(request, gettext("已通过 {user} 的注册申请").format(user=user))
        else:
            messages.success(request, gettext("已驳回 {user} 的注册申请").format(user=user))
    return redirect("accounts:registration_list")


class LogListView(RecordListView):
    filter_form_class = LogFilterForm

    def filter(self, queryset, data):
        if data.get("q"):
            queryset = queryset.filter(username__icontains=data["q"])
        return filter_period(queryset, data)


class LoginLogListView(LogListView):
    model, table_class, title = LoginLog, LoginLogTable, _("登录日志")


class OperationLogListView(LogListView):
    model, table_class, title = OperationLog, OperationLogTable, _("操作日志")
