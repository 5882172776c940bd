"""Pages of the organisation master file; thin, over selectors, services and the generic views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from kechuang.core.access import may, permitted, restrict, user_scope
from kechuang.core.models import Attachment
from kechuang.core.selectors import record_history
from kechuang.core.views import (
    PAGE_SIZE,
    RecordDeleteView,
    RecordFormView,
    RecordListView,
    apply_service_errors,
    export_name,
)

from . import selectors, services
from .choices import ReviewStatus
from .forms import (
    AnnualFiguresForm,
    CertificateFilterForm,
    CertificateForm,
    FiguresFilterForm,
    HeadcountYearForm,
    IntegrityFilterForm,
    IntegrityRecordForm,
    MonthlyHeadcountForm,
    OrganisationFilterForm,
    OrganisationForm,
    OrgChildFilterForm,
    PoolMembershipForm,
    RDManagementEvidenceForm,
    ReportingRoundFilterForm,
    ReportingRoundForm,
    ReviewForm,
    ServiceRecordForm,
)
from .models import (
    AnnualFigures,
    Certificate,
    IntegrityRecord,
    MonthlyHeadcount,
    Organisation,
    PoolMembership,
    RDManagementEvidence,
    ReportingRound,
    ServiceRecord,
)
from .sections import sections_for
from .tables import (
    AnnualFiguresTable,
    CertificateTable,
    IntegrityRecordTable,
    MonthlyHeadcountTable,
    OrganisationTable,
    PoolMembershipTable,
    RDManagementEvidenceTable,
    ReportingRoundTable,
    RoundMissingTable,
    RoundReportedTable,
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
            "rounds": (
                selectors.rounds_for_organisation(user=user, organisation=organisation)
                if permitted(user, ReportingRound, "view")
                else []
            ),
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

    def form_kwargs(self, obj):
        kwargs = super().form_kwargs(obj)
        if obj is None and (year := self.request.GET.get("year", "")).isdigit():
            kwargs["initial"] = {"year": int(year)}  # 填报 from a reporting round names its year
        return kwargs

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
    filter_form_class = FiguresFilterForm
    import_kind = "figures"

    def filter(self, queryset, data):
        queryset = super().filter(queryset, data)
        return queryset.filter(review_status=data["review_status"]) if data.get("review_status") else queryset


class CertificateListView(ChildListView):
    model, table_class, title = Certificate, CertificateTable, _("资质证书")
    filter_form_class = CertificateFilterForm
    import_kind = "certificates"


class PoolMembershipListView(ChildListView):
    model, table_class, title = PoolMembership, PoolMembershipTable, _("入库记录")
    import_kind = "pools"

    def queryset(self, action):
        return super().queryset(action).select_related("pool")


class ServiceRecordListView(ChildListView):
    model, table_class, title = ServiceRecord, ServiceRecordTable, _("服务记录")

    def queryset(self, action):
        return super().queryset(action).select_related("staff")


# --- yearly figures under review (年报填报) ----------------------------------------------------------------------


def _figures_or_404(request, pk: int) -> AnnualFigures:
    return get_object_or_404(
        restrict(AnnualFigures, request.user).select_related("organisation", "organisation__region", "reviewer"), pk=pk
    )


@login_required
@require_safe
def figures_detail(request, pk: int):
    """One year's figures with their review: what the bureau checks and the organisation submits."""
    figures = _figures_or_404(request, pk)
    user = request.user
    previous = restrict(AnnualFigures, user).filter(organisation=figures.organisation, year=figures.year - 1).first()
    may_review = may(user, "approve", figures)
    return render(
        request,
        "orgs/figures_detail.html",
        {
            "figures": figures,
            "title": str(figures),
            "rows": _figure_rows(figures, previous),
            "previous": previous,
            "can": {
                "change": may(user, "change", figures),
                "submit": may(user, "change", figures)
                and figures.review_status in (ReviewStatus.DRAFT, ReviewStatus.RETURNED),
                "approve": may_review and figures.review_status == ReviewStatus.SUBMITTED,
                "return": may_review and figures.review_status in (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED),
            },
            "review_form": ReviewForm(),
            "history": record_history(user=user, records=AnnualFigures.objects.filter(pk=figures.pk)),
        },
    )


def _figure_rows(figures: AnnualFigures, previous: AnnualFigures | None) -> list[dict]:
    """(label, value, previous year's value, money?) for every figure, for reading them side by side."""
    rows = [_audit_taxation_row(figures, previous)]
    for name in ("staff_total", "st_staff", *AnnualFigures.MONEY_FIELDS):
        label = str(AnnualFigures._meta.get_field(name).verbose_name)
        money = name in AnnualFigures.MONEY_FIELDS
        if money:
            label = label.replace(gettext("（元）"), gettext("（万元）"))
        rows.append(
            {
                "label": label,
                "value": getattr(figures, name),
                "previous": getattr(previous, name) if previous else None,
                "money": money,
            }
        )
    return rows


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else (gettext("是") if value else gettext("否"))


