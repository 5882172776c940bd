"""三员分立 and account management: no administrator can take over another, nobody changes their own role."""

import pytest

from kechuang.accounts import services
from kechuang.accounts.choices import Role
from kechuang.accounts.models import User
from kechuang.core.exceptions import AccessDenied
from kechuang.core.models import AuditLog


@pytest.fixture
def admins(make_user):
    return {role: make_user(role, region=None, username=role) for role in ("sysadmin", "secadmin", "auditadmin")}


@pytest.mark.parametrize("actor_role", ["sysadmin", "secadmin"])
@pytest.mark.parametrize("target_role", ["sysadmin", "secadmin", "auditadmin"])
def test_no_admin_resets_or_unlocks_another_admin(admins, login, actor_role, target_role):
    actor, target = admins[actor_role], admins[target_role]
    if actor == target:
        return
    client = login(actor)
    before = target.password
    assert client.post(f"/accounts/users/{target.pk}/reset-password/").status_code in (403, 404)
    assert client.post(f"/accounts/users/{target.pk}/unlock/").status_code in (403, 404)
    target.refresh_from_db()
    assert target.password == before
    with pytest.raises(AccessDenied):
        services.password_reset(actor=actor, user=target)


@pytest.mark.parametrize("new_role", ["sysadmin", "secadmin", "auditadmin"])
def test_sysadmin_cannot_create_admin_accounts(admins, login, new_role):
    response = login(admins["sysadmin"]).post(
        "/accounts/users/new/", {"username": f"new-{new_role}", "role": new_role, "is_active": "on"}
    )
    assert response.status_code in (200, 403)
    assert not User.objects.filter(username=f"new-{new_role}").exists()


def test_sysadmin_creates_a_bureau_account_with_a_one_time_password(admins, login, regions):
    response = login(admins["sysadmin"]).post(
        "/accounts/users/new/",
        {"username": "clerk", "role": "bureau_staff", "region": regions["450223"].pk, "is_active": "on"},
    )
    assert response.status_code == 302
    clerk = User.objects.get(username="clerk")
    assert clerk.must_change_password and clerk.role == "bureau_staff"
    assert AuditLog.objects.filter(content_type__model="user", object_id=str(clerk.pk), action="create").exists()


def test_secadmin_cannot_change_own_role(admins):
    with pytest.raises(AccessDenied, match="不能变更自己的角色"):
        services.user_update(actor=admins["secadmin"], user=admins["secadmin"], data={"role": "bureau_admin"})
    admins["secadmin"].refresh_from_db()
    assert admins["secadmin"].role == "secadmin"


def test_secadmin_changes_a_bureau_users_role_and_unlocks_with_an_audit_row(admins, make_user):
    import datetime

    from django.utils import timezone

    staff = make_user(Role.BUREAU_STAFF, locked_until=timezone.now() + datetime.timedelta(minutes=10))
    services.user_update(actor=admins["secadmin"], user=staff, data={"role": Role.LEADER})
    services.user_unlock(actor=admins["secadmin"], user=staff)
    staff.refresh_from_db()
    assert staff.role == Role.LEADER and not staff.is_locked
    rows = AuditLog.objects.filter(content_type__model="user", object_id=str(staff.pk)).order_by("id")
    assert [r.after.get("role") for r in rows] == [Role.LEADER, Role.LEADER]
    assert rows[1].before["locked_until"] is not None and rows[1].after["locked_until"] is None


def test_only_secadmin_changes_roles(admins, make_user):
    staff = make_user(Role.BUREAU_STAFF)
    with pytest.raises(Exception, match="只有安全管理员可以变更角色"):
        services.user_update(actor=admins["sysadmin"], user=staff, data={"role": Role.BUREAU_ADMIN})


def test_command_line_resets_and_unlocks_any_account_with_audit(admins, capsys):
    import datetime

    from django.core.management import CommandError, call_command
    from django.utils import timezone

    auditor = admins["auditadmin"]
    User.objects.filter(pk=auditor.pk).update(locked_until=timezone.now() + datetime.timedelta(minutes=9))
    call_command("account", "unlock", "auditadmin")
    call_command("account", "reset-password", "auditadmin")
    out = capsys.readouterr().out
    assert "已解除 auditadmin 的锁定" in out and "auditadmin 的新初始密码：" in out
    auditor.refresh_from_db()
    assert not auditor.is_locked and auditor.must_change_password
    rows = AuditLog.objects.filter(content_type__model="user", object_id=str(auditor.pk))
    assert rows.count() == 2 and {r.actor_name for r in rows} == {"system"} and {r.source for r in rows} == {"command"}
    with pytest.raises(CommandError, match="不存在"):
        call_command("account", "unlock", "nobody")
