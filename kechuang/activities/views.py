"""Pages of the activities registry; thin, over selectors, services and the generic views."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kechuang.core.access import may, permitted
from kechuang.core.forms import BootstrapMixin, UserFormMixin
from kechuang.core.selectors import record_history
from kechuang.core.views import RecordDeleteView, RecordFormView, RecordListView
from kechuang.regions.choices import RegionLevel
from kechuang.regions.models import Region
from kechuang.regions.selectors import region_choices_for

from . import selectors, services
from .forms import ActivityFilterForm, ActivityForm, SpendingFilterForm, SpendingForm
from .models import Activity, PopularisationSpending
from .tables import ActivityTable, SpendingTable

# --- activities --------------------------------------------------------------------------------------------


class ActivityListView(RecordListView):
    model = Activity
    table_class = ActivityTable
    filter_form_class = ActivityFilterForm
    title = _("科技活动")
    create_url_name = "activities:create"
    import_kind = "activities"

    def queryset(self, action):
        return selectors.activity_list(user=self.request.user, action=action)

    def filter(self, queryset, data):
        return selectors.activity_filter(queryset, data)


@require_safe
def activity_detail(request, pk: int):
    activity = get_object_or_404(selectors.activity_list(user=request.user), pk=pk)
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "title": activity.title,
            "history": record_history(user=request.user, records=Activity.objects.filter(pk=activity.pk)),
            "can_change": may(request.user, "change", activity),
            "can_delete": may(request.user, "delete", activity),
        },
    )


class ActivityFormView(RecordFormView):
    model = Activity
    form_class = ActivityForm

    def cancel_url(self, obj):
        return obj.get_absolute_url() if obj is not None else reverse("activities:list")

    def save(self, form, obj):
        data = form.service_data()
        if obj is None:
            return services.activity_create(actor=self.request.user, **data)
        return services.activity_update(actor=self.request.user, activity=obj, data=data)


class ActivityDeleteView(RecordDeleteView):
    model = Activity

    @staticmethod
    def service(*, actor, instance):
        services.activity_delete(actor=actor, activity=instance)

    def success_url(self, obj):
        return reverse("activities:list")


# --- popularisation spending -------------------------------------------------------------------------------


class SpendingListView(RecordListView):
    model = PopularisationSpending
    table_class = SpendingTable
    filter_form_class = SpendingFilterForm
    title = _("科普经费")
    create_url_name = "activities:spending_create"
    template_name = "activities/spending_list.html"

    def queryset(self, action):
        return selectors.spending_list(user=self.request.user, action=action)

    def filter(self, queryset, data):
        return selectors.spending_filter(queryset, data)


@require_safe
def spending_detail(request, pk: int):
    spending = get_object_or_404(selectors.spending_list(user=request.user), pk=pk)
    figure = selectors.popularisation_per_resident(user=request.user, year=spending.year, region=spending.region)
    return render(
        request,
        "activities/spending_detail.html",
        {
            "spending": spending,
            "figure": figure,
            "title": str(spending),
            "history": record_history(user=request.user, records=PopularisationSpending.objects.filter(pk=spending.pk)),
            "can_change": may(request.user, "change", spending),
            "can_delete": may(request.user, "delete", spending),
        },
    )


class SpendingFormView(RecordFormView):
    model = PopularisationSpending
    form_class = SpendingForm

    def cancel_url(self, obj):
        return obj.get_absolute_url() if obj is not None else reverse("activities:spending_list")

    def save(self, form, obj):
        data = form.service_data()
        if obj is None:
            return services.spending_create(actor=self.request.user, **data)
        return services.spending_update(actor=self.request.user, spending=obj, data=data)


class SpendingDeleteView(RecordDeleteView):
    model = PopularisationSpending

    @staticmethod
    def service(*, actor, instance):
        services.spending_delete(actor=actor, spending=instance)

    def success_url(self, obj):
        return reverse("activities:spending_list")


class PerResidentForm(BootstrapMixin, UserFormMixin, forms.Form):
    region = forms.ModelChoiceField(label=_("区划"), queryset=Region.objects.none(), empty_label=None)
    year = forms.IntegerField(label=_("年度"), min_value=1949, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = (RegionLevel.PROVINCE, RegionLevel.PREFECTURE, RegionLevel.COUNTY, RegionLevel.TOWNSHIP)
        self.fields["region"].queryset = region_choices_for(self.user, levels=levels)


@require_safe
def per_resident(request):
    """年人均科普经费 of a region and year, with the figure of each of its child regions (drill-down)."""
    if not permitted(request.user, PopularisationSpending, "view"):
        raise PermissionDenied
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year - 1))
    if "region" not in data and request.user.region_id:
        data["region"] = str(request.user.region_id)
    form = PerResidentForm(data, user=request.user)
    figure = children = records = None
    if form.is_valid() and selectors.region_in_scope(user=request.user, region=form.cleaned_data["region"]):
        region, year = form.cleaned_data["region"], form.cleaned_data["year"]
        figure = selectors.popularisation_per_resident(user=request.user, year=year, region=region)
        children = selectors.popularisation_by_child(user=request.user, year=year, region=region)
        records = selectors.popularisation_spending(user=request.user, year=year, region=region)
        records = records.select_related("region").order_by("region__path")
    return render(
        request,
        "activities/per_resident.html",
        {
            "title": gettext("年人均科普经费"),
            "form": form,
            "figure": figure,
            "children": children,
            "records": records,
        },
    )
