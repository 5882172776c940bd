"""Pages of the talent registry; thin, over selectors, services and the generic views."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kechuang.core.access import ensure_may, may, permitted, restrict
from kechuang.core.selectors import record_history
from kechuang.core.views import RecordDeleteView, RecordFormView, RecordListView, apply_service_errors, export_name

from . import selectors, services
from .forms import (
    CommissionerFilterForm,
    CommissionerForm,
    PersonFilterForm,
    PersonForm,
    PhotoForm,
    ServiceLogFilterForm,
    ServiceLogForm,
    SummaryFilterForm,
    TitleForm,
)
from .identity import may_see_identity
from .models import Commissioner, Person, ServiceLog, Title
from .tables import CommissionerSummaryTable, CommissionerTable, PersonTable, ServiceLogTable

# --- people -------------------------------------------------------------------------------------------------


class PersonListView(RecordListView):
    model = Person
    table_class = PersonTable
    filter_form_class = PersonFilterForm
    title = _("科技人才")
    create_url_name = "talent:create"
    import_kind = "talents"

    def queryset(self, action):
        return selectors.person_list(user=self.request.user, action=action)

    def filter(self, queryset, data):
        return selectors.person_filter(queryset, data)


def _person_or_404(request, pk: int) -> Person:
    return get_object_or_404(selectors.person_list(user=request.user), pk=pk)


@require_safe
def person_detail(request, pk: int):
    person = _person_or_404(request, pk)
    user = request.user
    return render(
        request,
        "talent/person_detail.html",
        {
            "person": person,
            "title": person.name,
            "id_number": person.id_number_for(user),
            "identity_shown": may_see_identity(user),
            "titles": person.titles.all(),
            "current_title": person.title_on(timezone.localdate()),
            "commissioner_years": restrict(Commissioner, user).filter(person=person).select_related("township"),
            "history": selectors.person_history(user=user, person=person),
            "can": {
                "change": may(user, "change", person),
                "delete": may(user, "delete", person),
                "add_commissioner": permitted(user, Commissioner, "add"),
            },
        },
    )


class PersonFormView(RecordFormView):
    model = Person
    form_class = PersonForm

    def get_object(self):
        obj = super().get_object()
        return obj if obj is None else selectors.person_get(user=self.request.user, pk=obj.pk)

    def form_kwargs(self, obj):
        kwargs = super().form_kwargs(obj)
        if obj is None and (org := self.request.GET.get("organisation", "")).isdigit():
            kwargs["initial"] = {"organisation": org}
        return kwargs

    def save(self, form, obj):
        data = form.service_data()
        if obj is None:
            return services.person_create(actor=self.request.user, **data)
        return services.person_update(actor=self.request.user, person=obj, data=data)

    def cancel_url(self, obj):
        return obj.get_absolute_url() if obj is not None else "/talent/"


class PersonDeleteView(RecordDeleteView):
    model = Person
    service = staticmethod(services.person_delete)

    def success_url(self, obj):
        return "/talent/"


# --- titles (part of the person: changing one needs the right to change the person) ------------------------


def _title_or_404(request, pk: int) -> Title:
    people = restrict(Person, request.user)
    return get_object_or_404(Title.objects.select_related("person").filter(person__in=people), pk=pk)


class TitleFormView(RecordFormView):
    """Add a title to a person (/talent/<person>/titles/new/) or edit one (/talent/titles/<pk>/edit/)."""

    model = Person  # the page's right is the person's
    form_class = TitleForm

    @cached_property
    def person(self) -> Person:
        person = get_object_or_404(restrict(Person, self.request.user), pk=self.kwargs["person"])
        ensure_may(self.request.user, "change", person)
        return person

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        title = _title_or_404(self.request, self.kwargs["pk"])
        ensure_may(self.request.user, "change", title.person)
        return title

    def new_instance(self):
        return Title(person=self.person)

    def title(self, obj):
        person = obj.person if obj else self.person
        action = gettext("编辑职称") if obj else gettext("新增职称")
        return f"{person} · {action}"

    def cancel_url(self, obj):
        return (obj.person if obj else self.person).get_absolute_url() + "#titles"

    def save(self, form, obj):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if obj is None:
            return services.title_create(actor=self.request.user, person=self.person, **data)
        return services.title_update(actor=self.request.user, instance=obj, data=data)


def title_delete(request, pk: int):
    title = _title_or_404(request, pk)
    ensure_may(request.user, "change", title.person)
    if request.method == "POST":
        services.title_delete(actor=request.user, instance=title)
        messages.success(request, gettext("已删除：{object}").format(object=title))
        return redirect(title.person.get_absolute_url() + "#titles")
    return render(request, "core/confirm_delete.html", {"object": title, "title": gettext("删除职称")})


# --- S&T commissioners ----------------------------------------------------------------------------------------


class CommissionerListView(RecordListView):
    model = Commissioner
    table_class = CommissionerTable
    filter_form_class = CommissionerFilterForm
    title = _("科技特派员")
    template_name = "talent/commissioner_list.html"
    create_url_name = "talent:commissioner_create"
    import_kind = "commissioners"

    def queryset(self, action):
        return selectors.commissioner_list(user=self.request.user, action=action)

    def filter(self, queryset, data):
        return selectors.commissioner_filter(queryset, data)


@require_safe
def commissioner_detail(request, pk: int):
    user = request.user
    commissioner = get_object_or_404(selectors.commissioner_list(user=user), pk=pk)
    summary = selectors.commissioner_summary(user=user, year=commissioner.year).get(pk=pk)
    person = commissioner.person
    return render(
        request,
        "talent/commissioner_detail.html",
        {
            "commissioner": commissioner,
            "title": str(commissioner),
            "summary": summary,
            "id_number": person.id_number_for(user),
            "person_visible": may(user, "view", person),
            "logs": restrict(ServiceLog, user).filter(commissioner=commissioner).order_by("date", "pk"),
            "history": record_history(user=user, records=Commissioner.objects.filter(pk=pk)),
            "can": {
                "change": may(user, "change", commissioner),
                "delete": may(user, "delete", commissioner),
                "add_log": permitted(user, ServiceLog, "add"),
            },
        },
    )


class CommissionerFormView(RecordFormView):
    """New from the roster list (the person named by ID number) or from a person's page; or edit."""

    model = Commissioner
    form_class = CommissionerForm

    def new_instance(self):
        if "person" in self.kwargs:
            return Commissioner(person=get_object_or_404(restrict(Person, self.request.user), pk=self.kwargs["person"]))
        return Commissioner()

    def save(self, form, obj):
        data = form.service_data()
        if obj is None:
            return services.commissioner_create(actor=self.request.user, person=form.instance.person, **data)
        return services.commissioner_update(actor=self.request.user, instance=obj, data=data)

    def cancel_url(self, obj):
        return obj.get_absolute_url() if obj is not None else "/talent/commissioners/"