def _audit_taxation_row(figures: AnnualFigures, previous: AnnualFigures | None) -> dict:
    return {
        "label": str(AnnualFigures._meta.get_field("audit_taxation").verbose_name),
        "value": _yes_no(figures.audit_taxation),
        "previous": _yes_no(previous.audit_taxation) if previous else None,
        "money": False,
    }


def _review_action(request, pk: int, action):
    """Run one review service on one record; a refusal is shown on the record's page."""
    figures = _figures_or_404(request, pk)
    try:
        action(figures, request.POST.get("comment", ""))
    except ValidationError as error:
        messages.error(request, gettext("；").join(error.messages))
    else:
        messages.success(
            request, gettext("{figures}：{status}").format(figures=figures, status=figures.get_review_status_display())
        )
    target = request.POST.get("next", "")
    hosts = {request.get_host()}
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts=hosts, require_https=request.is_secure())
    return redirect(target if target and safe else figures.detail_url())


@login_required
@require_POST
def figures_submit(request, pk: int):
    return _review_action(
        request, pk, lambda figures, comment: services.figures_submit(actor=request.user, figures=figures)
    )


@login_required
@require_POST
def figures_approve(request, pk: int):
    return _review_action(
        request,
        pk,
        lambda figures, comment: services.figures_approve(actor=request.user, figures=figures, comment=comment),
    )


@login_required
@require_POST
def figures_return(request, pk: int):
    return _review_action(
        request,
        pk,
        lambda figures, comment: services.figures_return(actor=request.user, figures=figures, comment=comment),
    )


# --- reporting rounds ----------------------------------------------------------------------------------------


class ReportingRoundListView(RecordListView):
    model = ReportingRound
    table_class = ReportingRoundTable
    filter_form_class = ReportingRoundFilterForm
    title = _("年报填报")
    create_url_name = "orgs:round_create"

    def queryset(self, action):
        return selectors.round_list(user=self.request.user, action=action)

    def filter(self, queryset, data):
        for name in ("year", "status"):
            if data.get(name):
                queryset = queryset.filter(**{name: data[name]})
        return queryset


class ReportingRoundFormView(RecordFormView):
    model = ReportingRound
    form_class = ReportingRoundForm

    def cancel_url(self, obj):
        return obj.get_absolute_url() if obj else "/orgs/rounds/"

    def save(self, form, obj):
        if obj is None:
            return services.round_create(actor=self.request.user, **form.service_data())
        return services.round_update(actor=self.request.user, reporting_round=obj, data=form.service_data())


def _oversees(user) -> bool:
    """Whether the user looks after a region (the bureau roles), rather than reporting for one organisation."""
    return user_scope(user).kind in ("region", "all")


@login_required
@require_safe
def round_detail(request, pk: int):
    """A round: for the bureau, who has reported and who has not (with exports and review); for an organisation's
    user, the round's instructions and where its own figures stand."""
    reporting_round = get_object_or_404(selectors.round_list(user=request.user), pk=pk)
    user = request.user
    context = {"round": reporting_round, "title": str(reporting_round), "today": timezone.localdate()}
    export = request.GET.get("export")
    if export and not _oversees(user):
        raise PermissionDenied  # the lists are the bureau's
    if not _oversees(user):
        return render(request, "orgs/round_detail.html", {**context, **_own_report(user, reporting_round)})
    status = request.GET.get("status", "")
    status = status if status in ReviewStatus.values else ""
    if export in ("reported", "missing"):
        return _round_export(request, reporting_round, export, status)
    reported = selectors.round_reported(user=user, reporting_round=reporting_round, status=status)
    missing = selectors.round_missing(user=user, reporting_round=reporting_round)
    return render(
        request,
        "orgs/round_detail.html",
        {
            **context,
            "oversees": True,
            "counts": selectors.round_counts(user=user, reporting_round=reporting_round),
            "status": status,
            "statuses": ReviewStatus.choices[1:],
            "reported": Paginator(reported, PAGE_SIZE).get_page(request.GET.get("page")),
            "missing": Paginator(missing, PAGE_SIZE).get_page(request.GET.get("missing_page")),
            "can": {
                "change": may(user, "change", reporting_round),
                "review": permitted(user, AnnualFigures, "approve"),
                "export_reported": permitted(user, AnnualFigures, "export"),
                "export_missing": permitted(user, Organisation, "export"),
            },
            "review_form": ReviewForm(),
        },
    )


