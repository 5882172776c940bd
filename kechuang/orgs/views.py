"""Pages of the organisation master file; thin, over selectors, services and the generic views."""

from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kechuang.core.access import may, permitted, restrict
from kechuang.core.models import Attachment
from kechuang.core.selectors import record_history
from kechuang.core.views import RecordDeleteView, RecordFormView, RecordListView

from . import selectors, services
from .sections import sections_for
from .forms import (
    AnnualFiguresForm,
    CertificateFilterForm,
    CertificateForm,
    OrganisationFilterForm,
    OrganisationForm,
    OrgChildFilterForm,
    PoolMembershipForm,
    ServiceRecordForm,
)
from .models import AnnualFigures, Certificate, Organisation, PoolMembership, ServiceRecord
from .tables import (
    AnnualFiguresTable,
    CertificateTable,
    OrganisationTable,
    PoolMembershipTable,
    ServiceRecordTable,
)

# --- organisations -----------------------------------------------------------------------------------------


class OrganisationListView(RecordListView):
    model = Organisation
    table_class = OrganisationTable
    filter_form_class = OrganisationFilterForm
    title = _("单位档案")
    create_url_name = "orgs:create"
    import_kind = "orgs"

    def queryset(self, action):
        return selectors.organisation_list(user=self.request.user, action=action)

    def filter(self, queryset, data):
        return selectors.organisation_filter(queryset, data)


@require_safe
def organisation_detail(request, pk: int):
    organisation = get_object_or_404(restrict(Organisation, request.user).select_related("region", "industry"), pk=pk)
    user = request.user
    children = {
        "figures": selectors.figures_for(user=user, organisation=organisation),
        "certificates": selectors.certificates_for(user=user, organisation=organisation),
        "memberships": selectors.memberships_for(user=user, organisation=organisation),
        "services": restrict(ServiceRecord, user).filter(organisation=organisation).select_related("staff"),
        "attachments": restrict(Attachment, user).filter(organisation=organisation),
    }
    return render(
        request,
        "orgs/organisation_detail.html",
        {
            "org": organisation,
            "title": organisation.name,
            **children,
            "sections": sections_for(user=user, organisation=organisation),
            "history": record_history(user=user, records=Organisation.objects.filter(pk=organisation.pk)),
            "figures_history": record_history(user=user, records=children["figures"]),
            "can": {
                "change": may(user, "change", organisation),
                "delete": may(user, "delete", organisation),
                **{
                    f"add_{m._meta.model_name}": permitted(user, m, "add")
                    for m in (AnnualFigures, Certificate, PoolMembership, ServiceRecord, Attachment)
                },
                **{
                    f"{action}_{m._meta.model_name}": permitted(user, m, action)
                    for m in (AnnualFigures, Certificate, PoolMembership, ServiceRecord)
                    for action in ("change", "delete")
                },
            },
            "org_content_type": ContentType.objects.get_for_model(Organisation).pk,
            "certificate_content_type": ContentType.objects.get_for_model(Certificate).pk,
            "today": timezone.localdate(),
        },
    )


class OrganisationFormView(RecordFormView):
    model = Organisation
    form_class = OrganisationForm

    def save(self, form, obj):
        data = form.service_data()
        if obj is None:
            return services.organisation_create(actor=self.request.user, **data)
        return services.organisation_update(actor=self.request.user, organisation=obj, data=data)


class OrganisationDeleteView(RecordDeleteView):
    model = Organisation

    @staticmethod
    def service(*, actor, instance):
        services.organisation_delete(actor=actor, organisation=instance)

    def success_url(self, obj):
        return "/orgs/"


# --- records on one organisation ---------------------------------------------------------------------------


class ChildFormView(RecordFormView):
    """Create (under /orgs/<org>/…/new/) or edit (/orgs/…/<pk>/edit/) a record of one organisation."""

    @cached_property
    def organisation(self):
        return get_object_or_404(restrict(Organisation, self.request.user), pk=self.kwargs["org"])

    def new_instance(self):
        return self.model(organisation=self.organisation)

    def cancel_url(self, obj):
        return (obj or self.new_instance()).get_absolute_url()

    def title(self, obj):
        org = obj.organisation if obj else self.organisation
        return f"{org} · {super().title(obj)}"

    def save(self, form, obj):
        data = {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}
        if obj is None:
            return services.child_create(
                actor=self.request.user,
                model=self.model,
                organisation=form.instance.organisation,
                **self.extra(),
                **data,
            )
        return services.child_update(actor=self.request.user, instance=obj, data=data)

    def extra(self) -> dict:
        return {}


class FiguresFormView(ChildFormView):
    model = AnnualFigures
    form_class = AnnualFiguresForm

    def save(self, form, obj):
        data = {name: form.cleaned_data[name] for name in form.fields if name != "year"}
        organisation = obj.organisation if obj else form.instance.organisation
        year = obj.year if obj else form.cleaned_data["year"]
        return services.figures_save(
            actor=self.request.user, organisation=organisation, year=year, data=data, replace=obj is not None
        )


class CertificateFormView(ChildFormView):
    model = Certificate
    form_class = CertificateForm


class PoolMembershipFormView(ChildFormView):
    model = PoolMembership
    form_class = PoolMembershipForm


class ServiceRecordFormView(ChildFormView):
    model = ServiceRecord
    form_class = ServiceRecordForm

    def extra(self):
        return {"staff": self.request.user}


class ChildDeleteView(RecordDeleteView):
    service = staticmethod(services.child_delete)

    def success_url(self, obj):
        return obj.get_absolute_url()


# --- lists across organisations ----------------------------------------------------------------------------


class ChildListView(RecordListView):
    filter_form_class = OrgChildFilterForm

    def queryset(self, action):
        return super().queryset(action).select_related("organisation")

    def filter(self, queryset, data):
        if data.get("q"):
            matching = selectors.organisation_search(Organisation.objects.all(), data["q"])
            queryset = queryset.filter(organisation__in=matching)
        if data.get("year") and hasattr(self.model, "year"):
            queryset = queryset.filter(year=data["year"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        return queryset


class FiguresListView(ChildListView):
    model, table_class, title = AnnualFigures, AnnualFiguresTable, _("年度数据")
    import_kind = "figures"


class CertificateListView(ChildListView):
    model, table_class, title = Certificate, CertificateTable, _("资质证书")
    filter_form_class = CertificateFilterForm
    import_kind = "certificates"


class PoolMembershipListView(ChildListView):
    model, table_class, title = PoolMembership, PoolMembershipTable, _("入库记录")

    def queryset(self, action):
        return super().queryset(action).select_related("pool")


class ServiceRecordListView(ChildListView):
    model, table_class, title = ServiceRecord, ServiceRecordTable, _("服务记录")

    def queryset(self, action):
        return super().queryset(action).select_related("staff")
