"""Web imports in the background (后台导入): large files are checked and imported by the task worker
(``kechuang db_worker``, django-tasks with its database backend), and the page shows their progress.

Small files (up to ``IMPORT_BACKGROUND_ROWS`` rows) are still checked and imported within the request. The
uploaded file waits in ``var/imports`` under a random name until it is imported or abandoned (swept after a day);
progress is written beside it (``<token>.progress``), outside the import's transaction, so the page can read it
while the import runs.
"""

import datetime
import logging
import re
import secrets
import time
from dataclasses import asdict

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from . import context
from .choices import JobStatus
from .exceptions import AccessDenied
from .models import ImportJob

log = logging.getLogger("kechuang.imports")

PENDING_MAX_AGE = datetime.timedelta(days=1)


def imports_dir():
    path = settings.VAR_DIR / "imports"
    path.mkdir(exist_ok=True)
    return path


def pending_store(raw: bytes) -> str:
    """Keep an uploaded file until it is imported; sweep away files abandoned for more than a day."""
    cutoff = time.time() - PENDING_MAX_AGE.total_seconds()
    for old in imports_dir().iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (imports_dir() / token).write_bytes(raw)
    return token


def pending_path(token: str):
    return imports_dir() / token if re.fullmatch(r"[0-9a-f]{32}", token or "") else None


def job_start(*, user, kind: str, filename: str, token: str, update: bool, dry_run: bool) -> ImportJob:
    """Queue a check (``dry_run``) or an import of a file waiting in var/imports."""
    job = ImportJob.objects.create(
        user=user, kind=kind, filename=filename[:255], token=token, update=update, dry_run=dry_run
    )
    import_job_run.enqueue(job_id=str(job.pk))
    return job


def job_progress(job: ImportJob) -> tuple[int, int | None]:
    """(rows done, rows in the file) as the worker last wrote them."""
    path = pending_path(job.token)
    try:
        done, total = (path.with_suffix(".progress")).read_text().split()
        return int(done), int(total) or None
    except (OSError, ValueError, AttributeError):
        return 0, None


@task()
def import_job_run(job_id: str) -> None:
    """Run one queued job in the worker, as the user who started it."""
    from .importkit import ImportRefused, run_import

    job = ImportJob.objects.select_related("user").get(pk=job_id)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    path = pending_path(job.token)
    marker = path.with_suffix(".progress")

    def progress(done: int, total: int | None) -> None:
        marker.write_text(f"{done} {total or 0}")

    token = context.activate(context.ActionContext(request_id=job.pk.hex, source="import"))
    status, report, errors = JobStatus.DONE, None, []
    try:
        report = asdict(
            run_import(
                job.kind,
                actor=job.user,
                raw=path.read_bytes(),
                filename=job.filename,
                update=job.update,
                dry_run=job.dry_run,
                progress=progress,
            )
        )
    except ImportRefused as refused:
        status, errors = JobStatus.REFUSED, refused.messages
    except AccessDenied as denied:
        status, errors = JobStatus.REFUSED, [str(denied)]
    except Exception:
        log.exception("import job %s failed", job.pk)
        status, errors = JobStatus.FAILED, [gettext("导入过程中出错，未写入任何数据；请联系系统管理员查看日志")]
    finally:
        context.deactivate(token)
        marker.unlink(missing_ok=True)
        if not (job.dry_run and status == JobStatus.DONE):  # a checked file waits for the user's confirmation
            path.unlink(missing_ok=True)
    ImportJob.objects.filter(pk=job.pk).update(status=status, report=report, errors=errors, finished=timezone.now())
