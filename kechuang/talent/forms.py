"""Forms of the talent registry; choices are limited to the acting user's scope."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.access import restrict
from kechuang.core.forms import DATE, BootstrapMixin, UserFormMixin
from kechuang.orgs.models import Organisation
from kechuang.regions.choices import RegionLevel
from kechuang.regions.models import Region
from kechuang.regions.selectors import region_choices_for

from . import selectors
from .choices import CommissionerLevel, Education, ServiceKind, TitleLevel
from .models import Commissioner, Person, ServiceLog, Title

ALL = ("", _("全部"))
PROGRAMME_SEPARATORS = re.compile(r"[、,，;；\n]+")


def split_programmes(text: str) -> list[str]:
    """人才计划 typed as one text: 八桂学者、柳州市高层次人才 → two entries."""
    return [p.strip() for p in PROGRAMME_SEPARATORS.split(text or "") if p.strip()]


def _organisations(user):
    return restrict(Organisation, user, "view").select_related("region").order_by("name")


class PersonForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=24,
        help_text=_("18位公民身份号码，保存后加密存储，列表和日志中只显示脱敏号码"),
    )
    programmes_text = forms.CharField(
        label=_("人才计划"),
        required=False,
        help_text=_("多个用顿号、逗号或换行分隔，如 八桂学者、柳州市高层次人才"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Person
        fields = ["name", "organisation", "region", "field", "education", "is_researcher", "phone"]

    field_order = ["name", "id_number", "organisation", "region", "field", "education", "is_researcher"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisations(self.user)
        self.fields["region"].queryset = region_choices_for(self.user)
        if self.instance.pk:
            self.fields["id_number"].initial = self.instance.id_number_for(self.user)
        self.fields["programmes_text"].initial = "、".join(self.instance.programmes or [])

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"].strip()
        if self.instance.pk and value == self.instance.id_number_masked:
            return value  # shown masked, left as it was
        try:
            self.instance.set_id_number(value)
        except ValidationError as error:
            raise ValidationError(error.message_dict["id_number"]) from error
        return value

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["programmes"] = split_programmes(self.cleaned_data["programmes_text"])
        data["id_number"] = self.cleaned_data["id_number"]
        return data


class TitleForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    class Meta:
        model = Title
        fields = ["level", "name", "obtained"]
        widgets = {"obtained": DATE}


class CommissionerForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    id_number = forms.CharField(label=_("人员身份证号码"), max_length=24, help_text=_("该人员须已登记在科技人才库中"))

    class Meta:
        model = Commissioner
        fields = ["year", "level", "township", "village", "sending_unit", "sending_unit_name", "field"]

    field_order = ["id_number", *Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = region_choices_for(self.user, levels=(RegionLevel.TOWNSHIP,))
        self.fields["sending_unit"].queryset = _organisations(self.user)
        self.fields["sending_unit"].required = False
        if self.instance.person_id:
            del self.fields["id_number"]
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"]
        person = selectors.person_by_id_number(user=self.user, id_number=value)
        if person is None:
            raise ValidationError(gettext("人才库中没有该身份证号码的人员（或不在您的管辖范围内），请先登记人员"))
        self.instance.person = person
        return value

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ServiceLogForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    class Meta:
        model = ServiceLog
        fields = ["commissioner", "date", "village", "kind", "days", "trainees", "content"]
        widgets = {"date": DATE, "content": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].required = False
        self.fields["village"].help_text = _("不填则为该特派员的服务村")
        self.fields["trainees"].required = False
        self.fields["trainees"].help_text = _("只有技术培训填写")
        if self.instance.commissioner_id:
            del self.fields["commissioner"]
        else:
            self.fields["commissioner"].queryset = restrict(Commissioner, self.user, "view").select_related(
                "person", "township"
            )

    def clean_trainees(self) -> int:
        return self.cleaned_data.get("trainees") or 0

    def clean_village(self) -> str:
        village = (self.cleaned_data.get("village") or "").strip()
        commissioner = self.cleaned_data.get("commissioner") or (
            self.instance.commissioner if self.instance.commissioner_id else None
        )
        return village or (commissioner.village if commissioner else "")

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "commissioner"}


class PhotoForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("现场照片"), widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"})
    )

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("JPG 或 PNG 图片，单张不超过 {mb} MB").format(
            mb=settings.ATTACHMENT_MAX_BYTES // 1048576
        )


def _yes_no(label):
    return forms.TypedChoiceField(
        label=label,
        choices=[ALL, ("1", _("是")), ("0", _("否"))],
        coerce=lambda v: v == "1",
        required=False,
        empty_value=None,
    )


def _region_field(label):
    return forms.ModelChoiceField(label=label, queryset=Region.objects.none(), required=False, empty_label=_("全部"))


class PersonFilterForm(BootstrapMixin, UserFormMixin, forms.Form):
    q = forms.CharField(label=_("姓名/身份证号码/单位"), required=False)
    region = _region_field(_("区划"))
    education = forms.ChoiceField(label=_("学历"), choices=[ALL, *Education.choices], required=False)
    title_level = forms.ChoiceField(label=_("现职称级别"), choices=[ALL, *TitleLevel.choices], required=False)
    is_researcher = _yes_no(_("研发人员"))
    programme = forms.CharField(label=_("人才计划"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = (RegionLevel.PREFECTURE, RegionLevel.COUNTY, RegionLevel.TOWNSHIP)
        self.fields["region"].queryset = region_choices_for(self.user, levels=levels)


class CommissionerFilterForm(BootstrapMixin, UserFormMixin, forms.Form):
    q = forms.CharField(label=_("姓名/身份证号码/村"), required=False)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1949, max_value=2100)
    township = _region_field(_("乡镇"))
    level = forms.ChoiceField(label=_("选派层级"), choices=[ALL, *CommissionerLevel.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = (RegionLevel.COUNTY, RegionLevel.TOWNSHIP)
        self.fields["township"].queryset = region_choices_for(self.user, levels=levels)


class SummaryFilterForm(CommissionerFilterForm):
    year = forms.IntegerField(label=_("年度"), min_value=1949, max_value=2100)


class ServiceLogFilterForm(BootstrapMixin, UserFormMixin, forms.Form):
    q = forms.CharField(label=_("姓名/村/内容"), required=False)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1949, max_value=2100)
    kind = forms.ChoiceField(label=_("服务类型"), choices=[ALL, *ServiceKind.choices], required=False)
    township = _region_field(_("乡镇"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = (RegionLevel.COUNTY, RegionLevel.TOWNSHIP)
        self.fields["township"].queryset = region_choices_for(self.user, levels=levels)
