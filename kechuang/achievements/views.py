"""Pages of the achievements registry; thin, over selectors, services and the generic views."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kechuang.core.access import may, restrict
from kechuang.core.selectors import record_history
from kechuang.core.views import RecordDeleteView, RecordFormView, RecordListView
from kechuang.orgs.models import Organisation

from . import selectors, services
from .forms import (
    AchievementFilterForm,
    AchievementForm,
    AwardFilterForm,
    AwardForm,
    ContractFilterForm,
    ConversionFilterForm,
    ConversionRecordForm,
    TechContractForm,
)
from .models import Achievement, Award, Conversion, TechContract
from .tables import AchievementTable, AwardTable, ConversionTable, TechContractTable

# --- lists -------------------------------------------------------------------------------------------------


class AchievementListView(RecordListView):
    model, table_class, filter_form_class = Achievement, AchievementTable, AchievementFilterForm
    title = _("科技成果")
    create_url_name = "achievements:create"
    import_kind = "achievements"

    def queryset(self, action):
        return selectors.achievement_list(user=self.request.user, action=action)

    def filter(self, queryset, data):
        return selectors.achievement_filter(queryset, data)


class ConversionListView(RecordListView):
    model, table_class, filter_form_class = Conversion, ConversionTable, ConversionFilterForm
    title = _("成果转化")
    create_url_name = "achievements:conversion_create"
    import_kind = "conversions"

    def queryset(self, action):
        return selectors.conversion_list(user=self.request.user, action=action)

    def filter(self, queryset, data):
        return selectors.conversion_filter(queryset, data)


class TechContractListView(RecordListView):
    model, table_class, filter_form_class = TechContract, TechContractTable, ContractFilterForm
    title = _("技术合同")
    create_url_name = "achievements:contract_create"
    import_kind = "contracts"

    def queryset(self, action):
        return selectors.contract_list(user=self.request.user, action=action)

    def filter(self, queryset, data):
        return selectors.contract_filter(queryset, data)


class AwardListView(RecordListView):
    model, table_class, filter_form_class = Award, AwardTable, AwardFilterForm
    title = _("科技奖励")
    create_url_name = "achievements:award_create"

    def queryset(self, action):
        return selectors.award_list(user=self.request.user, action=action)

    def filter(self, queryset, data):
        return selectors.award_filter(queryset, data)


# --- detail pages ------------------------------------------------------------------------------------------


def _detail(request, template: str, record, **extra):
    return render(
        request,
        template,
        {
            "object": record,
            "title": str(record),
            "can_change": may(request.user, "change", record),
            "can_delete": may(request.user, "delete", record),
            "history": record_history(user=request.user, records=type(record).objects.filter(pk=record.pk)),
            **extra,
        },
    )


@require_safe
def achievement_detail(request, pk: int):
    achievement = get_object_or_404(selectors.achievement_list(user=request.user), pk=pk)
    return _detail(
        request,
        "achievements/achievement_detail.html",
        achievement,
        conversions=selectors.conversion_list(user=request.user).filter(achievement=achievement),
        awards=restrict(Award, request.user).filter(achievement=achievement),
    )


@require_safe
def conversion_detail(request, pk: int):
    conversion = get_object_or_404(selectors.conversion_list(user=request.user), pk=pk)
    achievement = conversion.achievement
    visible = achievement is not None and may(request.user, "view", achievement)
    return _detail(request, "achievements/conversion_detail.html", conversion, achievement_visible=visible)


@require_safe
def contract_detail(request, pk: int):
    contract = get_object_or_404(selectors.contract_list(user=request.user), pk=pk)
    return _detail(request, "achievements/techcontract_detail.html", contract)


@require_safe
def award_detail(request, pk: int):
    award = get_object_or_404(selectors.award_list(user=request.user), pk=pk)
    achievement = award.achievement
    visible = achievement is not None and may(request.user, "view", achievement)
    return _detail(request, "achievements/award_detail.html", award, achievement_visible=visible)


# --- forms -------------------------------------------------------------------------------------------------


class _PrefilledFormView(RecordFormView):
    """A new record may start from an organisation's page (``?organisation=<pk>``) or an achievement's."""

    prefill: dict[str, type] = {}

    def form_kwargs(self, obj):
        kwargs = super().form_kwargs(obj)
        if obj is None:
            initial = {}
            for name, model in self.prefill.items():
                value = self.request.GET.get(name, "")
                if value.isdigit() and restrict(model, self.request.user).filter(pk=value).exists():
                    initial[name] = int(value)
            kwargs["initial"] = initial
        return kwargs

    def cancel_url(self, obj):
        return obj.get_absolute_url() if obj is not None else self.list_url

    list_url = "../"


class AchievementFormView(_PrefilledFormView):
    model, form_class = Achievement, AchievementForm
    prefill = {"organisation": Organisation}
    list_url = "/achievements/"

    def save(self, form, obj):
        data, units = form.service_data()
        if obj is None:
            return services.achievement_create(actor=self.request.user, units=units, **data)
        return services.achievement_update(actor=self.request.user, achievement=obj, data=data, units=units)


class ConversionFormView(_PrefilledFormView):
    model, form_class = Conversion, ConversionRecordForm
    prefill = {"organisation": Organisation, "achievement": Achievement}
    list_url = "/achievements/conversions/"

    def save(self, form, obj):
        data = form.service_data()
        if obj is None:
            return services.conversion_create(actor=self.request.user, **data)
        return services.conversion_update(actor=self.request.user, conversion=obj, data=data)


class TechContractFormView(_PrefilledFormView):
    model, form_class = TechContract, TechContractForm
    prefill = {"seller": Organisation}
    list_url = "/achievements/contracts/"

    def save(self, form, obj):
        data = form.service_data()
        if obj is None:
            return services.contract_create(actor=self.request.user, **data)
        return services.contract_update(actor=self.request.user, contract=obj, data=data)


class AwardFormView(_PrefilledFormView):
    model, form_class = Award, AwardForm
    prefill = {"organisation": Organisation, "achievement": Achievement}
    list_url = "/achievements/awards/"

    def save(self, form, obj):
        data, units, people = form.service_data()
        if obj is None:
            return services.award_create(actor=self.request.user, units=units, people=people, **data)
        return services.award_update(actor=self.request.user, award=obj, data=data, units=units, people=people)


# --- deletes -----------------------------------------------------------------------------------------------


class AchievementDeleteView(RecordDeleteView):
    model = Achievement

    @staticmethod
    def service(*, actor, instance):
        services.achievement_delete(actor=actor, achievement=instance)

    def success_url(self, obj):
        return "/achievements/"


class ConversionDeleteView(RecordDeleteView):
    model = Conversion

    @staticmethod
    def service(*, actor, instance):
        services.conversion_delete(actor=actor, conversion=instance)

    def success_url(self, obj):
        return "/achievements/conversions/"


class TechContractDeleteView(RecordDeleteView):
    model = TechContract

    @staticmethod
    def service(*, actor, instance):
        services.contract_delete(actor=actor, contract=instance)

    def success_url(self, obj):
        return "/achievements/contracts/"


class AwardDeleteView(RecordDeleteView):
    model = Award

    @staticmethod
    def service(*, actor, instance):
        services.award_delete(actor=actor, award=instance)

    def success_url(self, obj):
        return "/achievements/awards/"
