"""Pages of the annual screening (年度筛选): the overview with the runs and the certificates about to expire, a run's
candidate list with the decisions (one by one and in bulk), the pools' members' trajectories, the expiring
certificates. The bureau runs and decides; leaders read; every read goes through the selectors (restrict)."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from kechuang.core.access import ACTION_LABELS, permitted, restrict
from kechuang.core.views import PAGE_SIZE
from kechuang.orgs.models import PoolMembership

from . import selectors, services
from .choices import Decision
from .forms import MAX_ID, CandidateFilterForm, DayForm, DecisionForm, RunForm, TrajectoryForm
from .models import Candidate, ScreeningRun
from .tables import CandidateTable, ExpiringTable, MemberTrajectoryTable, RunTable, TrajectoryTable, percent

EXPIRING_SHOWN = 10


def _require(user, model, action: str = "view") -> None:
    if not permitted(user, model, action):
        raise PermissionDenied(
            gettext("无权{action}{model}").format(action=ACTION_LABELS[action], model=model._meta.verbose_name)
        )


def _export_allowed(request, model) -> bool:
    if request.GET.get("export") != "xlsx":
        return False
    _require(request.user, model, "export")
    return True


def overview(request):
    """GET: the runs and the certificates about to expire; POST: start a run."""
    user = request.user
    _require(user, ScreeningRun)
    form = None
    if permitted(user, ScreeningRun, "add"):
        form = RunForm(request.POST or None, user=user)
        if request.method == "POST" and form.is_valid():
            try:
                run = services.screening_run(
                    actor=user,
                    pool=form.cleaned_data["pool"],
                    year=form.cleaned_data["year"],
                    region=form.cleaned_data["region"],
                )
            except ValidationError as error:
                messages.error(request, gettext("；").join(error.messages))
            else:
                messages.success(request, gettext("已完成筛选：{run}").format(run=run))
                return redirect(run)
    elif request.method == "POST":
        raise PermissionDenied(gettext("无权发起年度筛选"))
    runs = selectors.run_list(user=user)
    if _export_allowed(request, ScreeningRun):
        return RunTable(runs).export(gettext("筛选批次"))
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    expiring = selectors.expiring_certificates(user=user)
    return render(
        request,
        "screening/overview.html",
        {
            "title": gettext("年度筛选"),
            "form": form,
            "page": page,
            "table": RunTable(page.object_list),
            "expiring": ExpiringTable(expiring[:EXPIRING_SHOWN]),
            "expiring_total": expiring.count(),
            "can_export": permitted(user, ScreeningRun, "export"),
        },
    )


@require_safe
def run_detail(request, pk: int):
    user = request.user
    _require(user, ScreeningRun)
    run = _run_or_404(user, pk)
    form = CandidateFilterForm(request.GET or None, user=user)
    data = form.cleaned_data if form.is_valid() else {}
    candidates = selectors.candidate_list(
        user=user, run=run, proposal=data.get("proposal", ""), decision=data.get("decision", "")
    )
    if _export_allowed(request, Candidate):
        return CandidateTable(candidates).export(f"{run.pool.name}-{run.year}-{gettext('候选名单')}")
    page = Paginator(candidates, PAGE_SIZE * 4).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/run_detail.html",
        {
            "title": str(run),
            "run": run,
            "form": form,
            "page": page,
            "rows": [_row(c) for c in page.object_list],
            "counts": {name: getattr(run, f"n_{name}") for name in ("entry", "exit", "stay", "pending")},
            "can_decide": permitted(user, Candidate, "approve"),
            "can_export": permitted(user, Candidate, "export"),
            "decision_form": DecisionForm(),
        },
    )


def _row(candidate: Candidate) -> dict:
    figures = candidate.figures or {}
    return {
        "candidate": candidate,
        "revenue": Decimal(figures["revenue"]) if figures.get("revenue") else None,
        "growth": percent(figures.get("revenue_growth")),
        "cagr": percent(figures.get("revenue_cagr_2y")),
        "rd_ratio": percent(figures.get("rd_ratio")),
        "pending": candidate.decision == Decision.PENDING,
    }


def _run_or_404(user, pk: int) -> ScreeningRun:
    try:
        return selectors.run_get(user=user, pk=pk)
    except ScreeningRun.DoesNotExist:
        raise Http404 from None


@require_POST
def candidate_decide(request, pk: int):
    user = request.user
    _require(user, Candidate, "approve")
    candidate = get_object_or_404(restrict(Candidate, user).select_related("run"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请选择确认结果"))
        return redirect(candidate.run)
    try:
        services.candidate_decide(
            actor=user,
            candidate=candidate,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        messages.error(request, gettext("；").join(error.messages))
    else:
        messages.success(request, gettext("已处理：{candidate}").format(candidate=candidate))
    return redirect(candidate.run)


@require_POST
def run_decide(request, pk: int):
    """The bulk decision on the candidates ticked in the list."""
    user = request.user
    _require(user, Candidate, "approve")
    run = _run_or_404(user, pk)
    form = DecisionForm(request.POST)
    ids = [int(v) for v in request.POST.getlist("candidate") if v.isdigit() and int(v) <= MAX_ID]
    if not form.is_valid() or not ids:
        messages.error(request, gettext("请勾选候选单位并选择确认结果"))
        return redirect(run)
    chosen = selectors.candidate_list(user=user, run=run, action="approve").filter(pk__in=ids)
    try:
        done, skipped = services.candidates_decide(
            actor=user, candidates=chosen, decision=form.cleaned_data["decision"], comment=form.cleaned_data["comment"]
        )
    except ValidationError as error:
        messages.error(request, gettext("；").join(error.messages))
    else:
        messages.success(
            request, gettext("已处理 {done} 家，跳过已处理的 {skipped} 家").format(done=done, skipped=skipped)
        )
    return redirect(run)


# --- trajectories -------------------------------------------------------------------------------------------


@require_safe
def trajectories(request):
    """The current members of a pool with their key figures over the last five years; export one row per member
    and year."""
    user = request.user
    _require(user, ScreeningRun)
    form = TrajectoryForm(request.GET or None, user=user)
    data = form.cleaned_data if form.is_valid() else {}
    members = restrict(PoolMembership, user).filter(exit_year__isnull=True).select_related("organisation", "pool")
    if data.get("pool"):
        members = members.filter(pool=data["pool"])
    year = data.get("year") or selectors.latest_year(user=user, organisations=members.values("organisation"))
    years = selectors.trajectory_years(year)
    members = members.order_by("pool__code", "organisation__name")
    exporting = _export_allowed(request, ScreeningRun)
    page = None if exporting else Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(members if exporting else page.object_list)
    points = selectors.trajectories(user=user, organisations=[m.organisation_id for m in shown], years=years)
    if exporting:
        rows = [{"organisation": m.organisation, "point": p} for m in shown for p in points[m.organisation_id]]
        return TrajectoryTable(rows).export(gettext("成长轨迹"))
    rows = [{"membership": m, "points": points[m.organisation_id]} for m in shown]
    return render(
        request,
        "screening/trajectories.html",
        {
            "title": gettext("在库企业成长轨迹"),
            "form": form,
            "page": page,
            "rows": rows,
            "years": years,
            "can_export": permitted(user, ScreeningRun, "export"),
        },
    )


@require_safe
def trajectory(request, pk: int):
    """One member's trajectory: a line chart and a table of its figures year over year."""
    user = request.user
    _require(user, ScreeningRun)
    membership = get_object_or_404(restrict(PoolMembership, user).select_related("organisation", "pool"), pk=pk)
    text = request.GET.get("year", "")
    if text:
        if not text.isdigit() or not 1949 <= int(text) <= 2100:
            raise Http404(gettext("年度“{year}”不正确").format(year=text[:8]))
        last = int(text)
    else:
        last = selectors.latest_year(user=user, organisations=[membership.organisation_id])
    years = selectors.trajectory_years(last)
    points = selectors.trajectories(user=user, organisations=[membership.organisation_id], years=years)[
        membership.organisation_id
    ]
    if _export_allowed(request, ScreeningRun):
        rows = [{"organisation": membership.organisation, "point": p} for p in points]
        return TrajectoryTable(rows).export(f"{membership.organisation.name}-{gettext('成长轨迹')}")
    chart = {
        "years": [str(p.year) for p in points],
        "series": [
            {
                "name": gettext("销售收入（万元）"),
                "axis": 0,
                "data": [None if p.revenue is None else float(p.revenue / 10000) for p in points],
            },
            {
                "name": gettext("研发费用占比（%）"),
                "axis": 1,
                "data": [None if p.rd_ratio is None else float(percent(p.rd_ratio)) for p in points],
            },
            {"name": gettext("科技人员数"), "axis": 1, "data": [p.st_staff for p in points]},
        ],
        "axes": [gettext("万元"), gettext("%／人")],
    }
    return render(
        request,
        "screening/trajectory.html",
        {
            "title": gettext("{organisation} 成长轨迹").format(organisation=membership.organisation.name),
            "membership": membership,
            "points": points,
            "chart": chart,
            "year": last,
            "can_export": permitted(user, ScreeningRun, "export"),
            "table": MemberTrajectoryTable([{"organisation": membership.organisation, "point": p} for p in points]),
        },
    )


# --- expiring certificates -----------------------------------------------------------------------------------


@require_safe
def expiring(request):
    user = request.user
    _require(user, ScreeningRun)
    form = DayForm(request.GET or None, user=user)
    day = (form.cleaned_data.get("day") if form.is_valid() else None) or timezone.localdate()
    certificates = selectors.expiring_certificates(user=user, day=day)
    if _export_allowed(request, ScreeningRun):
        return ExpiringTable(certificates).export(f"{gettext('高新技术企业证书到期')}-{day.isoformat()}")
    page = Paginator(certificates, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/expiring.html",
        {
            "title": gettext("高新技术企业证书到期提醒"),
            "form": form,
            "page": page,
            "day": day,
            "last": selectors.expiry_limit(day),
            "table": ExpiringTable(page.object_list),
            "total": page.paginator.count,
            "can_export": permitted(user, ScreeningRun, "export"),
        },
    )
