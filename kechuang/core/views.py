"""Thin generic views: every list, form and delete goes through restrict() and a service."""

import copy
import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_safe

from .access import AccessDenied, ensure_may, permitted, restrict
from .choices import JobStatus
from .exceptions import NotFound
from .forms import AttachmentForm, AuditFilterForm
from .models import Attachment, AuditLog
from .services import attachment_add
from .tables import AuditTable, Table

PAGE_SIZE = 25


def apply_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form fields it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class RecordListView(LoginRequiredMixin, View):
    """A filtered, paginated list with xlsx export of the same columns (``?export=xlsx``)."""

    model = None
    table_class: type[Table] = None
    filter_form_class = None
    template_name = "core/list.html"
    title = ""
    create_url_name: str | None = None
    import_kind: str | None = None  # the import kit's kind, for an 导入 button

    def queryset(self, action: str):
        return restrict(self.model, self.request.user, action)

    def filter(self, queryset, data: dict):
        return queryset

    def get(self, request, *args, **kwargs):
        action = "export" if request.GET.get("export") == "xlsx" else "view"
        if not permitted(request.user, self.model, "view"):
            raise PermissionDenied
        form = self.filter_form_class(request.GET or None, user=request.user) if self.filter_form_class else None
        data = form.cleaned_data if form is not None and form.is_valid() else {}
        queryset = self.filter(self.queryset(action), data)
        if action == "export":
            if not permitted(request.user, self.model, "export"):
                raise PermissionDenied
            return self.table_class(queryset).export(export_name(self.title, form, data))
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            self.template_name,
            {
                "title": self.title,
                "form": form,
                "table": self.table_class(page.object_list),
                "page": page,
                "total": page.paginator.count,
                "model": self.model,
                "can_add": self.create_url_name and permitted(request.user, self.model, "add"),
                "can_export": permitted(request.user, self.model, "export"),
                "import_kind": self.import_kind if permitted(request.user, self.model, "import") else None,
                "create_url_name": self.create_url_name,
            },
        )


def export_name(title, form, data: dict) -> str:
    """The export's file name: the list's title and every filter in use, e.g. 单位档案-区划鹿寨县-规模以上是."""
    parts = [str(title)]
    for name, value in data.items():
        if value in (None, "") or form is None or name not in form.fields:
            continue
        field, shown = form.fields[name], value
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            shown = dict(field.choices).get(form.data.get(name), value)  # the label the user picked
        parts.append(f"{field.label}{shown}")
    return re.sub(r'[\\/:*?"<>|\s]+', "_", "-".join(parts))[:150]


def filter_period(queryset, data: dict, field: str = "time"):
    """Rows whose ``field`` falls between the form's ``since`` and ``until`` dates (both optional, inclusive)."""
    if data.get("since"):
        queryset = queryset.filter(**{f"{field}__date__gte": data["since"]})
    if data.get("until"):
        queryset = queryset.filter(**{f"{field}__date__lte": data["until"]})
    return queryset


class RecordFormView(LoginRequiredMixin, View):
    """Create (no ``pk``) or edit a record with a ModelForm; the write itself is the service's."""

    model = None
    form_class = None
    template_name = "core/form.html"

    def get_object(self):
        pk = self.kwargs.get("pk")
        if pk is None:
            return None
        obj = get_object_or_404(restrict(self.model, self.request.user, "view"), pk=pk)
        ensure_may(self.request.user, "change", obj)
        return obj

    def new_instance(self):
        """A blank record for the form, carrying what the URL fixes (e.g. its organisation)."""
        return self.model()

    def form_kwargs(self, obj):
        # A bound ModelForm writes its values into its instance while validating; the service gets the original.
        instance = copy.deepcopy(obj) if obj is not None else self.new_instance()
        return {"instance": instance, "user": self.request.user}

    def title(self, obj) -> str:
        if obj:
            return gettext("编辑{model}").format(model=self.model._meta.verbose_name)
        return gettext("新增{model}").format(model=self.model._meta.verbose_name)

    def render_form(self, form, obj):
        return render(
            self.request,
            self.template_name,
            {"form": form, "object": obj, "title": self.title(obj), "cancel_url": self.cancel_url(obj)},
        )

    def cancel_url(self, obj) -> str:
        return obj.get_absolute_url() if obj is not None and hasattr(obj, "get_absolute_url") else "../"

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        if obj is None and not permitted(request.user, self.model, "add"):
            raise PermissionDenied
        return self.render_form(self.form_class(**self.form_kwargs(obj)), obj)

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        if obj is None and not permitted(request.user, self.model, "add"):
            raise PermissionDenied
        form = self.form_class(request.POST, **self.form_kwargs(obj))
        if form.is_valid():
            try:
                saved = self.save(form, obj)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, gettext("已保存：{object}").format(object=saved))
                return redirect(self.success_url(saved))
        return self.render_form(form, obj)

    def save(self, form, obj):
        raise NotImplementedError

    def success_url(self, saved) -> str:
        return saved.get_absolute_url()


