"""Pages of the scoring models: the list, a version's page (criteria, versions, stored runs), create and edit (a
published version is edited through its new draft version), publish, retire, delete a draft, and the evaluation of
a model for a year over every subject in scope (ranked, with xlsx export; projects from entered values)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kechuang.core.access import ACTION_LABELS, permitted
from kechuang.core.views import apply_service_errors
from kechuang.orgs.models import AnnualFigures
from kechuang.orgs.selectors import approved_figures

from . import calculator, selectors, services
from .choices import ModelStatus, Subject
from .fields import CATALOGUE
from .forms import CriterionFormSet, EntryForm, ModelForm, YearForm, criteria_data, criteria_initial
from .models import ScoringModel, ScoringResult
from .tables import CandidateTable, ModelTable, ranking_table


def _require(user, model, action):
    if not permitted(user, model, action):
        raise PermissionDenied(gettext("无权{action}评价模型").format(action=ACTION_LABELS[action]))


@require_safe
def model_list(request):
    _require(request.user, ScoringModel, "view")
    filters = {"subject": request.GET.get("subject", ""), "status": request.GET.get("status", "")}
    models = selectors.model_list(user=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        _require(request.user, ScoringModel, "export")
        return ModelTable(models).export(gettext("评价模型"))
    return render(request, "scoring/model_list.html", {
        "title": gettext("评价模型"), "models": models, "filters": filters, "subjects": Subject.choices,
        "statuses": ModelStatus.choices, "can_add": permitted(request.user, ScoringModel, "add"),
    })  # fmt: skip


@require_safe
def model_detail(request, pk: int):
    model = selectors.model_get(user=request.user, pk=pk)
    runs = (
        selectors.results(user=request.user, model=model)
        .values("year").annotate(n=Count("pk"), at=Max("computed_at")).order_by("-year")
    )  # fmt: skip
    catalogue = CATALOGUE[model.subject]
    return render(request, "scoring/model_detail.html", {
        "title": str(model), "model": model, "versions": selectors.versions(model),
        "criteria": [(c, catalogue.get(c.field), c.bands) for c in model.criteria.all()],
        "catalogue": catalogue.values(), "runs": runs,
        "can_change": permitted(request.user, ScoringModel, "change"),
        "can_delete": permitted(request.user, ScoringModel, "delete"),
    })  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
def model_create(request):
    _require(request.user, ScoringModel, "add")
    return _edit(request, None)


@require_http_methods(["GET", "HEAD", "POST"])
def model_edit(request, pk: int):
    model = selectors.model_get(user=request.user, pk=pk, action="change")
    if not model.editable:
        messages.info(request, gettext("已发布或已停用的版本不能修改：请先“生成新版本”再编辑。"))
        return redirect("scoring:detail", pk=model.pk)
    return _edit(request, model)


def _edit(request, model: ScoringModel | None):
    data = request.POST if request.method == "POST" else None
    form = ModelForm(data, instance=model)
    # Posted rows are read as they are: compared with an initial list, an unchanged extra row would count as empty.
    formset = CriterionFormSet(data, prefix="c", initial=criteria_initial(model) if model and data is None else None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        header = {name: form.cleaned_data.get(name) for name in services.MODEL_FIELDS if name in form.cleaned_data}
        try:
            if model is None:
                model = services.model_create(actor=request.user, data=header, criteria=criteria_data(formset))
            else:
                model = services.model_update(
                    actor=request.user, model=model, data=header, criteria=criteria_data(formset)
                )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, gettext("已保存草稿。检查无误后请“发布”。"))
            return redirect("scoring:detail", pk=model.pk)
    return render(request, "scoring/model_form.html", {
        "title": gettext("修改评价模型") if model else gettext("新建评价模型"), "form": form, "formset": formset,
        "model": model, "catalogue": {str(label): CATALOGUE[value].values() for value, label in Subject.choices},
    })  # fmt: skip


def _action(request, pk: int, service, done: str):
    model = selectors.model_get(user=request.user, pk=pk, action="change")
    try:
        result = service(actor=request.user, model=model)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("scoring:detail", pk=model.pk)
    messages.success(request, done)
    return redirect("scoring:detail", pk=(result or model).pk) if result is not None else redirect("scoring:list")


@require_POST
def model_publish(request, pk: int):
    return _action(request, pk, services.model_publish, gettext("已发布；该版本已冻结，此前发布的版本已停用。"))


@require_POST
def model_retire(request, pk: int):
    return _action(request, pk, services.model_retire, gettext("已停用。"))


@require_POST
def model_new_version(request, pk: int):
    model = selectors.model_get(user=request.user, pk=pk, action="add")
    draft = services.model_new_version(actor=request.user, model=model)
    messages.success(request, gettext("已生成第 {v} 版草稿，原版本及其结果保持不变。").format(v=draft.version))
    return redirect("scoring:edit", pk=draft.pk)


@require_POST
def model_delete(request, pk: int):
    model = selectors.model_get(user=request.user, pk=pk, action="delete")
    try:
        services.model_delete(actor=request.user, model=model)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("scoring:detail", pk=model.pk)
    messages.success(request, gettext("草稿已删除。"))
    return redirect("scoring:list")


@require_http_methods(["GET", "HEAD", "POST"])
def model_evaluate(request, pk: int):
    """The ranking of every subject in scope for a year (projects: of the values entered); xlsx export; the bureau
    stores the results under this version (POST ``store``)."""
    model = selectors.model_get(user=request.user, pk=pk)
    if not selectors.may_evaluate(request.user, model):
        raise PermissionDenied(gettext("无权查看该模型所评价的数据"))
    context = {"title": gettext("{name}：评价结果").format(name=model), "model": model,
               "criteria": list(model.criteria.all()),
               "can_store": permitted(request.user, ScoringResult, "add") and model.status == ModelStatus.PUBLISHED
               and model.subject != Subject.PROJECT}  # fmt: skip
    rows = None
    if model.subject == Subject.PROJECT:
        form = EntryForm(request.POST or None, codes=[c.code for c in context["criteria"]])
        if request.method == "POST" and form.is_valid():
            rows = selectors.evaluate_entered(model=model, entries=form.cleaned_data["entries"])
    else:
        form = YearForm(request.GET or request.POST or None)
        if form.is_bound and form.is_valid():
            year = form.cleaned_data["year"]
            if request.method == "POST":
                return _store(request, model, year)
            rows = selectors.evaluate(user=request.user, model=model, year=year)
    if rows is not None and request.GET.get("export") == "xlsx":
        _require(request.user, ScoringModel, "export")
        return ranking_table(model, rows).export(str(model))
    return render(request, "scoring/evaluate.html", context | {"form": form, "rows": rows})


def _store(request, model: ScoringModel, year: int):
    try:
        stored = services.results_store(actor=request.user, model=model, year=year)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, gettext("已保存 {n} 条评价结果（第 {v} 版）。").format(n=stored, v=model.version))
    return redirect("scoring:detail", pk=model.pk)


@require_safe
def candidates(request):
    """免申即享: for a scheme (a national rule set or a published enterprise model with a pass score) and a year, the
    enterprises in the bureau's scope that meet it from data alone; xlsx export."""
    user = request.user
    calculator.ensure_bureau(user)
    if not permitted(user, AnnualFigures, "view"):
        raise PermissionDenied(gettext("免申即享名单仅供科技局查看"))
    choices = calculator.scheme_choices()
    scheme = request.GET.get("scheme") or (choices[0][0] if choices else "")
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else _latest_year(user)
    if scheme not in dict(choices):
        raise Http404(gettext("没有该政策方案，或方案未发布"))
    rows = calculator.candidates(user=user, scheme=scheme, year=year) if year else []
    if request.GET.get("export") == "xlsx":
        _require(user, ScoringResult, "export")
        return CandidateTable(rows).export(gettext("免申即享名单"))
    return render(request, "scoring/candidates.html", {
        "title": gettext("免申即享名单"), "choices": choices, "scheme": scheme, "year": year, "rows": rows,
        "scheme_title": dict(choices)[scheme],
    })  # fmt: skip


def _latest_year(user) -> int | None:
    return approved_figures(user=user).aggregate(y=Max("year"))["y"]
