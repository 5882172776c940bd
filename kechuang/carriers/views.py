"""Pages of the innovation carriers registry; thin, over selectors, services and the generic views."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kechuang.core.access import may, permitted, restrict
from kechuang.core.selectors import record_history
from kechuang.core.views import RecordDeleteView, RecordFormView, RecordListView
from kechuang.orgs.models import Organisation

from . import selectors, services
from .choices import TENANT_CARRIERS
from .forms import CarrierFilterForm, CarrierForm, TenantFilterForm, TenantForm
from .models import Carrier, Tenant
from .tables import CarrierTable, TenantTable

# --- carriers ----------------------------------------------------------------------------------------------


class CarrierListView(RecordListView):
    model = Carrier
    table_class = CarrierTable
    filter_form_class = CarrierFilterForm
    title = _("创新载体")
    create_url_name = "carriers:create"
    import_kind = "carriers"

    def queryset(self, action):
        return selectors.carrier_list(user=self.request.user, action=action)

    def filter(self, queryset, data):
        return selectors.carrier_filter(queryset, data)


@require_safe
def carrier_detail(request, pk: int):
    user = request.user
    carrier = get_object_or_404(restrict(Carrier, user).select_related("host", "host__region", "region"), pk=pk)
    tenants = selectors.tenant_list(user=user).filter(carrier=carrier)
    return render(
        request,
        "carriers/carrier_detail.html",
        {
            "carrier": carrier,
            "title": carrier.name,
            "tenants": TenantTable(tenants),
            "tenant_count": tenants.count(),
            "takes_tenants": carrier.kind in TENANT_CARRIERS,
            "valid_today": carrier.is_valid_on(timezone.localdate()),
            "history": record_history(user=user, records=Carrier.objects.filter(pk=carrier.pk)),
            "can_change": may(user, "change", carrier),
            "can_delete": may(user, "delete", carrier),
            "can_add_tenant": permitted(user, Tenant, "add"),
        },
    )


class CarrierFormView(RecordFormView):
    model = Carrier
    form_class = CarrierForm

    def new_instance(self):
        """``?host=<id>`` (from an organisation's page) preselects the host."""
        host = self.request.GET.get("host", "")
        organisation = restrict(Organisation, self.request.user).filter(pk=host).first() if host.isdigit() else None
        return Carrier(host=organisation)

    def cancel_url(self, obj):
        return obj.get_absolute_url() if obj is not None else reverse("carriers:list")

    def save(self, form, obj):
        data = form.service_data()
        if obj is None:
            return services.carrier_create(actor=self.request.user, **data)
        return services.carrier_update(actor=self.request.user, carrier=obj, data=data)


class CarrierDeleteView(RecordDeleteView):
    model = Carrier

    @staticmethod
    def service(*, actor, instance):
        services.carrier_delete(actor=actor, carrier=instance)

    def success_url(self, obj):
        return reverse("carriers:list")


# --- tenants -----------------------------------------------------------------------------------------------


class TenantListView(RecordListView):
    model = Tenant
    table_class = TenantTable
    filter_form_class = TenantFilterForm
    title = _("入驻企业")
    create_url_name = "carriers:tenant_create"
    import_kind = "tenants"

    def queryset(self, action):
        return selectors.tenant_list(user=self.request.user, action=action)

    def filter(self, queryset, data):
        return selectors.tenant_filter(queryset, data)


@require_safe
def tenant_detail(request, pk: int):
    user = request.user
    tenant = get_object_or_404(selectors.tenant_list(user=user), pk=pk)
    return render(
        request,
        "carriers/tenant_detail.html",
        {
            "tenant": tenant,
            "title": str(tenant),
            "resident_today": tenant.in_residence_on(timezone.localdate()),
            "carrier_visible": restrict(Carrier, user).filter(pk=tenant.carrier_id).exists(),
            "history": record_history(user=user, records=Tenant.objects.filter(pk=tenant.pk)),
            "can_change": may(user, "change", tenant),
            "can_delete": may(user, "delete", tenant),
        },
    )


class TenantFormView(RecordFormView):
    model = Tenant
    form_class = TenantForm

    def new_instance(self):
        """``?carrier=<id>`` (from a carrier's page) preselects the incubator or maker space."""
        carrier = self.request.GET.get("carrier", "")
        found = (
            selectors.tenant_choices(user=self.request.user).filter(pk=carrier).first() if carrier.isdigit() else None
        )
        return Tenant(carrier=found)

    def cancel_url(self, obj):
        return obj.get_absolute_url() if obj is not None else reverse("carriers:tenant_list")

    def save(self, form, obj):
        data = form.service_data()
        if obj is None:
            return services.tenant_create(actor=self.request.user, **data)
        return services.tenant_update(actor=self.request.user, tenant=obj, data=data)


class TenantDeleteView(RecordDeleteView):
    model = Tenant

    @staticmethod
    def service(*, actor, instance):
        services.tenant_delete(actor=actor, tenant=instance)

    def success_url(self, obj):
        return reverse("carriers:detail", args=[obj.carrier_id])