class RecordDeleteView(LoginRequiredMixin, View):
    """Confirm, then delete through the service (which audits the last state)."""

    model = None
    service = None

    def get_object(self):
        return get_object_or_404(restrict(self.model, self.request.user, "view"), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        ensure_may(request.user, "delete", obj)
        return render(
            request,
            "core/confirm_delete.html",
            {"object": obj, "title": gettext("删除{model}").format(model=obj._meta.verbose_name)},
        )

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        target = self.success_url(obj)
        try:
            type(self).service(actor=request.user, instance=obj)
        except ValidationError as error:
            messages.error(request, gettext("；").join(error.messages))
            return redirect(request.path)
        messages.success(request, gettext("已删除：{object}").format(object=obj))
        return redirect(target)

    def success_url(self, obj) -> str:
        return "/"


# --- pages of the core app ---------------------------------------------------------------------------------


@require_safe
def home(request):
    from kechuang.orgs.choices import OrgKind
    from kechuang.orgs.selectors import hte_holders, organisation_list

    if not request.user.is_authenticated:
        return redirect("accounts:login")
    from kechuang.notices.selectors import messages_for, notice_list

    today = timezone.localdate()
    orgs = organisation_list(user=request.user)
    context = {
        "org_total": orgs.count(),
        "by_kind": [
            (OrgKind(row["kind"]).label, row["n"]) for row in orgs.values("kind").annotate(n=Count("id")).order_by("-n")
        ],
        "hte_total": hte_holders(user=request.user, day=today).count(),
        "above_scale": orgs.filter(above_scale=True).count(),
        "notices": notice_list(user=request.user)[:5],
        "unread": messages_for(user=request.user).filter(read_at__isnull=True)[:5],
        "today": today,
    }
    return render(request, "core/home.html", context)


class AuditLogListView(RecordListView):
    model = AuditLog
    table_class = AuditTable
    title = _("审计日志")
    template_name = "core/audit_list.html"

    filter_form_class = AuditFilterForm

    def queryset(self, action):
        return super().queryset(action).select_related("content_type", "actor")

    def filter(self, queryset, data):
        if data.get("q"):
            queryset = queryset.filter(object_repr__icontains=data["q"])
        if data.get("actor"):
            queryset = queryset.filter(actor_name__icontains=data["actor"])
        if data.get("action"):
            queryset = queryset.filter(action=data["action"])
        queryset = filter_period(queryset, data)
        if data.get("request_id"):
            queryset = queryset.filter(request_id=data["request_id"])
        return queryset


@require_safe
def audit_detail(request, pk: int):
    entry = get_object_or_404(restrict(AuditLog, request.user), pk=pk)
    return render(request, "core/audit_detail.html", {"entry": entry, "title": gettext("审计日志详情")})


def _target_or_404(request, content_type_id: int, object_id: str, action: str):
    from django.contrib.contenttypes.models import ContentType

    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is None:
        raise Http404
    try:
        target = restrict(model, request.user, "view").get(pk=object_id)
    except (model.DoesNotExist, ValueError, ValidationError):  # also a malformed id
        raise Http404 from None
    ensure_may(request.user, action, target)
    return target


def attachment_upload(request, content_type_id: int, object_id: str):
    """Attach a file to a record the user may change (enterprises: add evidence to their own records)."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    target = _target_or_404(request, content_type_id, object_id, "change")
    if not permitted(request.user, Attachment, "add"):
        raise PermissionDenied
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attachment_add(
                actor=request.user, target=target, upload=form.cleaned_data["file"], kind=form.cleaned_data["kind"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, gettext("附件已上传"))
            return redirect(target.get_absolute_url())
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": gettext("上传附件：{object}").format(object=target),
            "multipart": True,
            "cancel_url": target.get_absolute_url(),
        },
    )


@require_safe
def attachment_download(request, pk: int):
    """Serve a stored file only if the user may see both the attachment and the record it belongs to."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    attachment = get_object_or_404(restrict(Attachment, request.user), pk=pk)
    _target_or_404(request, attachment.content_type_id, attachment.object_id, "view")
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


def permission_denied(request, exception=None):
    message = str(exception) if isinstance(exception, AccessDenied | PermissionDenied) and str(exception) else ""
    return render(request, "core/403.html", {"message": message or gettext("您没有权限访问该页面或记录。")}, status=403)


def page_not_found(request, exception=None):
    # Our own NotFound says what is missing; Django's other 404s (No Organisation matches …) say nothing to a user.
    message = str(exception) if isinstance(exception, NotFound) else ""
    return render(request, "core/404.html", {"message": message}, status=404)


# --- the import wizard (one for every registered kind) ------------------------------------------------------


def _import_schema(request, kind: str):
    from .importkit import get_schema
    from .tabular import TableError

    try:
        schema = get_schema(kind)
    except TableError:
        raise Http404 from None
    if not permitted(request.user, schema.model, "import"):
        raise PermissionDenied
    return schema


@require_safe
def import_template(request, kind: str):
    """The xlsx template of one kind, generated from its schema."""
    import io

    from django.http import HttpResponse
    from django.utils.encoding import escape_uri_path

    from .importkit import write_template

    schema = _import_schema(request, kind)
    buffer = io.BytesIO()
    write_template(schema, buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"{schema.title}-{gettext('导入模板')}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(name)}"
    return response


def import_wizard(request, kind: str):
    """Upload → dry-run preview with every error, or the counts → confirm → import. The uploaded file waits in
    var/imports under a random name known only to this user's session. A file of more than
    IMPORT_BACKGROUND_ROWS rows is checked and imported in the background instead (``import_job``)."""
    from .forms import ImportForm
    from .importkit import ImportRefused, run_import
    from .jobs import job_start, pending_path, pending_store
    from .tabular import TableError, iter_rows

    schema = _import_schema(request, kind)
    context = {"schema": schema, "title": gettext("导入{title}").format(title=schema.title), "kind": kind}
    if request.method == "POST" and request.POST.get("confirm"):
        pending = request.session.get("pending_import") or {}
        path = pending_path(pending.get("token", ""))
        if pending.get("kind") != kind or path is None or not path.exists():
            messages.error(request, gettext("待导入的文件已失效，请重新上传"))
            return redirect(request.path)
        try:
            report = run_import(
                kind, actor=request.user, raw=path.read_bytes(), filename=pending["name"], update=pending["update"]
            )
        except ImportRefused as refused:
            context.update(form=ImportForm(), errors=refused.messages)
            return render(request, "core/import.html", context)
        finally:
            path.unlink(missing_ok=True)
            request.session.pop("pending_import", None)
        messages.success(request, _done_message(report.created, report.updated, report.unchanged))
        return redirect(request.path)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, update = form.cleaned_data["file"], form.cleaned_data["update"]
        raw = upload.read()
        try:
            rows = iter_rows(raw, upload.name).total or 0
        except TableError:
            rows = 0  # the check below reports the problem
        if rows > settings.IMPORT_BACKGROUND_ROWS:
            token = pending_store(raw)
            job = job_start(
                user=request.user, kind=kind, filename=upload.name, token=token, update=update, dry_run=True
            )
            return redirect("core:import_job", pk=job.pk)
        try:
            context["report"] = run_import(
                kind, actor=request.user, raw=raw, filename=upload.name, update=update, dry_run=True
            )
        except ImportRefused as refused:
            context["errors"] = refused.messages
        else:
            token = pending_store(raw)
            request.session["pending_import"] = {"kind": kind, "token": token, "name": upload.name, "update": update}
    context["form"] = form
    return render(request, "core/import.html", context)


def _done_message(created: int, updated: int, unchanged: int) -> str:
    return gettext("导入完成：新增 {created} 条，更新 {updated} 条，未变 {unchanged} 条").format(
        created=created, updated=updated, unchanged=unchanged
    )


def import_job(request, pk):
    """A background check or import: its progress while it runs (the page polls itself), then its outcome; a
    checked file is imported when the user confirms. Only the user who started a job sees it."""
    from .jobs import job_progress, job_start, pending_path
    from .models import ImportJob

    job = get_object_or_404(ImportJob, pk=pk, user=request.user)
    schema = _import_schema(request, job.kind)
    if request.method == "POST" and job.dry_run and job.status == JobStatus.DONE:
        path = pending_path(job.token)
        if path is None or not path.exists():
            messages.error(request, gettext("待导入的文件已失效，请重新上传"))
            return redirect("core:import", kind=job.kind)
        started = job_start(
            user=request.user, kind=job.kind, filename=job.filename, token=job.token, update=job.update, dry_run=False
        )
        return redirect("core:import_job", pk=started.pk)
    done, total = job_progress(job)
    context = {
        "job": job,
        "schema": schema,
        "kind": job.kind,
        "title": gettext("导入{title}").format(title=schema.title),
        "done": done,
        "total": total,
        "percent": min(100, done * 100 // total) if total else 0,
        "running": job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
    }
    if job.status == JobStatus.DONE and not job.dry_run and job.report:
        report = job.report
        context["done_message"] = _done_message(report["created"], report["updated"], report["unchanged"])
    template = "core/import_job_status.html" if request.htmx else "core/import_job.html"
    return render(request, template, context)