def _round_export(request, reporting_round: ReportingRound, which: str, status: str):
    user = request.user
    if which == "reported":
        if not permitted(user, AnnualFigures, "export"):
            raise PermissionDenied
        rows = selectors.round_reported(user=user, reporting_round=reporting_round, action="export", status=status)
        table = RoundReportedTable(rows)
    else:
        if not permitted(user, Organisation, "export"):
            raise PermissionDenied
        table = RoundMissingTable(selectors.round_missing(user=user, reporting_round=reporting_round, action="export"))
    parts = [str(reporting_round), str(table.title)]
    if status and which == "reported":
        parts.append(str(ReviewStatus(status).label))
    return table.export(export_name("-".join(parts), None, {}))


def _own_report(user, reporting_round: ReportingRound) -> dict:
    """An organisation user's view of a round: its own figures for the year and what it may do with them."""
    organisation = restrict(Organisation, user).filter(pk=user.organisation_id).first()
    figures = (
        restrict(AnnualFigures, user).filter(organisation=organisation, year=reporting_round.year).first()
        if organisation
        else None
    )
    return {
        "organisation": organisation,
        "figures": figures,
        "can": {
            "add": organisation is not None and permitted(user, AnnualFigures, "add"),
            "import": permitted(user, AnnualFigures, "import"),
            "change": figures is not None and may(user, "change", figures),
            "submit": figures is not None
            and may(user, "change", figures)
            and figures.review_status in (ReviewStatus.DRAFT, ReviewStatus.RETURNED),
        },
    }


@login_required
@require_POST
def round_review(request, pk: int):
    """Approve or return the ticked submissions of a round at once (批量审核)."""
    reporting_round = get_object_or_404(selectors.round_list(user=request.user), pk=pk)
    if not permitted(request.user, AnnualFigures, "approve"):
        raise PermissionDenied
    action = request.POST.get("action")
    ids = [value for value in request.POST.getlist("figures") if value.isdigit()]
    if action not in ("approve", "return") or not ids:
        messages.error(request, gettext("请先勾选要审核的单位，再点“审核通过”或“退回”"))
        return redirect(reporting_round.get_absolute_url())
    chosen = selectors.round_reported(user=request.user, reporting_round=reporting_round, action="approve").filter(
        pk__in=ids
    )
    try:
        done, skipped = services.figures_review_many(
            actor=request.user, figures=chosen, action=action, comment=request.POST.get("comment", "")
        )
    except ValidationError as error:
        messages.error(request, gettext("；").join(error.messages))
    else:
        verb = gettext("审核通过") if action == "approve" else gettext("退回")
        text = gettext("已{verb} {done} 家").format(verb=verb, done=done)
        if skipped:
            text += gettext("；{skipped} 家不是“已提交”状态，未处理").format(skipped=skipped)
        messages.success(request, text)
    return redirect(reporting_round.get_absolute_url())


# --- what the evaluations need: monthly head counts, R&D-management evidence, integrity records ---------------


class EvaluationRecordFormView(ChildFormView):
    """Create or edit a month's head counts, R&D-management evidence or an integrity record (services confirm what
    the bureau saves)."""

    def cancel_url(self, obj):
        if obj is not None:
            return obj.get_absolute_url()
        return f"{self.organisation.get_absolute_url()}#{self.model.tab}"

    def save(self, form, obj):
        data = {name: form.cleaned_data[name] for name in form.fields if not form.fields[name].disabled}
        if obj is None:
            return services.evaluation_record_create(
                actor=self.request.user, model=self.model, organisation=self.organisation, **data
            )
        return services.evaluation_record_update(actor=self.request.user, instance=obj, data=data)


class MonthlyHeadcountFormView(EvaluationRecordFormView):
    model = MonthlyHeadcount
    form_class = MonthlyHeadcountForm

    def form_kwargs(self, obj):
        kwargs = super().form_kwargs(obj)
        if obj is None:
            given = self.request.GET
            kwargs["initial"] = {k: int(given[k]) for k in ("year", "month") if given.get(k, "").isdigit()}
        return kwargs


class RDManagementEvidenceFormView(EvaluationRecordFormView):
    model = RDManagementEvidence
    form_class = RDManagementEvidenceForm


class IntegrityRecordFormView(EvaluationRecordFormView):
    model = IntegrityRecord
    form_class = IntegrityRecordForm


class EvaluationRecordDeleteView(RecordDeleteView):
    service = staticmethod(services.evaluation_record_delete)

    def success_url(self, obj):
        return f"{obj.organisation.get_absolute_url()}#{obj.tab}"


