"""The audit trail: written with every change in the same transaction, and never changed or deleted."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from kechuang.core.audit import snapshot
from kechuang.core.models import AuditLog
from kechuang.orgs import services
from kechuang.orgs.models import Organisation


@pytest.fixture
def org(bureau, regions):
    return services.organisation_create(
        actor=bureau, uscc="91450223MA5N7B2T5X", name="鹿寨审计测试有限公司", region=regions["450223100"]
    )


def test_create_update_delete_leave_before_and_after(bureau, org):
    pk = org.pk
    services.organisation_update(actor=bureau, organisation=org, data={"name": "鹿寨审计测试股份有限公司"})
    services.organisation_delete(actor=bureau, organisation=org)
    rows = list(AuditLog.objects.filter(content_type__model="organisation", object_id=str(pk)).order_by("id"))
    assert [r.action for r in rows] == ["create", "update", "delete"]
    assert rows[0].before is None and rows[0].after["name"] == "鹿寨审计测试有限公司"
    assert ("name", "鹿寨审计测试有限公司", "鹿寨审计测试股份有限公司") in rows[1].changes
    assert rows[1].after["former_names"] == ["鹿寨审计测试有限公司"]
    assert rows[2].after is None and rows[2].before["uscc"] == "91450223MA5N7B2T5X"
    assert all(r.actor == bureau and r.actor_name == bureau.username for r in rows)


def test_failed_write_leaves_no_audit_row(bureau, org):
    before = AuditLog.objects.count()
    with pytest.raises(ValidationError):
        services.organisation_update(actor=bureau, organisation=org, data={"uscc": "91450223MA5N7B2T5Y"})
    assert AuditLog.objects.count() == before
    org.refresh_from_db()
    assert org.uscc == "91450223MA5N7B2T5X"


def test_audit_rows_refuse_change_through_the_orm(bureau, org):
    row = AuditLog.objects.filter(content_type__model="organisation", object_id=str(org.pk)).first()
    row.object_repr = "tampered"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=row.pk).update(object_repr="tampered")
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=row.pk).delete()


@pytest.mark.parametrize("sql", ["UPDATE core_auditlog SET object_repr = 'x'", "DELETE FROM core_auditlog"])
def test_audit_rows_refuse_change_in_the_database(org, sql):
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditLog.objects.filter(content_type__model="organisation", object_id=str(org.pk)).exists()


def test_truncate_is_refused_on_postgresql(org):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE statement; DELETE is covered above")
    for table in ("core_auditlog", "accounts_loginlog", "accounts_operationlog"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table}")
    assert AuditLog.objects.exists()


@pytest.mark.parametrize("table", ["accounts_loginlog", "accounts_operationlog"])
def test_login_and_operation_logs_refuse_delete_in_the_database(client, bureau, table):
    client.post("/accounts/login/", {"username": bureau.username, "password": "wrong"})
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")


def test_no_url_changes_or_deletes_audit_rows(login, make_user, org):
    auditor = login(make_user("auditadmin", region=None))
    row = AuditLog.objects.filter(content_type__model="organisation", object_id=str(org.pk)).first()
    assert auditor.get(f"/audit/{row.pk}/").status_code == 200
    for method in ("post", "put", "patch", "delete"):
        response = getattr(auditor, method)(f"/audit/{row.pk}/")
        assert response.status_code in (403, 404, 405)
    paths = [p for p in _api_paths() if "audit" in p]
    assert paths == [], "the API must not expose the audit trail for writing"
    row.refresh_from_db()
    assert row.object_repr == org.name


def _api_paths():
    from kechuang.api import api

    return list(api.get_openapi_schema()["paths"])


def test_snapshot_masks_secrets_and_serialises_decimals(bureau, org):
    data = snapshot(bureau)
    assert "password" not in data
    assert data["username"] == bureau.username
    from decimal import Decimal

    from kechuang.orgs.models import AnnualFigures

    figures = AnnualFigures(organisation=org, year=2020, sales_revenue=Decimal("12345.60"))
    assert snapshot(figures)["sales_revenue"] == "12345.60" and snapshot(figures)["organisation"] == org.pk


def test_audit_administrator_searches_by_object_and_actor(login, make_user, bureau, org):
    auditor = login(make_user("auditadmin", region=None))
    page = auditor.get("/audit/", {"q": "审计测试", "actor": bureau.username}).content.decode()
    assert "鹿寨审计测试有限公司" in page
    assert "没有符合条件的记录" in auditor.get("/audit/", {"q": "不存在的单位"}).content.decode()
    export = auditor.get("/audit/", {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert Organisation.objects.filter(pk=org.pk).exists()