class CommissionerDeleteView(RecordDeleteView):
    model = Commissioner
    service = staticmethod(services.commissioner_delete)

    def success_url(self, obj):
        return "/talent/commissioners/"


def commissioner_summary(request):
    """年度服务汇总: each commissioner of a year with visits, days, villages, trainings and trainees."""
    user = request.user
    if not permitted(user, Commissioner, "view"):
        raise PermissionDenied
    data = request.GET.copy()
    # Without a year: the latest year on the roster the user may see (last year when there is none).
    latest = restrict(Commissioner, user).order_by("-year").values_list("year", flat=True).first()
    default_year = latest or timezone.localdate().year - 1
    data.setdefault("year", str(default_year))
    form = SummaryFilterForm(data, user=user)
    filters = form.cleaned_data if form.is_valid() else {"year": default_year}
    year = filters["year"]
    rows = selectors.commissioner_summary(user=user, year=year, filters=filters)
    title = gettext("科技特派员年度服务汇总")
    if request.GET.get("export") == "xlsx":
        if not permitted(user, Commissioner, "export"):
            raise PermissionDenied
        return CommissionerSummaryTable(rows).export(export_name(title, form, filters))
    region = filters.get("township")
    totals = selectors.commissioner_figures(user=user, year=year, region=region)
    return render(
        request,
        "talent/commissioner_summary.html",
        {
            "title": title,
            "form": form,
            "year": year,
            "table": CommissionerSummaryTable(rows),
            "totals": totals,
            "can_export": permitted(user, Commissioner, "export"),
        },
    )


