"""Forms of the achievements registry. Money is typed in 万元 and stored in 元; ranked units and people are typed one
per line (or separated by 、), in rank order."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kechuang.core.access import restrict
from kechuang.core.forms import DATE, BootstrapMixin, UserFormMixin
from kechuang.core.units import to_wan
from kechuang.orgs.choices import HitechDomain
from kechuang.orgs.forms import MoneyField
from kechuang.orgs.models import Organisation
from kechuang.regions.choices import RegionLevel
from kechuang.regions.models import Region
from kechuang.regions.selectors import region_choices_for

from .choices import AchievementKind, AwardGrade, AwardLevel, ContractKind, ConversionForm, EvaluationConclusion
from .models import Achievement, Award, Conversion, TechContract, normalise_names
from .references import UnitNotFound, resolve_units, split_list, unit_text


def _organisations(user):
    return restrict(Organisation, user, "view").order_by("name")


def _all(choices):
    return [("", _("全部")), *choices]


class UnitsField(forms.CharField):
    """Ranked units, one per line: a credit code, a name in the register, or the name of a unit outside it."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        help_text = _(
            "按排名每行一个（第一完成单位不用再列）：填统一社会信用代码或单位名称；不在单位档案中的单位直接写名称"
        )
        super().__init__(required=False, help_text=help_text, **kwargs)

    def clean(self, value):
        try:
            return resolve_units(split_list(super().clean(value)))
        except UnitNotFound as error:
            raise ValidationError(str(error)) from None


class PeopleField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 2})

    def __init__(self, **kwargs):
        super().__init__(required=False, help_text=_("按排名填写姓名，用顿号、逗号或换行分开"), **kwargs)

    def clean(self, value):
        return normalise_names(split_list(super().clean(value)))


def _money(form, name: str, label, required: bool = False) -> None:
    """Replace a 元 model field by a 万元 input showing the stored amount."""
    form.fields[name] = MoneyField(label=label)
    form.fields[name].required = required
    value = getattr(form.instance, name)
    if not form.is_bound and value is not None:
        form.initial[name] = to_wan(value, 6).normalize()


class AchievementForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    units = UnitsField(label=_("其他完成单位"))
    people_text = PeopleField(label=_("完成人"))

    class Meta:
        model = Achievement
        fields = [
            "number",
            "title",
            "kind",
            "hitech_domain",
            "discipline",
            "organisation",
            "registration_date",
            "evaluation_method",
            "evaluation_conclusion",
            "evaluation_date",
            "summary",
        ]
        widgets = {
            "registration_date": DATE,
            "evaluation_date": DATE,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisations(self.user)
        if self.instance.pk:
            self.fields["units"].initial = "\n".join(unit_text(u) for u in self.instance.units.all())
        self.fields["people_text"].initial = "、".join(self.instance.people or [])

    def service_data(self) -> tuple[dict, list]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["people"] = self.cleaned_data["people_text"]
        return data, self.cleaned_data["units"]


class ConversionRecordForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    class Meta:
        model = Conversion
        fields = ["achievement", "subject", "year", "form", "organisation", "amount", "major", "major_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["achievement"].queryset = restrict(Achievement, self.user, "view").order_by("-registration_date")
        self.fields["organisation"].queryset = _organisations(self.user)
        _money(self, "amount", _("转化金额（万元）"))

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TechContractForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    class Meta:
        model = TechContract
        fields = [
            "number",
            "name",
            "kind",
            "seller",
            "buyer",
            "buyer_name",
            "buyer_region",
            "amount",
            "technical_income",
            "signing_date",
            "registration_date",
        ]
        widgets = {"signing_date": DATE, "registration_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seller"].queryset = _organisations(self.user)
        self.fields["buyer"].queryset = _organisations(self.user)
        self.fields["buyer_region"].queryset = Region.objects.selectable().exclude(level=RegionLevel.TOWNSHIP)
        _money(self, "amount", _("合同成交额（万元）"), required=True)
        _money(self, "technical_income", _("技术交易额（万元）"), required=True)

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if data["buyer"] is not None:
            data["buyer_name"], data["buyer_region"] = "", None
        return data


class AwardForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    units = UnitsField(label=_("其他完成单位"))
    people_text = PeopleField(label=_("完成人"))

    class Meta:
        model = Award
        fields = ["name", "level", "grade", "year", "project", "organisation", "achievement", "certificate_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisations(self.user)
        self.fields["achievement"].queryset = restrict(Achievement, self.user, "view").order_by("-registration_date")
        if self.instance.pk:
            rows = list(self.instance.participants.select_related("organisation"))
            self.fields["units"].initial = "\n".join(unit_text(p) for p in rows if p.kind == "unit")
            self.fields["people_text"].initial = "、".join(p.name for p in rows if p.kind == "person")

    def service_data(self) -> tuple[dict, list, list]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return data, self.cleaned_data["units"], self.cleaned_data["people_text"]


# --- list filters ------------------------------------------------------------------------------------------


class _RegionFilter(BootstrapMixin, UserFormMixin, forms.Form):
    q = forms.CharField(label=_("关键词"), required=False)
    region = forms.ModelChoiceField(
        label=_("区划"), queryset=Region.objects.none(), required=False, empty_label=_("全部")
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1949, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = (RegionLevel.PREFECTURE, RegionLevel.COUNTY, RegionLevel.TOWNSHIP)
        self.fields["region"].queryset = region_choices_for(self.user, levels=levels)


class AchievementFilterForm(_RegionFilter):
    kind = forms.ChoiceField(label=_("成果类型"), choices=_all(AchievementKind.choices), required=False)
    hitech_domain = forms.TypedChoiceField(
        label=_("高新技术领域"), choices=_all(HitechDomain.choices), coerce=int, required=False, empty_value=None
    )
    evaluation_conclusion = forms.ChoiceField(
        label=_("评价结论"), choices=_all(EvaluationConclusion.choices), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].label = _("登记号/名称/单位/完成人")
        self.fields["year"].label = _("登记年度")


class ConversionFilterForm(_RegionFilter):
    form = forms.ChoiceField(label=_("转化方式"), choices=_all(ConversionForm.choices), required=False)
    major = forms.TypedChoiceField(
        label=_("重大科技成果转化"),
        choices=[("", _("全部")), ("1", _("是")), ("0", _("否"))],
        coerce=lambda v: v == "1",
        required=False,
        empty_value=None,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].label = _("成果/转化对象/实施单位")


class ContractFilterForm(_RegionFilter):
    kind = forms.ChoiceField(label=_("合同类型"), choices=_all(ContractKind.choices), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].label = _("登记号/合同名称/买卖方")
        self.fields["year"].label = _("登记年度")


class AwardFilterForm(_RegionFilter):
    level = forms.ChoiceField(label=_("奖励级别"), choices=_all(AwardLevel.choices), required=False)
    grade = forms.ChoiceField(label=_("奖励等级"), choices=_all(AwardGrade.choices), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].label = _("奖项/项目/单位/完成人")
        self.fields["year"].label = _("获奖年度")
