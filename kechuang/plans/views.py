"""Pages of plan monitoring: plans and indicators, assessments, drill-down to records, manual observations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kechuang.core.access import ensure_may, ensure_permitted, may, permitted, security_log
from kechuang.core.selectors import record_history
from kechuang.core.views import RecordFormView, RecordListView, apply_service_errors

from . import selectors, services
from .explain import percent, status_label, value_text
from .forms import (
    IndicatorCreateForm,
    IndicatorForm,
    ObservationFilterForm,
    ObservationForm,
    ObservationImportForm,
    PlanCreateForm,
    PlanForm,
    PlanImportForm,
    RevisionForm,
)
from .method import planned_growth
from .models import Assessment, Indicator, Observation, Plan, QualityConfirmation
from .planfile import PlanFileError, plan_to_data, read_plan, write_xlsx, write_yaml
from .quality import JUMP_THRESHOLD, quality_confirm, quality_findings, unconfirmed
from .tables import ObservationTable, PlanTable, ResultTable

PAGE_SIZE = 50


# --- plans and indicators --------------------------------------------------------------------------------------


class PlanListView(RecordListView):
    model = Plan
    table_class = PlanTable
    title = _("规划监测")
    template_name = "plans/plan_list.html"

    def queryset(self, action):
        return selectors.plan_list(user=self.request.user, action=action)


@require_safe
@login_required
def plan_detail(request, code: str):
    plan = selectors.plan_get(user=request.user, code=code)
    indicators = plan.indicators.prefetch_related("revisions", "annual_targets")
    rows = [
        {
            "indicator": i,
            "target": i.target_for(plan.target_year),
            "growth": percent(_growth(i, plan), i.growth_precision) if i.show_cagr else "—",
        }
        for i in indicators
    ]
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "title": plan.name,
            "rows": rows,
            "can_change": may(request.user, "change", plan),
            "can_assess": permitted(request.user, Assessment, "add"),
            "history": record_history(user=request.user, records=Plan.objects.filter(pk=plan.pk)),
        },
    )


def _growth(indicator: Indicator, plan: Plan):
    return planned_growth(
        indicator.baseline, indicator.target_for(plan.target_year), plan.target_year - plan.baseline_year
    )


@require_safe
@login_required
def plan_export(request, code: str, fmt: str):
    if fmt not in ("yaml", "xlsx"):
        raise Http404
    plan = selectors.plan_get(user=request.user, code=code, action="export")
    data = plan_to_data(plan)
    if fmt == "yaml":
        content, kind = write_yaml(data), "application/yaml; charset=utf-8"
    else:
        content, kind = write_xlsx(data), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(f'{plan.code}.{fmt}')}"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def plan_import(request):
    if not (permitted(request.user, Plan, "add") or permitted(request.user, Plan, "change")):
        raise PermissionDenied
    form = PlanImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            plan, counts = services.plan_import(actor=request.user, data=read_plan(upload.read(), upload.name))
        except PlanFileError as exc:
            problems = exc.problems
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(
                request,
                gettext("已导入规划 {name}：新建 {created} 条、更新 {updated} 条、未变 {unchanged} 条").format(
                    name=plan.name, **counts
                ),
            )
            return redirect(plan.get_absolute_url())
    return render(request, "plans/plan_import.html", {"form": form, "problems": problems, "title": _("导入规划")})


class PlanCreateView(RecordFormView):
    model = Plan
    form_class = PlanCreateForm

    def cancel_url(self, obj):
        return reverse("plans:list")

    def save(self, form, obj):
        return services.plan_create(actor=self.request.user, **form.cleaned_data)


class PlanFormView(RecordFormView):
    model = Plan
    form_class = PlanForm

    def get_object(self):
        plan = selectors.plan_get(user=self.request.user, code=self.kwargs["code"])
        ensure_may(self.request.user, "change", plan)
        return plan

    def save(self, form, obj):
        return services.plan_update(actor=self.request.user, plan=obj, data=form.cleaned_data)


def _indicator(request, code: str, indicator: str) -> Indicator:
    plan = selectors.plan_get(user=request.user, code=code)
    return get_object_or_404(plan.indicators.select_related("plan__region"), code=indicator)


class IndicatorCreateView(RecordFormView):
    model = Indicator
    form_class = IndicatorCreateForm

    def plan(self) -> Plan:
        plan = selectors.plan_get(user=self.request.user, code=self.kwargs["code"])
        ensure_may(self.request.user, "change", plan)
        return plan

    def new_instance(self):
        return Indicator(plan=self.plan())

    def cancel_url(self, obj):
        return reverse("plans:plan_detail", args=[self.kwargs["code"]])

    def save(self, form, obj):
        return services.indicator_create(actor=self.request.user, plan=self.plan(), **form.cleaned_data)


class IndicatorFormView(RecordFormView):
    model = Indicator
    form_class = IndicatorForm

    def get_object(self):
        indicator = _indicator(self.request, self.kwargs["code"], self.kwargs["indicator"])
        ensure_may(self.request.user, "change", indicator)
        return indicator

    def save(self, form, obj):
        return services.indicator_update(actor=self.request.user, indicator=obj, data=form.cleaned_data)


@require_safe
@login_required
def indicator_detail(request, code: str, indicator: str):
    item = _indicator(request, code, indicator)
    region = _region(request, item.plan)
    results = selectors.indicator_results(user=request.user, indicator=item, region=region)
    observations = selectors.observation_list(user=request.user).filter(indicator=item, region=region)
    return render(
        request,
        "plans/indicator_detail.html",
        {
            "plan": item.plan,
            "indicator": item,
            "region": region,
            "title": item.name,
            "results": [
                {
                    "result": r,
                    "year": r.assessment.year,
                    "actual": value_text(r.actual, item),
                    "expected": value_text(r.expected, item),
                    "completion": percent(r.completion),
                    "status": status_label(r.status, r.reason),
                }
                for r in results
            ],
            "observations": observations[:100],
            "revisions": item.revisions.all(),
            "annual_targets": item.annual_targets.all(),
            "can_change": may(request.user, "change", item),
            "can_observe": item.is_manual and permitted(request.user, Observation, "add"),
            "history": record_history(user=request.user, records=Indicator.objects.filter(pk=item.pk)),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def revision_add(request, code: str, indicator: str):
    item = _indicator(request, code, indicator)
    ensure_may(request.user, "change", item)
    form = RevisionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.target_revise(actor=request.user, indicator=item, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, gettext("已记录目标调整"))
            return redirect(item.get_absolute_url())
    title = gettext("调整目标：{name}").format(name=item.name)
    return render(
        request, "core/form.html", {"form": form, "title": title, "cancel_url": item.get_absolute_url(), "object": item}
    )


# --- drill-down ------------------------------------------------------------------------------------------------


def _region(request, plan: Plan):
    """The region of the query (?region=CODE), within the plan's region and the user's scope; the plan's own region
    by default. An unknown or out-of-scope code is a 404, and logged."""
    code = request.GET.get("region") or plan.region.code
    region = selectors.plan_regions(user=request.user, plan=plan).filter(code=code).first()
    if region is None:
        security_log.warning("plans: region %s refused for user %s", code[:12], request.user.pk)
        raise Http404(gettext("区划“{code}”不在该规划范围内，或不在您的管辖范围内").format(code=code[:12]))
    return region


def _year(request, plan: Plan, default: int | None = None) -> int:
    text = request.GET.get("year") or ""
    if text.isdigit() and int(text) in plan.years:
        return int(text)
    if default is not None:
        return default
    return min(max(timezone.localdate().year - 1, plan.years[0]), plan.years[-1])


@require_safe
@login_required
def records(request, code: str, indicator: str):
    """The records behind an indicator's value for a region and year: the metric's records, or for a manual
    indicator its approved observations. Export with ?export=xlsx."""
    item = _indicator(request, code, indicator)
    if not permitted(request.user, Assessment, "view"):
        raise PermissionDenied
    region, year = _region(request, item.plan), _year(request, item.plan)
    years = selectors.years_needed(item, year)
    drill = selectors.drilldown(user=request.user, indicator=item, region=region, years=years)
    if request.GET.get("export") == "xlsx":
        ensure_permitted(request.user, Assessment, "export")
        return drill.table.export(f"{item.name}-{region.name}-{year}")
    page = Paginator(drill.queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/records.html",
        {
            "plan": item.plan,
            "indicator": item,
            "region": region,
            "year": year,
            "years": years,
            "title": gettext("{name} · 数据明细").format(name=item.name),
            "table": drill.table_class(page.object_list),
            "page": page,
            "total": page.paginator.count,
            "values": drill.values,
        },
    )


# --- assessment ------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def assessment(request, code: str):
    plan = selectors.plan_get(user=request.user, code=code)
    if not permitted(request.user, Assessment, "view"):
        raise PermissionDenied
    region = _region(request, plan)
    latest = selectors.latest_assessed_year(user=request.user, plan=plan, region=region)
    year = _year(request, plan, default=latest)
    if request.method == "POST":
        return _assess(request, plan, region, year)
    run = selectors.assessment_current(user=request.user, plan=plan, region=region, year=year)
    results = list(selectors.assessment_results(run)) if run else []
    if run and request.GET.get("export") == "xlsx":
        ensure_permitted(request.user, Assessment, "export")
        return ResultTable(results).export(f"{plan.code}-{region.name}-{year}")
    return render(
        request,
        "plans/assessment.html",
        {
            "plan": plan,
            "region": region,
            "year": year,
            "title": gettext("{plan} · 监测评估").format(plan=plan.name),
            "run": run,
            "table": ResultTable(results),
            "rows": [_result_row(r) for r in results],
            "summary": selectors.status_summary(results),
            "regions": selectors.region_choices(user=request.user, plan=plan, region=region),
            "history": selectors.assessment_history(user=request.user, plan=plan, region=region, year=year)[:20],
            "can_assess": permitted(request.user, Assessment, "add"),
            "can_export": permitted(request.user, Assessment, "export"),
        },
    )


def _result_row(result) -> dict:
    indicator = result.indicator
    return {
        "result": result,
        "indicator": indicator,
        "baseline": value_text(result.baseline, indicator),
        "target": value_text(result.target, indicator),
        "actual": value_text(result.actual, indicator),
        "expected": value_text(result.expected, indicator),
        "completion": percent(result.completion),
        "growth": percent(result.planned_growth, indicator.growth_precision),
        "status": status_label(result.status, result.reason),
    }


def _assess(request, plan: Plan, region, year: int):
    children = request.POST.get("children") == "1"
    try:
        runs = services.assessment_run_many(
            actor=request.user,
            plan=plan,
            regions=selectors.assessed_regions(region, children=children, year=year),
            year=year,
        )
    except ValidationError as error:
        messages.error(request, gettext("；").join(error.messages))
    else:
        messages.success(request, gettext("已完成评估：{count} 个区划").format(count=len(runs)))
    url = reverse("plans:assessment", args=[plan.code])
    return redirect(f"{url}?region={region.code}&year={year}")


# --- manual observations ---------------------------------------------------------------------------------------


class ObservationListView(RecordListView):
    model = Observation
    table_class = ObservationTable
    filter_form_class = ObservationFilterForm
    title = _("统计数据填报")
    create_url_name = "plans:observation_create"
    template_name = "plans/observation_list.html"

    def queryset(self, action):
        return selectors.observation_list(user=self.request.user, action=action)

    def filter(self, queryset, data):
        return selectors.observation_filter(queryset, data)


def _observation_form(request, data=None):
    return ObservationForm(
        data,
        indicators=selectors.manual_indicators(user=request.user),
        regions=selectors.scoped_regions(user=request.user),
        initial={"indicator": request.GET.get("indicator"), "year": request.GET.get("year")},
    )


@require_http_methods(["GET", "POST"])
@login_required
def observation_create(request):
    ensure_permitted(request.user, Observation, "add")
    form = _observation_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            observation, outcome = services.observation_enter(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            text = (
                gettext("与已审核的数值相同，未作修改")
                if outcome == "unchanged"
                else gettext("已保存为草稿，提交后由管理员审核")
            )
            messages.success(request, text)
            return redirect(observation.get_absolute_url())
    return render(
        request,
        "core/form.html",
        {"form": form, "title": _("填报统计数据"), "cancel_url": reverse("plans:observations")},
    )


@require_safe
@login_required
def observation_detail(request, pk: int):
    observation = get_object_or_404(selectors.observation_list(user=request.user), pk=pk)
    versions = selectors.observation_versions(user=request.user, observation=observation)
    return render(
        request,
        "plans/observation_detail.html",
        {
            "observation": observation,
            "title": str(observation),
            "versions": versions,
            "can_submit": observation.status == "draft" and may(request.user, "change", observation),
            "can_approve": (
                observation.status == "submitted"
                or (observation.status == "draft" and services.may_approve_draft(request.user, observation))
            )
            and may(request.user, "approve", observation),
            "can_return": observation.status == "submitted" and may(request.user, "approve", observation),
            "history": record_history(user=request.user, records=versions),
        },
    )


ACTIONS = {
    "submit": (services.observation_submit, _("已提交审核")),
    "approve": (services.observation_approve, _("已审核通过，该数值从现在起参与评估")),
}


@require_POST
@login_required
def observation_action(request, pk: int, action: str):
    observation = get_object_or_404(selectors.observation_list(user=request.user), pk=pk)
    try:
        if action == "return":
            services.observation_return(
                actor=request.user, observation=observation, comment=request.POST.get("comment", "")
            )
            messages.success(request, gettext("已退回"))
        elif action in ACTIONS:
            service, text = ACTIONS[action]
            service(actor=request.user, observation=observation)
            messages.success(request, text)
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, gettext("；").join(error.messages))
    return redirect(observation.get_absolute_url())


@require_http_methods(["GET", "POST"])
@login_required
def observation_import(request):
    ensure_permitted(request.user, Observation, "import")
    form = ObservationImportForm(
        request.POST or None, request.FILES or None, plans=selectors.plan_list(user=request.user)
    )
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            counts = services.observations_import(
                actor=request.user,
                plan=form.cleaned_data["plan"],
                raw=upload.read(),
                filename=upload.name,
                approve=form.cleaned_data["approve"],
            )
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                gettext(
                    "已导入：新建 {created} 条、更新 {updated} 条、未变 {unchanged} 条，审核通过 {approved} 条"
                ).format(**counts),
            )
            return redirect("plans:observations")
    return render(
        request, "plans/observation_import.html", {"form": form, "problems": problems, "title": _("导入统计数据")}
    )


@require_safe
@login_required
def observation_template(request):
    ensure_permitted(request.user, Observation, "import")
    header = ",".join(services.OBSERVATION_HEADER)  # the header the import requires, from the import itself
    body = f"\ufeff{header}\nfiscal_st_share,450223,2021,0.95,鹿寨县2021年财政决算,年报\n"
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + escape_uri_path("统计数据导入模板.csv")
    return response


# --- data quality (issue 4 §9) ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def quality(request, code: str):
    """The data-quality findings of a plan for a region and year (?region=&year=), to confirm or correct before an
    assessment; ?badge=1 answers the text of the assessment page's link ("数据质量：N 项待确认"). A POST confirms
    the findings ticked, with one note."""
    plan = selectors.plan_get(user=request.user, code=code)
    ensure_permitted(request.user, QualityConfirmation, "view")
    region = _region(request, plan)
    year = _year(request, plan, default=selectors.latest_assessed_year(user=request.user, plan=plan, region=region))
    url = reverse("plans:quality", args=[plan.code]) + f"?region={region.code}&year={year}"
    if request.method == "POST":
        return _quality_confirm(request, plan, region, year, url)
    items = quality_findings(plan=plan, region=region, year=year, user=request.user)
    waiting = unconfirmed(items)
    if request.GET.get("badge"):
        return _quality_badge(waiting)
    return render(
        request,
        "plans/quality.html",
        {
            "plan": plan,
            "region": region,
            "year": year,
            "title": gettext("{plan} · 数据质量检查").format(plan=plan.name),
            "items": items,
            "waiting": waiting,
            "regions": selectors.region_choices(user=request.user, plan=plan, region=region),
            "can_confirm": permitted(request.user, QualityConfirmation, "add"),
            "jump_threshold": percent(JUMP_THRESHOLD, 0),
            "url": url,
        },
    )


def _quality_badge(waiting: int) -> HttpResponse:
    text = gettext("数据质量：{count} 项待确认").format(count=waiting) if waiting else gettext("数据质量：无待确认问题")
    return HttpResponse(format_html('<i class="bi bi-clipboard-check"></i> {}', text))


def _quality_confirm(request, plan: Plan, region, year: int, url: str):
    ensure_permitted(request.user, QualityConfirmation, "add")
    try:
        made = quality_confirm(
            actor=request.user,
            plan=plan,
            region=region,
            year=year,
            keys=request.POST.getlist("finding"),
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, gettext("；").join(error.messages))
    else:
        messages.success(request, gettext("已确认 {count} 项数据质量问题").format(count=len(made)))
    return redirect(url)
