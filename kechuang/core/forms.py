"""Forms of the core app, and the base every app's forms share."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import AttachmentKind, AuditAction

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BootstrapMixin:
    """Bootstrap classes on every widget, so templates stay simple."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = (
                "form-check-input"
                if getattr(widget, "input_type", "") == "checkbox"
                else ("form-select" if isinstance(widget, forms.Select) else "form-control")
            )
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class UserFormMixin:
    """Forms take the acting user, to limit their choices to the user's scope."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("附件类型"), choices=AttachmentKind.choices)
    file = forms.FileField(label=_("文件"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("支持 PDF、JPG、PNG、Word、Excel，单个文件不超过 {mb} MB").format(
            mb=settings.ATTACHMENT_MAX_BYTES // 1048576
        )


class AuditFilterForm(UserFormMixin, forms.Form):
    q = forms.CharField(label=_("对象"), required=False)
    actor = forms.CharField(label=_("操作人"), required=False)
    action = forms.ChoiceField(label=_("操作"), required=False, choices=[("", _("全部")), *AuditAction.choices])
    since = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(
        label=pgettext_lazy("date range", "截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    request_id = forms.CharField(label=_("请求编号"), required=False)


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("文件"), help_text=_("用导入模板填写的 .xlsx，或 CSV（UTF-8 或 GB18030 编码）"))
    update = forms.BooleanField(label=_("更新已有记录（按统一社会信用代码等自然键）"), required=False)
