"""Forms of the IP registry. Owners and inventors are typed one per line (or separated by 、；,)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.access import restrict
from kechuang.core.forms import DATE, BootstrapMixin, UserFormMixin
from kechuang.core.validators import normalise_patent, patent_error
from kechuang.orgs.models import Organisation
from kechuang.regions.choices import RegionLevel
from kechuang.regions.models import Region
from kechuang.regions.selectors import region_choices_for

from .choices import Acquisition, OtherIPKind, PatentStatus, PatentType
from .models import OtherIP, Patent
from .services import OwnerResolver, split_names

ALL = ("", _("全部"))


class PatentForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    number = forms.CharField(label=_("申请号"), max_length=32, help_text=_("如 202010566088.9，可带 ZL/CN 前缀"))
    owners = forms.CharField(
        label=_("专利权人"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("按专利文件上的顺序，每行一个；已登记的单位可填名称或统一社会信用代码，个人填姓名"),
    )
    owner_region = forms.ModelChoiceField(
        label=_("第一专利权人所在区划"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("第一专利权人不是已登记的单位（如个人）时必填；专利按第一专利权人所在区划统计"),
    )
    inventors_text = forms.CharField(
        label=_("发明人"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("按顺序，每行一个")
    )
    grant_date = forms.DateField(
        label=_("授权公告日"), required=False, widget=DATE, help_text=_("已授权的填写；以后的状态在专利详情页登记")
    )

    class Meta:
        model = Patent
        fields = ["number", "patent_type", "title", "application_date", "publication_number", "acquisition"]
        widgets = {"application_date": DATE}

    def __init__(self, *args, **kwargs):
        self.owner_org = kwargs.pop("owner_org", None)
        super().__init__(*args, **kwargs)
        self.fields["patent_type"].required = False
        self.fields["patent_type"].help_text = _("不选则按申请号第5位自动确定")
        self.fields["owner_region"].queryset = region_choices_for(self.user)
        self.owner_specs = None
        if self.instance.pk:
            del self.fields["grant_date"]  # from now on a change of status is an event on the detail page
            owners = list(self.instance.owners.select_related("organisation"))
            self.initial["owners"] = "\n".join(o.organisation.uscc if o.organisation else o.name for o in owners)
            self.initial["owner_region"] = owners[0].region_id if owners and owners[0].organisation is None else None
            self.initial["inventors_text"] = "\n".join(self.instance.inventors)
        elif self.owner_org is not None:
            self.initial["owners"] = self.owner_org.uscc

    def clean_number(self) -> str:
        if error := patent_error(self.cleaned_data["number"]):
            raise forms.ValidationError(error)
        return normalise_patent(self.cleaned_data["number"])

    def clean_inventors_text(self) -> list[str]:
        return split_names(self.cleaned_data.get("inventors_text"))

    def clean(self):
        cleaned = super().clean()
        if "owners" in cleaned:
            items = split_names(cleaned["owners"])
            specs, errors = OwnerResolver(items).resolve(items, first_region=cleaned.get("owner_region"))
            if errors:
                self.add_error("owners", errors)
            else:
                self.owner_specs = specs
        return cleaned

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["inventors"] = self.cleaned_data["inventors_text"]
        return data


class PatentEventForm(BootstrapMixin, UserFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("法律状态"), choices=PatentStatus.choices)
    date = forms.DateField(label=_("状态日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=255, required=False, help_text=_("如：未缴年费、受让方名称"))

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(gettext("状态日期不能晚于今天"))
        return day


STATUS = [ALL, ("valid", _("有效")), ("pending", _("审查中")), ("ended", _("已终止"))]
CATEGORY_CHOICES = [ALL, *((t.value, t.label) for t in (PatentType.INVENTION, PatentType.UTILITY, PatentType.DESIGN))]


class PatentFilterForm(BootstrapMixin, UserFormMixin, forms.Form):
    q = forms.CharField(label=_("申请号/名称/专利权人"), required=False)
    region = forms.ModelChoiceField(
        label=_("区划"), queryset=Region.objects.none(), required=False, empty_label=_("全部")
    )
    category = forms.ChoiceField(label=_("专利类型"), choices=CATEGORY_CHOICES, required=False)
    status = forms.ChoiceField(label=_("当前法律状态"), choices=STATUS, required=False)
    filed_year = forms.IntegerField(label=_("申请年度"), required=False, min_value=1985, max_value=2100)
    granted_year = forms.IntegerField(label=_("授权年度"), required=False, min_value=1985, max_value=2100)
    acquisition = forms.ChoiceField(label=_("获得方式"), choices=[ALL, *Acquisition.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = (RegionLevel.PREFECTURE, RegionLevel.COUNTY, RegionLevel.TOWNSHIP)
        self.fields["region"].queryset = region_choices_for(self.user, levels=levels)


class OtherIPForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    class Meta:
        model = OtherIP
        fields = [
            "organisation", "kind", "number", "title", "date", "end_date", "acquisition", "standard_level",
            "standard_role",
        ]  # fmt: skip
        widgets = {"date": DATE, "end_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = restrict(Organisation, self.user, "view").order_by("name")
        if self.instance.pk or self.instance.organisation_id:
            self.fields["organisation"].disabled = True

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}


class OtherIPFilterForm(BootstrapMixin, UserFormMixin, forms.Form):
    q = forms.CharField(label=_("编号/名称/单位"), required=False)
    region = forms.ModelChoiceField(
        label=_("区划"), queryset=Region.objects.none(), required=False, empty_label=_("全部")
    )
    kind = forms.ChoiceField(label=_("类别"), choices=[ALL, *OtherIPKind.choices], required=False)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1949, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = (RegionLevel.PREFECTURE, RegionLevel.COUNTY, RegionLevel.TOWNSHIP)
        self.fields["region"].queryset = region_choices_for(self.user, levels=levels)
