"""等保 2.0 basics: password rules, lockout, idle timeout, forced change, login and operation logs."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from kechuang.accounts import services
from kechuang.accounts.models import LoginLog, OperationLog, User
from kechuang.accounts.passwords import ComplexityValidator
from tests.conftest import PASSWORD


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Abcdef1!", True),
        ("abcdef12", False),
        ("ABCDEFGH1", False),
        ("Abc1!", False),
        ("abcdefg!1", True),
        ("ABCDEFG!1", True),
        ("abcdefgHIJ", False),
    ],
)
def test_password_complexity(password, ok):
    validator = ComplexityValidator()
    if ok:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError) as error:
            validator.validate(password)
        assert "密码" in error.value.messages[0]


@given(st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=0, max_size=20))
def test_complexity_counts_character_classes(password):
    classes = sum(
        [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
    )
    try:
        ComplexityValidator().validate(password)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == (len(password) >= 8 and classes >= 3)


def _login(client, user, password):
    return client.post("/accounts/login/", {"username": user.username, "password": password})


def test_five_failures_lock_the_account_for_fifteen_minutes(bureau, settings):
    client = Client()
    for _ in range(5):
        response = _login(client, bureau, "wrong-password")
        assert response.status_code == 200
    bureau.refresh_from_db()
    assert bureau.is_locked
    assert datetime.timedelta(minutes=14) < bureau.locked_until - timezone.now() <= datetime.timedelta(minutes=15)
    # Even the right password is refused while locked, with a message saying so.
    response = _login(client, bureau, PASSWORD)
    assert "账号已被锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # After the lock runs out the right password works and the counter is reset.
    User.objects.filter(pk=bureau.pk).update(locked_until=timezone.now() - datetime.timedelta(seconds=1))
    response = _login(client, bureau, PASSWORD)
    assert response.status_code == 302
    bureau.refresh_from_db()
    assert bureau.failed_logins == 0
    logs = LoginLog.objects.filter(username=bureau.username).order_by("id")
    assert [log.success for log in logs] == [False] * 6 + [True]
    assert "锁定" in logs[4].reason


def test_four_failures_then_success_does_not_lock(bureau):
    client = Client()
    for _ in range(4):
        _login(client, bureau, "wrong-password")
    assert _login(client, bureau, PASSWORD).status_code == 302
    bureau.refresh_from_db()
    assert not bureau.is_locked and bureau.failed_logins == 0


def test_login_log_records_ip_and_user_agent(bureau):
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 kechuang-test", REMOTE_ADDR="10.1.2.3")
    _login(client, bureau, PASSWORD)
    log = LoginLog.objects.get(username=bureau.username)
    assert (log.success, log.ip, log.user_agent, log.user) == (True, "10.1.2.3", "Mozilla/5.0 kechuang-test", bureau)


def test_idle_timeout_signs_out(bureau, settings):
    settings.IDLE_TIMEOUT_MINUTES = 30
    client = Client()
    _login(client, bureau, PASSWORD)
    assert client.get("/orgs/").status_code == 200
    session = client.session
    session["last_activity"] -= 29 * 60
    session.save()
    assert client.get("/orgs/").status_code == 200  # 29 minutes idle: still signed in, and the clock restarts
    session = client.session
    session["last_activity"] -= 31 * 60
    session.save()
    response = client.get("/orgs/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_activity_is_written_back_at_most_once_a_minute(bureau):
    """A signed-in request within a minute of the recorded activity reads the session and writes nothing; the first
    request a minute or more later records the new time."""
    client = Client()
    _login(client, bureau, PASSWORD)
    assert client.get("/orgs/").status_code == 200
    key = client.session.session_key
    stored = Session.objects.get(session_key=key).get_decoded()["last_activity"]
    assert client.get("/orgs/").status_code == 200
    assert Session.objects.get(session_key=key).get_decoded()["last_activity"] == stored
    session = client.session
    session["last_activity"] -= 60
    session.save()
    assert client.get("/orgs/").status_code == 200
    assert Session.objects.get(session_key=key).get_decoded()["last_activity"] > stored - 60


def test_generated_password_must_be_changed_first(bureau, make_user):
    user, password = services.user_create(actor=None, username="new-staff", role="bureau_staff", region=bureau.region)
    assert password and user.must_change_password
    client = Client()
    assert _login(client, user, password).status_code == 302
    response = client.get("/orgs/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    response = client.post(
        "/accounts/password/", {"old_password": password, "new_password1": "short", "new_password2": "short"}
    )
    assert "至少需要 8 位" in response.content.decode()
    response = client.post(
        "/accounts/password/",
        {"old_password": password, "new_password1": "Luzhai-2026-ok", "new_password2": "Luzhai-2026-ok"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get("/orgs/").status_code == 200


def test_operation_log_masks_passwords_and_id_numbers(bureau, login):
    client = login(bureau)
    client.post(
        "/accounts/password/",
        {"old_password": "Secret-1234", "new_password1": "x", "note": "身份证 11010519491231002X 的人"},
    )
    log = OperationLog.objects.filter(path="/accounts/password/").latest("id")
    assert log.params["old_password"] == "******" and log.params["new_password1"] == "******"
    assert "11010519491231002X" not in str(log.params) and "1101**********002X" in log.params["note"]
    assert log.username == bureau.username and log.method == "POST"


def test_operation_log_covers_api_writes_with_json(bureau, login):
    client = login(bureau)
    client.post(
        "/api/v1/orgs/", {"name": "x", "password": "p", "idcard": "11010519491231002X"}, content_type="application/json"
    )
    log = OperationLog.objects.filter(path="/api/v1/orgs/").latest("id")
    assert log.params["password"] == "******" and log.params["idcard"] == "1101**********002X"


def test_self_registration_waits_for_bureau_approval(bureau, regions, login):
    client = Client()
    form = {
        "uscc": "91450223 ma5n7b2t5x",
        "name": "鹿寨新注册科技有限公司",
        "region": regions["450223101"].pk,
        "full_name": "张三",
        "phone": "13800000000",
        "username": "newco",
        "password1": "Newco-2026!",
        "password2": "Newco-2026!",
    }
    response = client.post("/accounts/register/", form)
    assert response.status_code == 200 and "注册申请已提交" in response.content.decode()
    user = User.objects.get(username="newco")
    assert user.registration_status == "pending" and user.organisation.uscc == "91450223MA5N7B2T5X"
    assert user.organisation.status == "pending"
    response = client.post("/accounts/login/", {"username": "newco", "password": "Newco-2026!"})
    assert "正在等待科技局审核" in response.content.decode()
    bureau_client = login(bureau)
    assert "newco" in bureau_client.get("/accounts/registrations/").content.decode()
    bureau_client.post(f"/accounts/registrations/{user.pk}/", {"decision": "approve"})
    user.refresh_from_db()
    assert user.registration_status == "approved" and user.organisation.status == "active"
    assert client.post("/accounts/login/", {"username": "newco", "password": "Newco-2026!"}).status_code == 302


def test_registration_rejects_bad_credit_code_with_its_reason(regions):
    response = Client().post(
        "/accounts/register/", {"uscc": "91450223MA5N7B2T5Y", "name": "x", "region": regions["450223"].pk}
    )
    assert "校验码错误" in response.content.decode()
    assert not User.objects.filter(role="enterprise").exists()


def test_other_region_bureau_cannot_approve(make_user, login, regions):
    services.registration_submit(
        uscc="91450223MA5N7B2T5X",
        name="鹿寨某公司",
        region=regions["450223"],
        username="pending1",
        password="Pending-2026!",
        full_name="李四",
        phone="1",
    )
    other = make_user("bureau_admin", region="450222")
    user = User.objects.get(username="pending1")
    response = login(other).post(f"/accounts/registrations/{user.pk}/", {"decision": "approve"})
    assert response.status_code == 404
    user.refresh_from_db()
    assert user.registration_status == "pending"


def test_operation_log_bounds_what_one_request_stores(client, db):
    client.post("/accounts/register/", {"name": "x" * 100_000, **{f"f{i}": "v" for i in range(200)}})
    log = OperationLog.objects.filter(path="/accounts/register/").latest("id")
    assert len(log.params["name"]) < 300 and "共 100000 字符" in log.params["name"]
    assert len(log.params) <= 50


def test_generated_password_blocks_the_api_until_changed(make_user, login):
    user = make_user("bureau_staff", must_change_password=True)
    client = login(user)
    response = client.get("/api/v1/orgs/")
    assert response.status_code == 403 and "修改初始密码" in response.json()["detail"]
    _token, key = services.token_create(actor=user, user=user, name="t")
    assert Client().get("/api/v1/orgs/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_locked_users_token_stops_working(bureau):
    _token, key = services.token_create(actor=bureau, user=bureau, name="t")
    assert Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    User.objects.filter(pk=bureau.pk).update(locked_until=timezone.now() + datetime.timedelta(minutes=5))
    assert Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_pending_user_with_the_right_password_is_not_locked_out(make_user):
    user = make_user("enterprise", registration_status="pending")
    for _ in range(6):
        _login(Client(), user, PASSWORD)
    user.refresh_from_db()
    assert not user.is_locked and user.failed_logins == 0


def test_concurrent_style_failures_all_count(bureau):
    """Failures are counted in the database (F expression), not read-modify-write in Python."""
    from kechuang.accounts.backends import register_failure

    stale = User.objects.get(pk=bureau.pk)  # two requests that read the row before either wrote
    register_failure(stale, None)
    register_failure(stale, None)
    bureau.refresh_from_db()
    assert bureau.failed_logins == 2


def test_rejected_registration_does_not_block_the_credit_code(bureau, regions):
    first = services.registration_submit(
        uscc="91450223MA5N7B2T5X",
        name="冒名公司",
        region=regions["450223"],
        username="squatter",
        password="Squat-2026!x",
        full_name="某",
        phone="1",
    )
    services.registration_decide(actor=bureau, user=first, approve=False)
    real = services.registration_submit(
        uscc="91450223MA5N7B2T5X",
        name="真公司",
        region=regions["450223"],
        username="realco",
        password="Realco-2026!x",
        full_name="王",
        phone="2",
    )
    assert real.organisation == first.organisation and real.registration_status == "pending"


def test_identity_fields_are_masked_however_the_number_was_typed():
    from kechuang.accounts.services import mask_value

    assert mask_value("id_number", "450223 19900101 123X") == "4502**********123X"
    assert mask_value("idcard", "4502231990") == "45******90"  # a partial number shows no more than 2 + 2
    assert "19900101" not in str(mask_value("", {"person": {"id_number": "45022319 900101123X"}}))
    assert mask_value("name", "张三") == "张三"
