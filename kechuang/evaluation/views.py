"""政策计算器 (issue #5 item 6, for one enterprise): the high-tech-enterprise and tech-SME evaluations of an
organisation from its master file, with every condition, the score ranges, the verdict, the missing data and the
gaps. Enterprise and service-provider users see their own organisation; the bureau and leaders pick one in scope by
its credit code."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from kechuang.accounts.roles import scope_kind
from kechuang.core.access import permitted, restrict
from kechuang.core.i18n import join_list
from kechuang.core.validators import normalise_uscc
from kechuang.orgs.models import AnnualFigures, Organisation
from kechuang.orgs.selectors import approved_figures

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
    years = list(
        approved_figures(user=user).filter(organisation=organisation).order_by("-year").values_list("year", flat=True)
    )
    year = _year(request.GET.get("year", ""), years)
    panels = []
    if year is not None:
        for kind, (engine, load) in services.ENGINES.items():
            columns = load(user=user, year=year, organisations=[organisation.pk])
            result = engine.Evaluation(columns=columns).result(0)
            panels.append(_panel(kind, result))
    return render(request, "evaluation/calculator.html", context | {"years": years, "year": year, "panels": panels})


def _organisation(request) -> Organisation | None:
    """The user's own organisation, or the one in scope whose credit code was asked for (404 outside the scope)."""
    user = request.user
    if scope_kind(user.role) == "org":
        return user.organisation
    uscc = normalise_uscc(request.GET.get("uscc", ""))
    if not uscc:
        return None
    found = restrict(Organisation, user).filter(uscc=uscc).first()
    if found is None:
        raise Http404(gettext("没有统一社会信用代码为“{uscc}”的单位，或不在您的管辖范围内").format(uscc=uscc[:18]))
    return found


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
                "value": labels.shown(c["code"], c["value"]),
                "threshold": labels.shown(c["code"], c["threshold"]),
            }
            for c in result["conditions"]
        ],
        "scores": [(labels.ITEMS[kind][item], low, high) for item, (low, high) in result["scores"].items()],
        "missing": join_list(
            dict.fromkeys(str(labels.FIELDS.get(name.split("[")[0], name)) for name in result["missing"])
        ),
        "gaps": result["gaps"],
    }
