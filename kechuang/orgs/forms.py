"""Forms of the organisation master file. Money is typed in 万元 and stored in 元."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.roles import ORG_ROLES
from kechuang.core.forms import DATE, BootstrapMixin, UserFormMixin
from kechuang.core.units import from_wan, to_wan
from kechuang.regions.choices import RegionLevel
from kechuang.regions.models import Region
from kechuang.regions.selectors import region_choices_for

from .choices import (
    BASIS_SUGGESTIONS,
    CertificateKind,
    FigureSource,
    HitechDomain,
    IntegrityKind,
    OrgKind,
    OrgStatus,
    ReviewStatus,
    RoundStatus,
)
from .models import (
    AnnualFigures,
    Certificate,
    Industry,
    IntegrityRecord,
    MonthlyHeadcount,
    Organisation,
    Pool,
    PoolMembership,
    RDManagementEvidence,
    ReportingRound,
    ServiceRecord,
)
from .services import BUREAU_OWNED_FIELDS


class OrganisationForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    former_names_text = forms.CharField(
        label=_("曾用名"),
        required=False,
        help_text=_("多个曾用名用逗号或换行分隔"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Organisation
        fields = [
            "kind",
            "uscc",
            "name",
            "region",
            "park",
            "address",
            "registration_date",
            "industry",
            "hitech_domain",
            "above_scale",
            "status",
            "contact",
            "phone",
        ]
        widgets = {"registration_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_choices_for(self.user)
        self.fields["industry"].queryset = Industry.objects.filter(level="division").select_related("section")
        self.fields["former_names_text"].initial = "\n".join(self.instance.former_names or [])
        if self.user.role in ORG_ROLES:
            for name in BUREAU_OWNED_FIELDS:
                self.fields[name].disabled = True

    def clean_former_names_text(self) -> list[str]:
        text = self.cleaned_data.get("former_names_text", "")
        return [n.strip() for n in text.replace("，", ",").replace("\n", ",").split(",") if n.strip()]

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["former_names"] = self.cleaned_data["former_names_text"]
        return data


class MoneyField(forms.DecimalField):
    """A 万元 amount; cleaned to 元."""

    def __init__(self, **kwargs):
        widget = forms.NumberInput(attrs={"class": "form-control", "step": "any"})
        super().__init__(max_digits=18, decimal_places=6, required=False, widget=widget, **kwargs)

    def clean(self, value):
        return from_wan(super().clean(value))


class DatalistInput(forms.TextInput):
    """A text input offering suggestions (an HTML datalist) while accepting any text."""

    template_name = "orgs/widgets/datalist.html"

    def __init__(self, options=(), attrs=None):
        super().__init__(attrs)
        self.options = options

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["attrs"]["list"] = f"{widget['attrs'].get('id') or name}-options"
        widget["options"] = [str(option) for option in self.options]
        return context


class AnnualFiguresForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    class Meta:
        model = AnnualFigures
        fields = ["year", "staff_total", "st_staff", *AnnualFigures.MONEY_FIELDS, "audit_taxation", "source", "basis"]
        widgets = {"basis": DatalistInput(BASIS_SUGGESTIONS)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in AnnualFigures.MONEY_FIELDS:
            label = str(self.fields[name].label).replace(gettext("（元）"), gettext("（万元）"))
            self.fields[name] = MoneyField(label=label)
            if not self.is_bound and getattr(self.instance, name) is not None:
                self.initial[name] = to_wan(getattr(self.instance, name), 6).normalize()
        if self.instance.pk:
            self.fields["year"].disabled = True
        if self.user is not None and self.user.role in ORG_ROLES:
            # An organisation's own figures are always 企业填报 (figures_save sets it); nothing to choose.
            self.fields["source"].disabled = True
            self.initial["source"] = FigureSource.REPORT


class CertificateForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["kind", "name", "level", "number", "year", "issue_date", "revoked_date"]
        widgets = {"issue_date": DATE, "revoked_date": DATE}


class PoolMembershipForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    class Meta:
        model = PoolMembership
        fields = ["pool", "entry_year", "entry_reason", "exit_year", "exit_reason"]


class ServiceRecordForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    class Meta:
        model = ServiceRecord
        fields = ["date", "service_type", "content", "follow_up"]
        widgets = {
            "date": DATE,
            "content": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }


CERT_STATUS = [
    ("", _("全部")),
    ("hte_valid", _("高企证书有效")),
    ("hte_expiring", _("高企证书12个月内到期")),
    ("hte_none", _("无有效高企证书")),
    ("tsme", _("本年度科技型中小企业")),
]


class OrganisationFilterForm(BootstrapMixin, UserFormMixin, forms.Form):
    q = forms.CharField(label=_("名称/信用代码/拼音首字母"), required=False)
    region = forms.ModelChoiceField(
        label=_("区划"), queryset=Region.objects.none(), required=False, empty_label=_("全部")
    )
    kind = forms.ChoiceField(label=_("单位类型"), choices=[("", _("全部")), *OrgKind.choices], required=False)
    industry = forms.ModelChoiceField(
        label=_("行业"), queryset=Industry.objects.all(), required=False, empty_label=_("全部")
    )
    hitech_domain = forms.TypedChoiceField(
        label=_("高新技术领域"),
        choices=[("", _("全部")), *HitechDomain.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    pool = forms.ModelChoiceField(
        label=pgettext_lazy("field", "培育库"), queryset=Pool.objects.all(), required=False, empty_label=_("全部")
    )
    certificate = forms.ChoiceField(label=_("资质状态"), choices=CERT_STATUS, required=False)
    above_scale = forms.TypedChoiceField(
        label=_("规模以上"),
        choices=[("", _("全部")), ("1", _("是")), ("0", _("否"))],
        coerce=lambda v: v == "1",
        required=False,
        empty_value=None,
    )
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *OrgStatus.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = (RegionLevel.PREFECTURE, RegionLevel.COUNTY, RegionLevel.TOWNSHIP)
        self.fields["region"].queryset = region_choices_for(self.user, levels=levels)


class OrgChildFilterForm(BootstrapMixin, UserFormMixin, forms.Form):
    q = forms.CharField(label=_("单位名称/信用代码"), required=False)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1949, max_value=2100)


class FiguresFilterForm(OrgChildFilterForm):
    review_status = forms.ChoiceField(
        label=_("审核状态"), choices=[("", _("全部")), *ReviewStatus.choices], required=False
    )


class CertificateFilterForm(OrgChildFilterForm):
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("全部")), *CertificateKind.choices], required=False)


# --- the yearly reporting round (年报填报) ---------------------------------------------------------------------


class ReportingRoundForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    """Open (the region is the bureau user's own) or change a round; its status is set when editing."""

    class Meta:
        model = ReportingRound
        fields = ["year", "opens_on", "deadline", "status", "instructions"]
        widgets = {"opens_on": DATE, "deadline": DATE, "instructions": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"year": _("要填报的数据年度，通常是上一年")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["year"].disabled = True
        else:
            del self.fields["status"]  # a new round is open

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if not self.fields[name].disabled}


class ReportingRoundFilterForm(BootstrapMixin, UserFormMixin, forms.Form):
    year = forms.IntegerField(label=_("填报年度"), required=False, min_value=1949, max_value=2100)
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *RoundStatus.choices], required=False)


class ReviewForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(
        label=_("审核意见"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- what the evaluations need: monthly head counts, R&D-management evidence, integrity records ---------------


class MonthlyHeadcountForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    class Meta:
        model = MonthlyHeadcount
        fields = ["year", "month", "staff_start", "staff_end", "st_start", "st_end"]
        widgets = {"month": forms.Select(choices=[(m, format_lazy(_("{month}月"), month=m)) for m in range(1, 13)])}
        help_texts = {
            "staff_start": _("职工含在职、兼职和临时聘用人员；兼职、临时聘用人员全年须累计工作183天以上"),
            "st_start": _("直接从事研发和相关技术创新活动、以及专门从事上述活动的管理和服务的人员"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["year"].disabled = True
            self.fields["month"].disabled = True


class HeadcountYearForm(forms.Form):
    """A whole year's monthly head counts on one page (全年填报): four counts for each operating month; a month left
    blank is not saved, a month filled in part is refused."""

    def __init__(self, *args, months, organisation, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.months, self.organisation, self.year = list(months), organisation, year
        for month in self.months:
            for name in MonthlyHeadcount.COUNTS:
                label = format_lazy(
                    _("{month}月{field}"), month=month, field=MonthlyHeadcount._meta.get_field(name).verbose_name
                )
                widget = forms.NumberInput(attrs={"class": "form-control form-control-sm", "min": 0})
                self.fields[f"{name}_{month}"] = forms.IntegerField(
                    label=label, required=False, min_value=0, widget=widget,
                    error_messages={"min_value": format_lazy(_("{field}不能为负数"), field=label)},
                )  # fmt: skip

    def rows(self):
        """(month, [bound field for each count]) for the template's table."""
        return [(month, [self[f"{name}_{month}"] for name in MonthlyHeadcount.COUNTS]) for month in self.months]

    def clean(self):
        """Every month's problems at once: a month filled in part, and the rules of a month's record (S&T staff
        within staff, …) for each month filled in whole, beside the cells' own errors."""
        data = super().clean()
        for month in self.months:
            names = [f"{name}_{month}" for name in MonthlyHeadcount.COUNTS]
            if any(name in self.errors for name in names):  # a bad cell says so itself
                continue
            values = [data.get(name) for name in names]
            if all(v is None for v in values):
                continue
            if any(v is None for v in values):
                self.add_error(
                    names[0],
                    gettext("{month}月的月初、月末职工人数和科技人员数要么都填，要么都不填").format(month=month),
                )
                continue
            counts = dict(zip(MonthlyHeadcount.COUNTS, values, strict=True))
            record = MonthlyHeadcount(organisation=self.organisation, year=self.year, month=month, **counts)
            try:
                record.clean()
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    field = f"{name}_{month}" if name in MonthlyHeadcount.COUNTS else names[0]
                    for message in messages:
                        self.add_error(field, gettext("{month}月：{message}").format(month=month, message=message))
        return data

    def months_data(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            month: {name: data[f"{name}_{month}"] for name in MonthlyHeadcount.COUNTS}
            for month in self.months
            if data.get(f"staff_start_{month}") is not None
        }


class RDManagementEvidenceForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    class Meta:
        model = RDManagementEvidence
        fields = ["year", "item", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"year": _("佐证材料所属的会计年度；附件在保存后上传")}


class IntegrityRecordForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    class Meta:
        model = IntegrityRecord
        fields = ["kind", "date", "until", "description", "source"]
        widgets = {"date": DATE, "until": DATE, "description": forms.Textarea(attrs={"rows": 3})}


class IntegrityFilterForm(OrgChildFilterForm):
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("全部")), *IntegrityKind.choices], required=False)