class MonthlyHeadcountListView(ChildListView):
    model, table_class, title = MonthlyHeadcount, MonthlyHeadcountTable, _("月度职工人数")


class RDManagementEvidenceListView(ChildListView):
    model, table_class, title = RDManagementEvidence, RDManagementEvidenceTable, _("研发组织管理佐证")


class IntegrityRecordListView(ChildListView):
    model, table_class, title = IntegrityRecord, IntegrityRecordTable, _("违法失信记录")
    filter_form_class = IntegrityFilterForm

    def filter(self, queryset, data):
        queryset = super().filter(queryset, data)
        return queryset.filter(date__year=data["year"]) if data.get("year") else queryset


# The fields a record's page shows, in order.
DETAIL_FIELDS = {
    MonthlyHeadcount: ("year", "month", "staff_start", "staff_end", "st_start", "st_end", "confirmed"),
    RDManagementEvidence: ("year", "item", "description", "confirmed"),
    IntegrityRecord: ("kind", "date", "until", "description", "source"),
}


def _field_rows(record) -> list[tuple[str, object]]:
    rows = []
    for name in DETAIL_FIELDS[type(record)]:
        field = record._meta.get_field(name)
        value = getattr(record, f"get_{name}_display")() if field.choices else getattr(record, name)
        rows.append((str(field.verbose_name), _yes_no(value) if isinstance(value, bool) else value))
    return rows


@login_required
@require_safe
def evaluation_record_detail(request, pk: int, model):
    """One record with its attachments (evidence documents), its history and what the user may do with it."""
    user = request.user
    record = get_object_or_404(restrict(model, user).select_related("organisation"), pk=pk)
    content_type = ContentType.objects.get_for_model(model)
    attachments = restrict(Attachment, user).filter(content_type=content_type, object_id=str(record.pk))
    may_change = may(user, "change", record)
    context = {
        "record": record,
        "title": str(record),
        "rows": _field_rows(record),
        "attachments": attachments,
        "content_type": content_type.pk,
        "tab_url": f"{record.organisation.get_absolute_url()}#{record.tab}",
        "edit_url": reverse(f"orgs:{model._meta.model_name}_edit", args=[record.pk]),
        "delete_url": reverse(f"orgs:{model._meta.model_name}_delete", args=[record.pk]),
        "can": {
            "change": may_change,
            "delete": may(user, "delete", record),
            "attach": model is RDManagementEvidence and may_change and permitted(user, Attachment, "add"),
        },
        "history": record_history(user=user, records=model.objects.filter(pk=record.pk)),
    }
    if model is MonthlyHeadcount:
        context["averages"] = selectors.headcount_averages(
            organisations=[record.organisation_id], year=record.year
        ).get(record.organisation_id)
    return render(request, "orgs/evaluation_record.html", context)


@login_required
def headcount_year(request, org: int, year: int):
    """A whole year's monthly head counts on one page (全年填报): the operating months up to the current one, filled
    with what is recorded; saving writes the months entered or changed (the bureau's save also confirms them)."""
    user = request.user
    organisation = get_object_or_404(restrict(Organisation, user), pk=org)
    if not permitted(user, MonthlyHeadcount, "add"):
        raise PermissionDenied
    today = timezone.localdate()
    if not 1949 <= year <= today.year:
        raise Http404
    months = [
        m
        for m in selectors.operating_months(organisation.registration_date, year)
        if (year, m) <= (today.year, today.month)
    ]
    recorded = {h.month: h for h in selectors.headcounts_for(user=user, organisation=organisation, year=year)}
    initial = {f"{name}_{m}": getattr(h, name) for m, h in recorded.items() for name in MonthlyHeadcount.COUNTS}
    form = HeadcountYearForm(request.POST or None, initial=initial, months=months, organisation=organisation, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            written = services.headcounts_save_year(
                actor=user, organisation=organisation, year=year, months=form.months_data()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, gettext("已保存 {count} 个月的职工人数").format(count=written))
            return redirect("orgs:monthlyheadcount_year", org=organisation.pk, year=year)
    return render(
        request,
        "orgs/headcount_year.html",
        {
            "org": organisation,
            "year": year,
            "title": gettext("{organisation} {year}年度月度职工人数").format(organisation=organisation, year=year),
            "form": form,
            "unconfirmed": sorted(m for m, h in recorded.items() if not h.confirmed),
            "average": selectors.headcount_average_of(user=user, organisation=organisation, year=year),
            "years": [y for y in (year - 1, year + 1) if 1949 <= y <= today.year],
        },
    )
