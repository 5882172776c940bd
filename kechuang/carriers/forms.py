"""Forms of the innovation carriers registry; choices are limited to what the acting user may see."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.access import restrict
from kechuang.core.forms import DATE, BootstrapMixin, UserFormMixin
from kechuang.orgs.choices import RecognitionLevel
from kechuang.orgs.models import Organisation
from kechuang.regions.choices import RegionLevel
from kechuang.regions.models import Region
from kechuang.regions.selectors import region_choices_for

from .choices import CarrierKind
from .models import Carrier, Tenant
from .selectors import tenant_choices

__all__ = ["CarrierFilterForm", "CarrierForm", "TenantFilterForm", "TenantForm"]

YES_NO = [("", _("全部")), ("1", _("是")), ("0", _("否"))]


def _organisations(user):
    return restrict(Organisation, user).order_by("name")


class CarrierForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    class Meta:
        model = Carrier
        fields = [
            "kind",
            "name",
            "level",
            "demonstration",
            "host",
            "region",
            "recognised_date",
            "revoked_date",
            "document_number",
            "area",
            "notes",
        ]
        widgets = {"recognised_date": DATE, "revoked_date": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = _organisations(self.user)
        self.fields["region"].queryset = region_choices_for(self.user)

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TenantForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    class Meta:
        model = Tenant
        fields = ["carrier", "organisation", "team_name", "entry_date", "exit_date", "graduated", "notes"]
        widgets = {"entry_date": DATE, "exit_date": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carrier"].queryset = tenant_choices(user=self.user).order_by("name")
        self.fields["organisation"].queryset = _organisations(self.user)

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CarrierFilterForm(BootstrapMixin, UserFormMixin, forms.Form):
    q = forms.CharField(label=_("名称/依托单位/信用代码"), required=False)
    kind = forms.ChoiceField(label=_("载体类型"), choices=[("", _("全部")), *CarrierKind.choices], required=False)
    level = forms.ChoiceField(label=_("级别"), choices=[("", _("全部")), *RecognitionLevel.choices], required=False)
    region = forms.ModelChoiceField(
        label=_("区划"), queryset=Region.objects.none(), required=False, empty_label=_("全部")
    )
    year = forms.IntegerField(
        label=_("年末有效"), required=False, min_value=1949, max_value=2100, help_text=_("该年12月31日仍有效的载体")
    )
    demonstration = forms.TypedChoiceField(
        label=_("示范"), choices=YES_NO, coerce=lambda v: v == "1", required=False, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = (RegionLevel.PREFECTURE, RegionLevel.COUNTY, RegionLevel.TOWNSHIP)
        self.fields["region"].queryset = region_choices_for(self.user, levels=levels)


class TenantFilterForm(BootstrapMixin, UserFormMixin, forms.Form):
    q = forms.CharField(label=_("企业/团队/载体名称"), required=False)
    carrier = forms.ModelChoiceField(
        label=_("孵化载体"), queryset=Carrier.objects.none(), required=False, empty_label=_("全部")
    )
    region = forms.ModelChoiceField(
        label=_("区划"), queryset=Region.objects.none(), required=False, empty_label=_("全部")
    )
    year = forms.IntegerField(
        label=_("年末在孵"), required=False, min_value=1949, max_value=2100, help_text=_("该年12月31日仍在孵的企业")
    )
    graduated = forms.TypedChoiceField(
        label=_("已毕业"), choices=YES_NO, coerce=lambda v: v == "1", required=False, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carrier"].queryset = tenant_choices(user=self.user).order_by("name")
        levels = (RegionLevel.PREFECTURE, RegionLevel.COUNTY, RegionLevel.TOWNSHIP)
        self.fields["region"].queryset = region_choices_for(self.user, levels=levels)
