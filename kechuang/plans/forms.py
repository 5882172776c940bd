"""Forms of plan monitoring."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.forms import DATE, BootstrapMixin, UserFormMixin
from kechuang.regions.choices import RegionLevel

from .choices import ObservationStatus, Vintage
from .models import Indicator, Plan, TargetRevision


class PlanForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "name",
            "status",
            "threshold_ahead",
            "threshold_on_track",
            "threshold_on_track_binding",
            "threshold_lagging",
            "notes",
        ]


class PlanCreateForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    """A new plan; its indicators are added one by one on the plan's page, or the whole plan imported from a file."""

    class Meta:
        model = Plan
        fields = [
            "code",
            "name",
            "region",
            "baseline_year",
            "target_year",
            "threshold_ahead",
            "threshold_on_track",
            "threshold_on_track_binding",
            "threshold_lagging",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import scoped_regions

        self.fields["region"].queryset = scoped_regions(user=self.user).selectable().exclude(level=RegionLevel.TOWNSHIP)


class IndicatorForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    """An indicator's definition; its target changes only through a revision with its approving document."""

    metric = forms.ChoiceField(label=_("计算指标"), required=False)

    class Meta:
        model = Indicator
        fields = [
            "group",
            "name",
            "unit",
            "precision",
            "growth_precision",
            "kind",
            "direction",
            "attribute",
            "baseline",
            "show_cagr",
            "metric",
            "definition",
            "source",
            "department",
            "frequency",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .metrics import METRICS

        choices = [("", _("人工填报（不从登记数据计算）"))]
        choices += [(m.code, f"{m.code} · {m.name}（{m.unit}）") for m in METRICS.values()]
        self.fields["metric"].choices = choices

    def clean(self):
        from .planfile import definition_problems

        data = super().clean()
        if not self.errors:
            for problem in definition_problems(
                kind=data.get("kind"), direction=data.get("direction"), unit=data.get("unit"), metric=data.get("metric")
            ):
                self.add_error(None, problem)
        return data


class IndicatorCreateForm(IndicatorForm):
    """A new indicator: its code and target too (later changes of the target are revisions)."""

    class Meta(IndicatorForm.Meta):
        fields = ["code", "target", *IndicatorForm.Meta.fields]


class RevisionForm(BootstrapMixin, UserFormMixin, forms.ModelForm):
    class Meta:
        model = TargetRevision
        fields = ["date", "target", "document"]
        widgets = {"date": DATE}


class PlanImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("规划文件"), help_text=_("YAML（.yaml）或 Excel（.xlsx），可先导出一个规划作为模板"))


class ObservationForm(BootstrapMixin, forms.Form):
    indicator = forms.ModelChoiceField(label=_("指标"), queryset=Indicator.objects.none())
    region = forms.ModelChoiceField(label=_("区划"), queryset=None)
    year = forms.IntegerField(label=_("年份"), min_value=1949, max_value=2100)
    value = forms.DecimalField(label=_("数值"), max_digits=24, decimal_places=6, help_text=_("按指标的单位填写"))
    source = forms.CharField(label=_("来源文件"), max_length=128)
    vintage = forms.ChoiceField(label=_("数据版本"), choices=Vintage.choices, initial=Vintage.ANNUAL)
    comment = forms.CharField(label=_("说明"), max_length=255, required=False)

    def __init__(self, *args, indicators, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["indicator"].label_from_instance = lambda i: f"{i.plan.code} · {i.name}（{i.unit}）"
        self.fields["region"].queryset = regions


class ObservationImportForm(BootstrapMixin, forms.Form):
    plan = forms.ModelChoiceField(label=_("规划"), queryset=Plan.objects.none())
    file = forms.FileField(
        label=_("文件"),
        help_text=_("表头为 indicator,region,year,value,source,vintage 的 CSV（UTF-8 或 GB18030）或 xlsx"),
    )
    approve = forms.BooleanField(label=_("导入后直接审核通过"), required=False)

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans


class ObservationFilterForm(BootstrapMixin, UserFormMixin, forms.Form):
    plan = forms.CharField(label=_("规划代码"), required=False)
    status = forms.ChoiceField(
        label=_("审核状态"), required=False, choices=[("", _("全部")), *ObservationStatus.choices]
    )
    year = forms.IntegerField(label=_("年份"), required=False)
