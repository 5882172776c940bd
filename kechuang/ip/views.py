"""Pages of the IP registry; thin, over selectors, services and the generic views."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_safe

from kechuang.core.access import ensure_may, may, restrict
from kechuang.core.selectors import record_history
from kechuang.core.views import RecordDeleteView, RecordFormView, RecordListView, apply_service_errors
from kechuang.orgs.models import Organisation

from . import selectors, services
from .forms import OtherIPFilterForm, OtherIPForm, PatentEventForm, PatentFilterForm, PatentForm
from .models import OtherIP, Patent, PatentEvent
from .tables import OtherIPTable, PatentTable


def _organisation_from_query(request, name: str):
    """The organisation a "new record" link names (?owner=… / ?organisation=…), if the user may see it."""
    pk = request.GET.get(name) or request.POST.get(name)
    if not pk or not str(pk).isdigit():
        return None
    return restrict(Organisation, request.user).filter(pk=pk).first()


# --- patents -----------------------------------------------------------------------------------------------


class PatentListView(RecordListView):
    model = Patent
    table_class = PatentTable
    filter_form_class = PatentFilterForm
    title = _("专利")
    create_url_name = "ip:patent_create"
    import_kind = "patents"

    def queryset(self, action):
        return selectors.patent_list(user=self.request.user, action=action)

    def filter(self, queryset, data):
        return selectors.patent_filter(queryset, data)


@require_safe
def patent_detail(request, pk: int):
    patent = get_object_or_404(restrict(Patent, request.user).select_related("region"), pk=pk)
    user = request.user
    owners = list(patent.owners.select_related("organisation", "region"))
    # Link only the owners' master files the user may open (an enterprise sees its own, not its co-owner's).
    linked = set(
        restrict(Organisation, user).filter(pk__in=[o.organisation_id for o in owners]).values_list("pk", flat=True)
    )
    return render(
        request,
        "ip/patent_detail.html",
        {
            "patent": patent,
            "title": str(patent),
            "owners": [(owner, owner.organisation_id in linked) for owner in owners],
            "events": patent.events.all(),
            "status": patent.status_on(timezone.localdate()),
            "today": timezone.localdate(),
            "term_end": patent.term_end(),
            "history": record_history(user=user, records=Patent.objects.filter(pk=patent.pk)),
            "can_change": may(user, "change", patent),
            "can_delete": may(user, "delete", patent),
        },
    )


class PatentFormView(RecordFormView):
    model = Patent
    form_class = PatentForm

    def form_kwargs(self, obj):
        kwargs = super().form_kwargs(obj)
        if obj is None:
            kwargs["owner_org"] = _organisation_from_query(self.request, "owner")
        return kwargs

    def cancel_url(self, obj):
        return obj.get_absolute_url() if obj is not None else reverse("ip:patent_list")

    def save(self, form, obj):
        data = form.service_data()
        if obj is None:
            grant_date = form.cleaned_data.get("grant_date")
            return services.patent_create(
                actor=self.request.user, owners=form.owner_specs, grant_date=grant_date, **data
            )
        return services.patent_update(actor=self.request.user, patent=obj, data=data, owners=form.owner_specs)


class PatentDeleteView(RecordDeleteView):
    model = Patent

    @staticmethod
    def service(*, actor, instance):
        services.patent_delete(actor=actor, patent=instance)

    def success_url(self, obj):
        return reverse("ip:patent_list")


class PatentEventCreateView(LoginRequiredMixin, View):
    """登记法律状态: a dated event on a patent the user may change."""

    @cached_property
    def patent(self) -> Patent:
        patent = get_object_or_404(restrict(Patent, self.request.user), pk=self.kwargs["pk"])
        ensure_may(self.request.user, "change", patent)
        return patent

    def render_form(self, form):
        title = gettext("登记法律状态：{patent}").format(patent=self.patent)
        context = {"form": form, "title": title, "cancel_url": self.patent.get_absolute_url()}
        return render(self.request, "core/form.html", context)

    def get(self, request, *args, **kwargs):
        return self.render_form(PatentEventForm(user=request.user))

    def post(self, request, *args, **kwargs):
        form = PatentEventForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.patent_event_add(actor=request.user, patent=self.patent, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, gettext("已登记法律状态"))
                return redirect(self.patent.get_absolute_url())
        return self.render_form(form)


class PatentEventDeleteView(LoginRequiredMixin, View):
    """Remove a legal-status event entered by mistake (the right to change the patent is what counts)."""

    def get_object(self) -> PatentEvent:
        visible = restrict(Patent, self.request.user)
        event = get_object_or_404(
            PatentEvent.objects.select_related("patent"), pk=self.kwargs["pk"], patent__in=visible
        )
        ensure_may(self.request.user, "change", event.patent)
        return event

    def get(self, request, *args, **kwargs):
        event = self.get_object()
        return render(request, "core/confirm_delete.html", {"object": event, "title": gettext("删除专利法律状态")})

    def post(self, request, *args, **kwargs):
        event = self.get_object()
        target = event.patent.get_absolute_url()
        try:
            services.patent_event_delete(actor=request.user, instance=event)
        except ValidationError as error:
            messages.error(request, gettext("；").join(error.messages))
        else:
            messages.success(request, gettext("已删除：{object}").format(object=event))
        return redirect(target)


# --- other IP ----------------------------------------------------------------------------------------------


class OtherIPListView(RecordListView):
    model = OtherIP
    table_class = OtherIPTable
    filter_form_class = OtherIPFilterForm
    title = _("其他知识产权")
    create_url_name = "ip:otherip_create"
    import_kind = "other-ip"

    def queryset(self, action):
        return selectors.other_ip_list(user=self.request.user, action=action)

    def filter(self, queryset, data):
        return selectors.other_ip_filter(queryset, data)


@require_safe
def otherip_detail(request, pk: int):
    record = get_object_or_404(restrict(OtherIP, request.user).select_related("organisation"), pk=pk)
    user = request.user
    return render(
        request,
        "ip/otherip_detail.html",
        {
            "record": record,
            "title": str(record),
            "valid": record.is_valid_on(timezone.localdate()),
            "history": record_history(user=user, records=OtherIP.objects.filter(pk=record.pk)),
            "can_change": may(user, "change", record),
            "can_delete": may(user, "delete", record),
            "can_view_org": may(user, "view", record.organisation),
        },
    )


class OtherIPFormView(RecordFormView):
    model = OtherIP
    form_class = OtherIPForm

    def new_instance(self):
        organisation = _organisation_from_query(self.request, "organisation")
        return OtherIP(organisation=organisation) if organisation is not None else OtherIP()

    def cancel_url(self, obj):
        return obj.get_absolute_url() if obj is not None else reverse("ip:otherip_list")

    def save(self, form, obj):
        data = form.service_data()
        if obj is None:
            return services.other_ip_create(actor=self.request.user, **data)
        data.pop("organisation", None)
        return services.other_ip_update(actor=self.request.user, instance=obj, data=data)


class OtherIPDeleteView(RecordDeleteView):
    model = OtherIP
    service = staticmethod(services.other_ip_delete)

    def success_url(self, obj):
        return reverse("ip:otherip_list")
