"""Pages of the region tree: the list with population, and the CSV/xlsx import."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kechuang.core.access import permitted
from kechuang.core.views import RecordListView

from . import selectors, services
from .forms import RegionFilterForm, TableImportForm
from .models import Population, Region
from .tables import RegionTable


class RegionListView(RecordListView):
    model = Region
    table_class = RegionTable
    filter_form_class = RegionFilterForm
    title = _("行政区划与常住人口")
    template_name = "regions/region_list.html"

    def queryset(self, action):
        return selectors.region_list(user=self.request.user)

    def filter(self, queryset, data):
        if data.get("q"):
            queryset = queryset.filter(Q(code__startswith=data["q"]) | Q(name__icontains=data["q"]))
        year = data.get("year") or timezone.localdate().year - 1
        resident = selectors.population_of(user=self.request.user, year=year).filter(region=OuterRef("pk"))
        resident = resident.values("resident")[:1]
        return queryset.annotate(resident=Subquery(resident))


def region_import(request):
    """Upload divisions or population; every error is listed at once and nothing is written unless all are fine."""
    if not (permitted(request.user, Region, "import") or permitted(request.user, Population, "import")):
        raise PermissionDenied
    form = TableImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        kind, upload = form.cleaned_data["kind"], form.cleaned_data["file"]
        model, service = (
            (Region, services.region_import) if kind == "regions" else (Population, services.population_import)
        )
        if not permitted(request.user, model, "import"):
            raise PermissionDenied
        try:
            result = service(actor=request.user, raw=upload.read(), filename=upload.name)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                gettext("导入完成：新增 {created} 条，更新 {updated} 条，未变 {unchanged} 条").format(
                    created=result.created, updated=result.updated, unchanged=result.unchanged
                ),
            )
            return redirect("regions:list")
    return render(
        request, "regions/import.html", {"form": form, "errors": errors, "title": gettext("导入行政区划或人口")}
    )


IMPORT_TEMPLATES = {
    # kind: (file name, header, example row)
    "regions": ("regions-template.csv", services.REGION_HEADER, ["450223106", "示例镇", "township", "450223", "", ""]),
    "population": ("population-template.csv", services.POPULATION_HEADER, ["450223", "2024", "356100", "统计年鉴"]),
}


@require_safe
def import_template(request, kind: str):
    """A CSV template with the exact header and one example row, UTF-8 with BOM so Excel and WPS open it right."""
    if kind not in IMPORT_TEMPLATES:
        raise Http404
    name, header, example = IMPORT_TEMPLATES[kind]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerows([header, example])
    return response
