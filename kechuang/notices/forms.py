"""Forms of notices."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.choices import Role
from kechuang.core.forms import DATE, BootstrapMixin, UserFormMixin
from kechuang.regions.selectors import region_choices_for

from .models import Notice


class NoticeForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    role_choices = forms.MultipleChoiceField(
        label=_("面向角色"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示所有角色"),
    )

    class Meta:
        model = Notice
        fields = ["title", "body", "region", "deadline", "published"]
        widgets = {"deadline": DATE, "body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_choices_for(
            self.user, levels=("province", "prefecture", "county", "township")
        )
        self.fields["role_choices"].initial = self.instance.role_list()
        self.fields["role_choices"].widget.attrs["class"] = ""

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        roles = self.cleaned_data["role_choices"]
        data["roles"] = f",{','.join(roles)}," if roles else ""
        return data
