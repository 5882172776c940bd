"""The leaders' cockpit (领导驾驶舱) and the comparison and ranking of subordinate regions (下级区划对比排名).

Everything on these pages is read from stored current assessments: nothing is recomputed from the registries on a
page view, so a page costs the same few queries for a county plan of 12 indicators or a province. The one piece of
arithmetic done here is the planned path of the trend chart, the method's formula on the indicator's baseline and
target (no records are read for it). Because of that, a page's content is cached under a version of the stored data
(``cached``): a repeated view costs no query of its own.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Q, Subquery, Window
from django.db.models.functions import Rank
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kechuang.core.access import permitted, restrict
from kechuang.core.tables import Column, Table
from kechuang.regions.models import Region

from . import method
from .choices import Direction, Kind, PlanStatus, Status
from .explain import percent, status_label, value_text
from .models import Assessment, Indicator, IndicatorResult, Plan
from .selectors import (
    assessment_current,
    assessment_results,
    assessments_version,
    plan_get,
    plan_list,
    plan_regions,
)

__all__ = ["STATUS_COLOURS", "ComparisonTable", "cockpit", "comparison", "standings"]

# One colour per status, readable on the light office page and on the dark large screen alike.
STATUS_COLOURS = {
    Status.ACHIEVED: "#2b8a3e",
    Status.AHEAD: "#1c7ed6",
    Status.ON_TRACK: "#40c057",
    Status.LAGGING: "#f59f00",
    Status.SERIOUS: "#e03131",
    Status.MISSED: "#9c36b5",
    Status.NO_DATA: "#868e96",
}
NOT_ASSESSED_COLOUR = "#adb5bd"
LAYOUTS = ("office", "screen")
TEMPLATES = {"office": "plans/_cockpit_office.html", "screen": "plans/cockpit_screen.html"}
PARAMETERS = ("plan", "region", "year", "indicator", "layout")
# A page's content is kept this long at most, so that what the version key does not follow (a region renamed or
# abolished) shows within minutes.
CACHE_SECONDS = 300


# --- what the page shows: plan, region, year, indicator -----------------------------------------------------------


@dataclass
class Selection:
    """The plan, region and year a page shows (from the query, or the defaults), and the indicator it details."""

    layout: str = "office"
    plan: Plan | None = None
    region: Region | None = None
    year: int | None = None
    assessed_years: list[int] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    indicator: Indicator | None = None

    def query(self, **changes) -> str:
        """The query string of this selection with some parameters changed, e.g. another region."""
        params = {
            "plan": self.plan.code if self.plan else None,
            "region": self.region.code if self.region else None,
            "year": self.year,
            "indicator": self.indicator.code if self.indicator else None,
            "layout": self.layout,
        } | changes
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _layout(params) -> str:
    return params.get("layout") if params.get("layout") in LAYOUTS else "office"


def _ensure_view(user) -> None:
    if not permitted(user, Assessment, "view"):
        raise PermissionDenied(gettext("无权查看规划监测评估结果"))


def selection(request) -> Selection:
    """Read ?plan=&region=&year=&indicator=&layout=; a plan, region or indicator the user may not see is a 404."""
    user, params = request.user, request.GET
    _ensure_view(user)
    chosen = Selection(layout=_layout(params))
    chosen.plan = _plan(user, params.get("plan", ""))
    if chosen.plan is None:
        return chosen
    chosen.region = _region(user, chosen.plan, params.get("region", ""))
    chosen.assessed_years = list(
        restrict(Assessment, user)
        .filter(plan=chosen.plan, region=chosen.region, current=True)
        .order_by("year")
        .values_list("year", flat=True)
    )
    chosen.year = _year(chosen.plan, params.get("year", ""), chosen.assessed_years or _below(user, chosen))
    chosen.indicators = list(restrict(Indicator, user).filter(plan=chosen.plan).order_by("position", "pk"))
    chosen.indicator = _indicator(chosen.indicators, params.get("indicator", ""))
    return chosen


def _plan(user, code: str) -> Plan | None:
    """The plan asked for, else the active plan of the user's own region, else the first plan the user sees."""
    if code:
        return plan_get(user=user, code=code)
    plans = plan_list(user=user)
    own = plans.filter(status=PlanStatus.ACTIVE, region_id=user.region_id).first() if user.region_id else None
    return own or plans.first()


