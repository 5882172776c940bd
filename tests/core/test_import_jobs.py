"""Web imports in the background: a large file is checked and imported by the task worker, with progress."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from kechuang.core.jobs import import_job_run, pending_path
from kechuang.core.models import AuditLog, ImportJob
from kechuang.orgs.models import AnnualFigures
from tests.core.test_importkit import xlsx


@pytest.fixture(autouse=True)
def small_threshold(settings, tmp_path):
    settings.IMPORT_BACKGROUND_ROWS = 2  # so that a three-row file goes to the background
    settings.VAR_DIR = tmp_path


@pytest.fixture
def run_worker(monkeypatch):
    """What `kechuang db_worker` does in production: take every queued task and run it. Between tasks the worker
    closes connections that are not in autocommit, which inside a test's transaction is the test's own connection
    (on PostgreSQL that ends the test); only that clean-up is switched off here."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    return lambda: call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def figures_file(org, rows=3, st_staff=1):
    return xlsx([["统一社会信用代码", "年度", "职工总数", "科技人员数"],
                 *([org.uscc, 2024 - i, 10, st_staff] for i in range(rows))])  # fmt: skip


def upload(client, raw):
    return client.post("/imports/figures/", {"file": SimpleUploadedFile("big.xlsx", raw)})


def test_a_large_file_is_checked_then_imported_in_the_background(bureau, login, make_org, run_worker):
    org = make_org(region="450223100")
    client = login(bureau)
    response = upload(client, figures_file(org))
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response["Location"] == f"/imports/jobs/{job.pk}/" and job.dry_run and job.status == "queued"
    waiting = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in waiting and "正在检查文件" in waiting
    run_worker()
    job.refresh_from_db()
    assert job.status == "done" and job.report["created"] == 3 and not AnnualFigures.objects.exists()
    page = client.get(f"/imports/jobs/{job.pk}/").content.decode()
    assert "检查通过：共 3 行，将新增 3 条" in page and "every 1s" not in page
    audit_before = AuditLog.objects.count()
    confirmed = client.post(f"/imports/jobs/{job.pk}/")
    assert confirmed.status_code == 302
    run_worker()
    imported = ImportJob.objects.get(dry_run=False)
    assert imported.status == "done"
    assert AnnualFigures.objects.filter(organisation=org).count() == 3
    created = AuditLog.objects.filter(action="create", content_type__model="annualfigures")
    assert created.count() == 3 and AuditLog.objects.count() == audit_before + 3
    assert {a.actor_id for a in created} == {bureau.pk} and {a.source for a in created} == {"import"}
    assert "导入完成：新增 3 条" in client.get(confirmed["Location"]).content.decode()
    assert not pending_path(job.token).exists()  # the file is gone once imported


def test_a_refused_file_lists_every_error_and_writes_nothing(bureau, login, make_org, run_worker):
    org = make_org(region="450223100")
    client = login(bureau)
    response = upload(client, figures_file(org, st_staff=99))
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == "refused" and len(job.errors) == 3
    page = client.get(response["Location"]).content.decode()
    assert "第2行 科技人员数：科技人员数不能大于职工总数" in page and "第4行" in page
    assert not AnnualFigures.objects.exists() and not pending_path(job.token).exists()
    assert client.post(response["Location"]).status_code == 200  # nothing to confirm
    run_worker()
    assert ImportJob.objects.count() == 1


def test_only_the_user_who_started_a_job_sees_it(bureau, login, make_org, make_user):
    org = make_org(region="450223100")
    response = upload(login(bureau), figures_file(org))
    other = login(make_user("bureau_admin"))
    assert other.get(response["Location"]).status_code == 404
    assert other.post(response["Location"]).status_code == 404


def test_progress_is_written_beside_the_file_while_the_import_runs(bureau, make_org, monkeypatch):
    """The worker reports progress outside the import's transaction, so the page can read it meanwhile."""
    from kechuang.core import importkit, jobs

    org = make_org(region="450223100")
    token = jobs.pending_store(figures_file(org, rows=3))
    job = ImportJob.objects.create(user=bureau, kind="figures", filename="f.xlsx", token=token, dry_run=True)
    seen, real = [], importkit.run_import

    def watched(*args, progress, **kwargs):  # the real import; each progress report is read back as the page would
        def report(done, total):
            progress(done, total)
            seen.append(jobs.job_progress(ImportJob.objects.get(pk=job.pk)))

        return real(*args, progress=report, **kwargs)

    monkeypatch.setattr(importkit, "run_import", watched)
    import_job_run.call(job_id=str(job.pk))
    assert seen and seen[-1][0] == 3 and seen[-1][1] >= 3
    assert jobs.job_progress(ImportJob.objects.get(pk=job.pk)) == (0, None)  # the marker is removed at the end
