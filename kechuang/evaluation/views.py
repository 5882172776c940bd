"""政策计算器 (issue #5 item 6, for one enterprise): the high-tech-enterprise and tech-SME evaluations of an
organisation from its master file, with every condition, the score ranges, the verdict, the missing data and the
gaps; then every scheme — the two national rule sets and each published enterprise scoring model with a pass score —
it meets or nearly meets (kechuang.scoring.calculator), with reasons and gaps. Enterprise and service-provider users
see their own organisation; the bureau and leaders pick one in scope by its credit code."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from kechuang.accounts.roles import scope_kind
from kechuang.core.access import permitted
from kechuang.core.i18n import join_list
from kechuang.orgs.models import AnnualFigures, Organisation
from kechuang.scoring import calculator as schemes

from . import labels, services


@require_safe
def calculator(request):
    user = request.user
    if not permitted(user, AnnualFigures, "view"):
        raise PermissionDenied(gettext("无权查看单位年度数据"))
    organisation = _organisation(request)
    context = {"title": gettext("政策计算器"), "organisation": organisation, "uscc": request.GET.get("uscc", "")}
    if organisation is None:
        return render(request, "evaluation/calculator.html", context)
    years = schemes.figure_years(user=user, organisation=organisation)
    year = _year(request.GET.get("year", ""), years)
    panels, found, margin = [], [], _margin(request.GET.get("margin", ""))
    if year is not None:
        national = {}
        for kind, (engine, load) in services.ENGINES.items():
            columns = load(user=user, year=year, organisations=[organisation.pk])
            national[kind] = engine.Evaluation(columns=columns).result(0)
            panels.append(_panel(kind, national[kind]))
        found = schemes.for_enterprise(
            user=user, organisation=organisation, year=year, margin=margin, national=national
        )
    return render(
        request,
        "evaluation/calculator.html",
        context
        | {
            "years": years, "year": year, "panels": panels, "margin": _percent(margin),
            "schemes": [s for s in found if s.status != "fails"], "others": [s for s in found if s.status == "fails"],
        },
    )  # fmt: skip


def _margin(text: str) -> Decimal:
    """The margin within which a model's scheme counts as nearly met, typed in per cent (default: the setting)."""
    try:
        value = Decimal(text.strip().rstrip("%")) / 100 if text.strip() else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not Decimal(0) <= value <= Decimal(1):
        return schemes.default_margin()
    return value


def _percent(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f}"


def _organisation(request) -> Organisation | None:
    """The user's own organisation, or the one in scope whose credit code was asked for (404 outside the scope)."""
    if scope_kind(request.user.role) != "org" and not request.GET.get("uscc", "").strip():
        return None
    return schemes.enterprise(user=request.user, uscc=request.GET.get("uscc", ""))


def _year(text: str, years: list[int]) -> int | None:
    if not text:
        return years[0] if years else None
    if text.isdigit() and int(text) in years:
        return int(text)
    raise Http404(gettext("该单位没有 {year} 年已审核的年度数据").format(year=text[:8]))


def _panel(kind: str, result: dict) -> dict:
    """One evaluation as the page shows it: names instead of codes."""
    return {
        "kind": kind,
        "title": labels.TITLES[kind],
        "verdict": result["verdict"],
        "verdict_label": labels.VERDICTS[result["verdict"]],
        "total": result["total"],
        "route": labels.ROUTES.get(result["route"]),
        "conditions": [
            c
            | {
                "label": labels.CONDITIONS[kind][c["code"]],
                "value": labels.shown(c["code"], _whole(c["value"])),
                "threshold": labels.shown(c["code"], _whole(c["threshold"])),
            }
            for c in result["conditions"]
        ],
        "scores": [(labels.ITEMS[kind][item], low, high) for item, (low, high) in result["scores"].items()],
        "missing": join_list(
            dict.fromkeys(str(labels.FIELDS.get(name.split("[")[0], name)) for name in result["missing"])
        ),
        "gaps": result["gaps"],
    }


def _whole(value):
    """A count or code computed column-wise comes back as a float (9.0); shown as the whole number it is."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list | tuple):
        return [_whole(v) for v in value]
    if isinstance(value, dict):
        return {k: _whole(v) for k, v in value.items()}
    return value