# --- service logs -------------------------------------------------------------------------------------------


class ServiceLogListView(RecordListView):
    model = ServiceLog
    table_class = ServiceLogTable
    filter_form_class = ServiceLogFilterForm
    title = _("特派员服务记录")
    create_url_name = "talent:servicelog_create"
    import_kind = "service-logs"

    def queryset(self, action):
        return selectors.servicelog_list(user=self.request.user, action=action)

    def filter(self, queryset, data):
        return selectors.servicelog_filter(queryset, data)


def _log_or_404(request, pk: int) -> ServiceLog:
    return get_object_or_404(selectors.servicelog_list(user=request.user), pk=pk)


@require_safe
def servicelog_detail(request, pk: int):
    log = _log_or_404(request, pk)
    user = request.user
    can_change = may(user, "change", log)
    return render(
        request,
        "talent/servicelog_detail.html",
        {
            "log": log,
            "title": f"{log.commissioner.person.name} · {log}",
            "photos": services.photos_of(log),
            "history": record_history(user=user, records=ServiceLog.objects.filter(pk=pk)),
            "can": {"change": can_change, "delete": may(user, "delete", log), "add_photo": can_change},
        },
    )


class ServiceLogFormView(RecordFormView):
    model = ServiceLog
    form_class = ServiceLogForm

    def new_instance(self):
        if "commissioner" in self.kwargs:
            commissioner = get_object_or_404(restrict(Commissioner, self.request.user), pk=self.kwargs["commissioner"])
            return ServiceLog(commissioner=commissioner, date=timezone.localdate())
        return ServiceLog(date=timezone.localdate())

    def save(self, form, obj):
        data = form.service_data()
        if obj is None:
            commissioner = form.cleaned_data.get("commissioner") or form.instance.commissioner
            return services.servicelog_create(actor=self.request.user, commissioner=commissioner, **data)
        return services.servicelog_update(actor=self.request.user, instance=obj, data=data)

    def cancel_url(self, obj):
        return obj.get_absolute_url() if obj is not None else "/talent/service-logs/"


class ServiceLogDeleteView(RecordDeleteView):
    model = ServiceLog
    service = staticmethod(services.servicelog_delete)

    def success_url(self, obj):
        return obj.commissioner.get_absolute_url()


def photo_upload(request, pk: int):
    log = _log_or_404(request, pk)
    ensure_may(request.user, "change", log)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.photo_add(actor=request.user, log=log, upload=form.cleaned_data["file"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, gettext("照片已上传"))
            return redirect(log.get_absolute_url())
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": gettext("上传现场照片：{object}").format(object=log),
            "multipart": True,
            "cancel_url": log.get_absolute_url(),
        },
    )


def _photo_or_404(log: ServiceLog, photo_pk: int):
    return get_object_or_404(services.photos_of(log), pk=photo_pk)


@require_safe
def photo_view(request, pk: int, photo_pk: int):
    """A photo, shown inline, to whoever may see its log."""
    photo = _photo_or_404(_log_or_404(request, pk), photo_pk)
    return FileResponse(photo.file.open("rb"), filename=photo.original_name)


def photo_delete(request, pk: int, photo_pk: int):
    log = _log_or_404(request, pk)
    photo = _photo_or_404(log, photo_pk)
    ensure_may(request.user, "change", log)
    if request.method == "POST":
        services.photo_delete(actor=request.user, log=log, photo=photo)
        messages.success(request, gettext("已删除：{object}").format(object=photo))
        return redirect(log.get_absolute_url())
    return render(request, "core/confirm_delete.html", {"object": photo, "title": gettext("删除现场照片")})
