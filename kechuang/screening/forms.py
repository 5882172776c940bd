"""Forms of the annual screening: starting a run, deciding candidates, choosing a pool's year and a day."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kechuang.core.forms import DATE, BootstrapMixin, UserFormMixin
from kechuang.orgs.selectors import approved_figures
from kechuang.regions.choices import RegionLevel
from kechuang.regions.selectors import region_choices_for

from .choices import Decision, Proposal
from .selectors import screened_pools


def _last_year() -> int:
    return timezone.localdate().year - 1


def _data_year(user) -> int:
    """The year a run most likely wants: the latest with approved figures in the user's scope (the demo county's end
    in 2020), and at most last year, the last whole one."""
    latest = approved_figures(user=user).aggregate(latest=Max("year"))["latest"]
    return min(latest, _last_year()) if latest else _last_year()


class RunForm(BootstrapMixin, UserFormMixin, forms.Form):
    pool = forms.ModelChoiceField(label=pgettext_lazy("field", "培育库"), queryset=None, empty_label=None)
    year = forms.IntegerField(
        label=_("数据年度"),
        min_value=1949,
        max_value=2100,
        help_text=_("用该年度已审核的年度数据筛选；入库、出库年度为其次年"),
    )
    region = forms.ModelChoiceField(
        label=_("筛选范围"),
        queryset=None,
        required=False,
        empty_label=_("本账号的所属区划"),
        help_text=_("可选管辖范围内的一个区划"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].queryset = screened_pools()
        self.fields["year"].initial = _data_year(self.user)
        levels = (RegionLevel.PROVINCE, RegionLevel.PREFECTURE, RegionLevel.COUNTY, RegionLevel.TOWNSHIP)
        self.fields["region"].queryset = region_choices_for(self.user, levels=levels)


class DecisionForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("确认结果"), choices=[(Decision.CONFIRMED, _("确认")), (Decision.REJECTED, _("不予采纳"))]
    )
    comment = forms.CharField(
        label=_("意见"),
        required=False,
        max_length=1000,
        help_text=_("不予采纳时必填"),
        widget=forms.TextInput(attrs={"placeholder": _("意见（不予采纳时必填）"), "aria-label": _("意见")}),
    )


class CandidateFilterForm(BootstrapMixin, UserFormMixin, forms.Form):
    proposal = forms.ChoiceField(label=_("建议"), required=False, choices=[("", _("全部")), *Proposal.choices])
    decision = forms.ChoiceField(label=_("确认结果"), required=False, choices=[("", _("全部")), *Decision.choices])


class TrajectoryForm(BootstrapMixin, UserFormMixin, forms.Form):
    pool = forms.ModelChoiceField(
        label=pgettext_lazy("field", "培育库"), queryset=None, required=False, to_field_name="code"
    )
    year = forms.IntegerField(label=_("截至年度"), min_value=1949, max_value=2100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from kechuang.orgs.models import Pool

        self.fields["pool"].queryset = Pool.objects.order_by("code")


# The days a certificate's expiry is counted from: a year later must still be a date (9999-12-31 is not).
FIRST_DAY, LAST_DAY = datetime.date(1949, 1, 1), datetime.date(2100, 12, 31)
MAX_ID = 2**63 - 1  # a larger candidate "id" is no record's (and overflows SQLite's integers)


class DayForm(BootstrapMixin, UserFormMixin, forms.Form):
    day = forms.DateField(
        label=_("起算日期"),
        required=False,
        widget=DATE,
        help_text=_("列出有效期在该日起 12 个月内届满的高新技术企业证书；默认今天"),
        validators=[
            MinValueValidator(FIRST_DAY, message=_("起算日期不能早于 1949-01-01，请重新选择")),
            MaxValueValidator(LAST_DAY, message=_("起算日期不能晚于 2100-12-31，请重新选择")),
        ],
    )
