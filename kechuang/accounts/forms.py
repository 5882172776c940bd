"""Forms of the accounts app."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.core.access import restrict
from kechuang.core.forms import BootstrapMixin, UserFormMixin
from kechuang.orgs.models import Organisation
from kechuang.regions.models import Region
from kechuang.regions.selectors import region_choices_for

from .choices import RegistrationStatus, Role
from .models import User
from .roles import ADMIN_ROLES


class LoginForm(BootstrapMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("账号或密码错误。连续失败 {threshold} 次将锁定 {minutes} 分钟。"),
        "inactive": _("该账号尚未启用或已停用，请联系科技局。"),
    }

    def get_invalid_login_error(self):
        message = str(self.error_messages["invalid_login"]).format(
            threshold=settings.LOCKOUT_THRESHOLD, minutes=settings.LOCKOUT_MINUTES
        )
        return forms.ValidationError(message, code="invalid_login")

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            self._explain()
            raise

    def _explain(self):
        """Say why a sign-in failed when the reason is not the password: a lock, or a pending registration."""
        user = User.objects.filter(username=self.cleaned_data.get("username")).first()
        if user is None:
            return
        if user.is_locked:
            minutes = max(1, int((user.locked_until - timezone.now()).total_seconds() // 60) + 1)
            raise forms.ValidationError(
                gettext("账号已被锁定，请 {minutes} 分钟后再试，或联系安全管理员解锁。").format(minutes=minutes),
                code="locked",
            )
        # With the right password, say that the account waits for approval instead of "wrong password".
        if user.registration_status != RegistrationStatus.APPROVED and user.check_password(
            self.cleaned_data.get("password") or ""
        ):
            if user.registration_status == RegistrationStatus.PENDING:
                status = gettext("正在等待科技局审核")
            else:
                status = gettext("已被驳回")
            raise forms.ValidationError(
                gettext("该账号的注册申请{status}，暂不能登录。").format(status=status), code="pending"
            )


class OwnPasswordChangeForm(BootstrapMixin, PasswordChangeForm):
    pass


class RegistrationForm(BootstrapMixin, forms.Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=24)
    name = forms.CharField(label=_("单位名称"), max_length=128)
    region = forms.ModelChoiceField(label=_("所在区划"), queryset=Region.objects.none())
    full_name = forms.CharField(label=_("联系人姓名"), max_length=64)
    phone = forms.CharField(label=_("手机号"), max_length=20)
    username = forms.CharField(label=_("登录账号"), max_length=150)
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.selectable().filter(level__in=("county", "township"))

    def clean_uscc(self):
        from kechuang.core.validators import normalise_uscc, uscc_error

        value = self.cleaned_data["uscc"]
        if error := uscc_error(value):
            raise forms.ValidationError(error)
        return normalise_uscc(value)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", gettext("两次输入的密码不一致"))
        return data


class UserForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "full_name", "phone", "email", "role", "region", "organisation", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_choices_for(
            self.user, levels=("province", "prefecture", "county", "township")
        )
        # Accounts are bound to organisations the acting user may see; the current one stays selectable.
        self.fields["organisation"].queryset = (
            restrict(Organisation, self.user) | Organisation.objects.filter(pk=self.instance.organisation_id)
        ).order_by("name")
        # The three administrators' accounts are managed on the server only (accounts.services._guard_separation).
        self.fields["role"].choices = [
            (v, label) for v, label in Role.choices if v not in ADMIN_ROLES or v == self.instance.role
        ]
        if self.user.role != Role.SECADMIN:
            self.fields["role"].disabled = bool(self.instance.pk)


class UserFilterForm(BootstrapMixin, UserFormMixin, forms.Form):
    q = forms.CharField(label=_("账号/姓名"), required=False)
    role = forms.ChoiceField(label=_("角色"), choices=[("", _("全部")), *Role.choices], required=False)
    registration_status = forms.ChoiceField(
        label=_("注册状态"), choices=[("", _("全部")), *RegistrationStatus.choices], required=False
    )


class LogFilterForm(BootstrapMixin, UserFormMixin, forms.Form):
    q = forms.CharField(label=_("账号"), required=False)
    since = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(
        label=pgettext_lazy("date range", "截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
