"""Downloads of the annual monitoring report (年度监测评估报告) as Word or xlsx, for users who may read assessments.

``?plan=CODE&year=Y&region=CODE`` (region defaults to the plan's). A GET never writes: without a current stored
assessment the user is told to run one first.
"""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from kechuang.core.access import permitted
from kechuang.plans.models import Assessment

from . import monitoring
from .fonts import FontMissing
from .selectors import report_assessment, report_scope

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
def monitoring_docx(request):
    return _download(request, "docx")


@require_safe
def monitoring_xlsx(request):
    return _download(request, "xlsx")


def _download(request, kind: str):
    # A report is an export of assessments: both rights (the roles that read assessments hold both).
    if not (permitted(request.user, Assessment, "view") and permitted(request.user, Assessment, "export")):
        raise PermissionDenied
    found = _assessment_or_message(request)
    if isinstance(found, HttpResponse):
        return found
    report = monitoring.monitoring_report(found)
    if kind == "xlsx":
        return _attachment(monitoring.monitoring_xlsx(report), XLSX, monitoring.report_filename(report, ".xlsx"))
    try:
        content = monitoring.monitoring_docx(report)
    except FontMissing as exc:
        return _message(request, str(exc), status=503)
    return _attachment(content, DOCX, monitoring.report_filename(report, ".docx"))


def _assessment_or_message(request) -> Assessment | HttpResponse:
    """The current assessment the query names, or a page saying what is missing (Http404 when out of scope)."""
    year = request.GET.get("year", "").strip()
    if not request.GET.get("plan") or not year.isdecimal():
        return _message(request, gettext("请指定规划（plan）和评估年份（year），例如 ?plan=luzhai-14&year=2023"))
    plan, region = report_scope(
        user=request.user, plan_code=request.GET["plan"].strip(), region_code=request.GET.get("region", "").strip()
    )
    if int(year) not in plan.years:
        text = gettext("《{plan}》只能评估 {first}—{last} 年，没有 {year} 年的评估结果")
        return _message(request, text.format(plan=plan.name, first=plan.years[0], last=plan.years[-1], year=year))
    assessment = report_assessment(user=request.user, plan=plan, region=region, year=int(year))
    if assessment is None:
        text = gettext(
            "{region}{year}年尚未评估《{plan}》，没有可生成报告的评估结果。请先在评估页面运行评估，再下载报告。"
        )
        message = text.format(region=region.name, year=year, plan=plan.name)
        return _message(request, message, plan=plan, region=region, year=year)
    return assessment


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


def _message(request, text: str, *, plan=None, region=None, year: str = "", status: int = 400):
    """A page saying why no report, linking to the assessment page where one can be run."""
    back = ""
    if plan is not None:
        back = reverse("plans:assessment", args=[plan.code])
        if region is not None:
            back += "?" + urlencode({"region": region.code, "year": year})
    context = {"title": gettext("无法生成监测评估报告"), "message": text, "back": back}
    return render(request, "reports/message.html", context, status=status)
