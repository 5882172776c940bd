"""Forms of the activities registry. Money is typed in 万元 and stored in 元."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.access import restrict
from kechuang.core.forms import DATE, BootstrapMixin, UserFormMixin
from kechuang.core.units import to_wan
from kechuang.orgs.forms import MoneyField
from kechuang.orgs.models import Organisation
from kechuang.regions.choices import RegionLevel
from kechuang.regions.models import Region
from kechuang.regions.selectors import region_choices_for

from .choices import ActivityKind
from .models import Activity, PopularisationSpending

__all__ = ["ActivityFilterForm", "ActivityForm", "SpendingFilterForm", "SpendingForm"]

LEVELS = (RegionLevel.PREFECTURE, RegionLevel.COUNTY, RegionLevel.TOWNSHIP)


def _money_initial(form, name: str) -> None:
    if not form.is_bound and getattr(form.instance, name) is not None:
        form.initial[name] = to_wan(getattr(form.instance, name), 6).normalize()


class ActivityForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    spending = MoneyField(label=_("活动经费（万元）"))

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "region",
            "start_date",
            "end_date",
            "organiser",
            "organisation",
            "participants",
            "entries",
            "awards",
            "trainees",
            "spending",
            "notes",
        ]
        widgets = {"start_date": DATE, "end_date": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_choices_for(self.user)
        self.fields["organisation"].queryset = restrict(Organisation, self.user).order_by("name")
        _money_initial(self, "spending")

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SpendingForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    amount = MoneyField(label=_("科普经费（万元）"), help_text=_("本级科普经费，不含下级区划的"))

    class Meta:
        model = PopularisationSpending
        fields = ["region", "year", "amount", "source", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_choices_for(self.user, levels=LEVELS)
        self.fields["amount"].required = True
        self.fields["amount"].error_messages["required"] = gettext("请填写科普经费")
        _money_initial(self, "amount")
        if self.instance.pk:
            self.fields["region"].disabled = True
            self.fields["year"].disabled = True

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ActivityFilterForm(BootstrapMixin, UserFormMixin, forms.Form):
    q = forms.CharField(label=_("活动名称/主办单位"), required=False)
    kind = forms.ChoiceField(label=_("活动类型"), choices=[("", _("全部")), *ActivityKind.choices], required=False)
    region = forms.ModelChoiceField(
        label=_("区划"), queryset=Region.objects.none(), required=False, empty_label=_("全部")
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1949, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_choices_for(self.user, levels=LEVELS)


class SpendingFilterForm(BootstrapMixin, UserFormMixin, forms.Form):
    region = forms.ModelChoiceField(
        label=_("区划"), queryset=Region.objects.none(), required=False, empty_label=_("全部")
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1949, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_choices_for(self.user, levels=LEVELS)