def _region(user, plan: Plan, code: str) -> Region:
    region = plan_regions(user=user, plan=plan).filter(code=code or plan.region.code).first()
    if region is None:
        raise Http404(gettext("区划“{code}”不在该规划范围内，或不在您的管辖范围内").format(code=code[:12]))
    return region


def _year(plan: Plan, text: str, assessed: list[int]) -> int | None:
    """The year asked for (any year of the plan, assessed or not), else the latest assessed year."""
    if not text:
        return assessed[-1] if assessed else None
    if text.isdigit() and int(text) in plan.years:
        return int(text)
    raise Http404(
        gettext("年份“{year}”不在规划期 {first}—{last} 年内").format(
            year=text[:8], first=plan.years[0], last=plan.years[-1]
        )
    )


def _below(user, chosen: Selection) -> list[int]:
    """The latest year a subordinate region was assessed, for a region that has none of its own (a city whose
    counties are assessed but not the city itself)."""
    latest = (
        restrict(Assessment, user)
        .filter(plan=chosen.plan, region__parent=chosen.region, current=True)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return [] if latest is None else [latest]


def _indicator(indicators: list[Indicator], code: str) -> Indicator | None:
    if not code:
        return indicators[0] if indicators else None
    found = next((i for i in indicators if i.code == code), None)
    if found is None:
        raise Http404(gettext("该规划没有指标代码“{code}”").format(code=code[:48]))
    return found


def region_options(user, chosen: Selection) -> list[tuple[Region, str]]:
    """Regions offered in the selector, indented by their depth below the plan's region: the way down from the
    plan's region to the chosen one, and the subordinate regions of both (not the whole subtree, which at province
    scale is thousands of townships)."""
    plan, region = chosen.plan, chosen.region
    codes = [code for code in region.path.split("/") if code]
    rows = plan_regions(user=user, plan=plan).filter(Q(code__in=codes) | Q(parent_id__in={plan.region_id, region.pk}))
    depth = plan.region.path.count("/")
    return [(r, "\u3000" * (r.path.count("/") - depth) + r.name) for r in rows.order_by("path")]


def records_url(plan: Plan, indicator: Indicator, region_code: str, year: int) -> str:
    """The drill-down page: the records (or approved observations) behind an indicator's value."""
    path = reverse("plans:records", kwargs={"code": plan.code, "indicator": indicator.code})
    return f"{path}?{urlencode({'region': region_code, 'year': year})}"


# --- indicator cards --------------------------------------------------------------------------------------------


@dataclass
class Card:
    """One indicator's card: its value against the target, the status in colour, and what it still takes."""

    code: str
    name: str
    unit: str
    value: str
    target: str
    completion: str
    status: str
    label: str
    colour: str
    required: str
    explanation: str
    url: str


def card(result: IndicatorResult, plan: Plan, region: Region, year: int) -> Card:
    indicator = result.indicator
    return Card(
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        value=method.display(result.actual, indicator.precision),
        target=value_text(result.target, indicator),
        completion=percent(result.completion),
        status=result.status,
        label=status_label(result.status, result.reason),
        colour=STATUS_COLOURS[result.status],
        required=required_text(result),
        explanation=result.explanation,
        url=records_url(plan, indicator, region.code, year),
    )


def required_text(result: IndicatorResult) -> str:
    """倒逼: the growth per year (level) or the amount per year (share, cumulative) still needed for the target."""
    if result.status == Status.ACHIEVED:
        return gettext("已达到目标")
    rate, indicator = result.required_growth, result.indicator
    if rate is None:
        return "—"
    if indicator.kind == Kind.LEVEL:
        text = gettext("年均还需增长 {rate}") if rate >= 0 else gettext("年均还需下降 {rate}")
        return text.format(rate=percent(abs(rate)))
    text = gettext("每年还需增加 {amount}") if rate >= 0 else gettext("每年还需减少 {amount}")
    return text.format(amount=value_text(abs(rate), indicator))


def legend() -> list[dict]:
    labels = {code: status_label(code) for code in Status.values}
    labels[Status.ACHIEVED] = gettext("{achieved}／{early}").format(
        achieved=status_label(Status.ACHIEVED), early=status_label(Status.ACHIEVED, "met_early")
    )
    return [{"status": code, "label": labels[code], "colour": STATUS_COLOURS[code]} for code in Status.values]


# --- chart data (json_script; plotted numbers are rounded for display, the texts are the method's display) ---------


def _plot(value: Decimal | None, places: int) -> float | None:
    """A coordinate for the chart: the value rounded for display, as a JSON number."""
    if value is None:
        return None
    return float(value.quantize(Decimal(1).scaleb(-places)))


def completion_chart(results: list[IndicatorResult], cards: list[Card]) -> dict:
    """图1/图2: completion rate per indicator in %, coloured by status, with the 100 % line."""
    return {
        "type": "bars",
        "categories": [r.indicator.name for r in results],
        "items": [
            {
                "value": _plot(None if r.completion is None else r.completion * 100, 2),
                "text": c.completion,
                "color": c.colour,
                "url": c.url,
            }
            for r, c in zip(results, cards, strict=True)
        ],
        "axis": "%",
        "line": {"value": 100, "text": "100%"},
        "series": gettext("完成率"),
    }


def multiple_chart(results: list[IndicatorResult]) -> dict:
    """图3: the target's increase over the baseline, in multiples ((Tg − Bv) / Bv)."""
    return {
        "type": "bars",
        "categories": [r.indicator.name for r in results],
        "items": [
            {"value": _plot(r.increase_multiple, 2), "text": method.display(r.increase_multiple, 2)} for r in results
        ],
        "axis": gettext("倍"),
        "series": gettext("增幅（倍）"),
    }


def trend_chart(user, chosen: Selection, result: IndicatorResult) -> dict:
    """The chosen indicator year by year: the actual values of the stored current assessments of B+1..t (C_t for a
    cumulative indicator), the planned path E_t for B..T, and the target in force in year t."""
    plan, region, indicator = chosen.plan, chosen.region, result.indicator
    stored = dict(
        restrict(IndicatorResult, user)
        .filter(
            indicator=indicator,
            assessment__plan=plan,
            assessment__region=region,
            assessment__current=True,
            assessment__year__lte=chosen.year,
        )
        .values_list("assessment__year", "actual")
    )
    if indicator.kind != Kind.CUMULATIVE:
        stored[plan.baseline_year] = result.baseline  # a cumulative baseline is the previous period's total
    spec = indicator.spec()
    growth = method.planned_growth(spec.baseline, result.target, spec.years)
    years = list(range(plan.baseline_year, plan.target_year + 1))
    places = indicator.precision

    def point(value, year=None):
        if value is None:
            return None
        item = {"value": _plot(value, places + 2), "text": value_text(value, indicator)}
        if year is not None and year > plan.baseline_year:
            item["url"] = records_url(plan, indicator, region.code, year)
        return item

    return {
        "type": "trend",
        "categories": [str(y) for y in years],
        "series": [
            {"name": gettext("实际值"), "items": [point(stored.get(y), y) for y in years]},
            {
                "name": gettext("序时进度"),
                "dashed": True,
                "items": [point(method.expected_value(spec, y, result.target, growth)) for y in years],
            },
        ],
        "line": {
            "value": _plot(result.target, places),
            "text": gettext("目标值 {value}").format(value=value_text(result.target, indicator)),
        },
        "axis": indicator.unit,
    }


# --- comparison of subordinate regions (requirement 6) --------------------------------------------------------


@dataclass
class Standing:
    """A subordinate region's place for one indicator: its rank, value and status, or 未评估."""

    region: Region
    rank: int | None
    actual: str
    target: str
    completion: str
    label: str
    colour: str
    url: str
    cockpit_query: str
    value: Decimal | None = None


_STORED = ("pk", "actual", "target", "completion", "status", "reason")  # what a region's row reads of its result


def standings(*, user, chosen: Selection) -> list[Standing]:
    """The subordinate regions of the chosen region, ranked by the indicator's value in the direction that is better
    (an increase indicator highest first, a decrease indicator lowest first); regions that have no current
    assessment for the plan and year are listed last as 未评估 rather than left out."""
    plan, region, year, indicator = chosen.plan, chosen.region, chosen.year, chosen.indicator
    if year is None or indicator is None:
        return []
    results = restrict(IndicatorResult, user).filter(
        indicator=indicator,
        assessment__plan=plan,
        assessment__year=year,
        assessment__current=True,
        assessment__region=OuterRef("pk"),
    )
    stored = {f"result_{name}": Subquery(results.values(name)[:1]) for name in _STORED}
    rows = (
        plan_regions(user=user, plan=plan)
        .filter(parent=region)
        .annotate(**stored)
        .filter(_existed(year) | Q(result_pk__isnull=False))
        .annotate(rank=Window(Rank(), order_by=_better_first(indicator)))
        .order_by(_better_first(indicator), "code")
    )
    return [_standing(row, chosen) for row in rows]


def _existed(year: int) -> Q:
    """Regions that existed at some time in the year (an abolished county is not listed for later years)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=end)) & (Q(valid_to__isnull=True) | Q(valid_to__gt=start))


def _better_first(indicator: Indicator):
    value = F("result_actual")
    if indicator.direction == Direction.DECREASE:
        return value.asc(nulls_last=True)
    return value.desc(nulls_last=True)


def _standing(row: Region, chosen: Selection) -> Standing:
    indicator, assessed = chosen.indicator, row.result_pk is not None
    status = row.result_status if assessed else ""
    return Standing(
        region=row,
        rank=row.rank if row.result_actual is not None else None,
        actual=value_text(row.result_actual, indicator),
        target=value_text(row.result_target, indicator) if assessed else "—",
        completion=percent(row.result_completion),
        label=status_label(status, row.result_reason) if assessed else gettext("未评估"),
        colour=STATUS_COLOURS[status] if assessed else NOT_ASSESSED_COLOUR,
        url=records_url(chosen.plan, indicator, row.code, chosen.year) if assessed else "",
        cockpit_query=chosen.query(region=row.code),
        value=row.result_actual,
    )


def comparison_chart(chosen: Selection, rows: list[Standing]) -> dict:
    """Bars of the subordinate regions' values in rank order (regions without a value are in the table only)."""
    shown = [s for s in rows if s.value is not None]
    return {
        "type": "columns",
        "categories": [s.region.name for s in shown],
        "items": [
            {"value": _plot(s.value, chosen.indicator.precision), "text": s.actual, "color": s.colour, "url": s.url}
            for s in shown
        ],
        "axis": chosen.indicator.unit,
        "series": chosen.indicator.name,
    }


class ComparisonTable(Table):
    """The comparison and ranking of subordinate regions for one indicator (page and xlsx export)."""

    title = _("下级区划对比排名")

    def __init__(self, rows, indicator: Indicator):
        super().__init__(rows)
        unit = indicator.unit
        self.columns = (
            Column("rank", _("排名")),
            Column("region.code", _("区划代码")),
            Column("region.name", _("区划")),
            Column("actual", gettext("实际值（{unit}）").format(unit=unit), value=lambda s: _bare(s.actual, unit)),
            Column("target", gettext("目标值（{unit}）").format(unit=unit), value=lambda s: _bare(s.target, unit)),
            Column("completion", _("完成率")),
            Column("label", _("状态")),
        )


def _bare(text: str, unit: str) -> str:
    return text.removesuffix(unit) if text != "—" else text


# --- pages ------------------------------------------------------------------------------------------------------


def _common(user, chosen: Selection, title: str) -> dict:
    """What every cockpit page shows: the selectors, the legend, and the links between the pages and layouts."""
    context = {"chosen": chosen, "title": title, "legend": legend()}
    if chosen.plan is None:
        return context
    cockpit_url, comparison_url = reverse("plans:cockpit"), reverse("plans:cockpit_comparison")
    return context | {
        "cockpit_url": cockpit_url,
        "plans": plan_list(user=user),
        "regions": region_options(user, chosen),
        "links": {
            "office": f"{cockpit_url}?{chosen.query(layout='office')}",
            "screen": f"{cockpit_url}?{chosen.query(layout='screen')}",
            "comparison": f"{comparison_url}?{chosen.query(layout=None)}",
        },
    }


def cached(request, page: str, build) -> str:
    """The HTML of a cockpit page's content: ``build()`` once, then from the cache for as long as the stored
    assessments, plans and indicators are unchanged (``assessments_version``) and at most CACHE_SECONDS. The key
    holds everything else the content depends on: the page, the query's parameters, the language and the user with
    the fields their data scope derives from, so no one is shown another's scope. A request that is refused (403,
    404) raises inside ``build()`` and stores nothing."""
    user, params = request.user, request.GET
    _ensure_view(user)
    parts = [page, assessments_version(), get_language(), user.pk, user.role, user.region_id, user.organisation_id]
    parts += [params.get(name, "") for name in PARAMETERS]
    key = "cockpit:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = build()
        cache.set(key, html, CACHE_SECONDS)
    return html


def _page(request, title: str, body: str) -> HttpResponse:
    """An office-layout page: the site's frame (navigation, messages, the user's menu) around the cached content."""
    return render(request, "plans/cockpit_page.html", {"title": title, "body": body})


@require_safe
def cockpit(request):
    """领导驾驶舱: cards, completion, increase multiples, the trend of one indicator and the comparison of the
    subordinate regions, for ?plan=&region=&year=&indicator=, in the office or the large-screen (layout=screen)
    layout. The large screen is a page of its own, cached whole."""
    title, layout = gettext("领导驾驶舱"), _layout(request.GET)
    body = cached(request, layout, lambda: render_to_string(TEMPLATES[layout], _cockpit_context(request, title)))
    return HttpResponse(body) if layout == "screen" else _page(request, title, body)


def _cockpit_context(request, title: str) -> dict:
    user, chosen = request.user, selection(request)
    context = _common(user, chosen, title)
    run = (
        assessment_current(user=user, plan=chosen.plan, region=chosen.region, year=chosen.year) if chosen.year else None
    )
    charts = {}
    if run is not None:
        results = list(assessment_results(run).select_related("indicator__plan"))
        cards = [card(r, chosen.plan, chosen.region, chosen.year) for r in results]
        rows = standings(user=user, chosen=chosen)
        charts = {"completion": completion_chart(results, cards), "multiple": multiple_chart(results)}
        detail = next((r for r in results if chosen.indicator and r.indicator_id == chosen.indicator.pk), None)
        if detail is not None:
            charts["trend"] = trend_chart(user, chosen, detail)
        if any(s.value is not None for s in rows):
            charts["comparison"] = comparison_chart(chosen, rows)
        context |= {"run": run, "cards": cards, "standings": rows, "summary": _summary(cards)}
    context["charts"] = charts
    context["data"] = {"theme": "dark" if chosen.layout == "screen" else "light", "charts": charts}
    return context


def _summary(cards: list[Card]) -> list[dict]:
    """How many indicators have each status label (提前完成 apart from 已完成), in the method's order."""
    counts: dict[tuple[str, str], int] = {}
    for c in cards:
        counts[c.status, c.label] = counts.get((c.status, c.label), 0) + 1
    order = list(Status.values)
    return [
        {"status": status, "label": label, "colour": STATUS_COLOURS[status], "count": count}
        for (status, label), count in sorted(counts.items(), key=lambda kv: order.index(kv[0][0]))
    ]


@require_safe
def comparison(request):
    """下级区划对比排名 (requirement 6): the subordinate regions of a region for any indicator, ranked, with the xlsx
    export of the same table (?export=xlsx), which is built afresh on every download."""
    user, title = request.user, gettext("下级区划对比排名")
    can_export = permitted(user, IndicatorResult, "export")
    if request.GET.get("export") == "xlsx":
        if not can_export:
            raise PermissionDenied(gettext("无权导出规划监测评估结果"))
        chosen = selection(request)
        if chosen.indicator is None:
            raise Http404(gettext("没有可导出的指标"))
        parts = [gettext("对比排名"), chosen.plan.code, chosen.region.name, str(chosen.year), chosen.indicator.name]
        rows = standings(user=user, chosen=chosen)
        return ComparisonTable(rows, chosen.indicator).export(re.sub(r'[\\/:*?"<>|\s]+', "_", "-".join(parts)))

    def build() -> str:
        chosen = selection(request)
        rows = standings(user=user, chosen=chosen) if chosen.plan is not None else []
        context = _common(user, chosen, title) | {"standings": rows, "can_export": can_export and bool(rows)}
        return render_to_string("plans/_cockpit_comparison.html", context)

    return _page(request, title, cached(request, "comparison", build))
