"""The yearly reporting round (年报填报) over /api/v1/orgs: figures submit/approve/return, rounds, who has reported;
a hand-written table of what every role gets from every endpoint, and the data scope (another county is 404)."""

import datetime

import pytest
from django.utils import timezone

from kechuang.accounts.choices import Role
from kechuang.core.models import AuditLog
from kechuang.notices.models import Message
from kechuang.orgs.models import AnnualFigures, ReportingRound

from .conftest import LAST_YEAR

pytestmark = pytest.mark.django_db

BASE = "/api/v1/orgs"
ROUNDS = f"{BASE}/reporting/rounds"
TODAY = timezone.localdate()


def make_round(region, year=LAST_YEAR) -> ReportingRound:
    return ReportingRound.objects.create(
        region=region, year=year, opens_on=TODAY - datetime.timedelta(days=1), deadline=TODAY
    )


def make_figures(org, year, status) -> AnnualFigures:
    return AnnualFigures.objects.create(
        organisation=org, year=year, staff_total=30, basis="统计年报口径", review_status=status, source="report"
    )


# --- the whole cycle -----------------------------------------------------------------------------------------


def test_enterprise_reports_and_the_bureau_reviews_over_the_api(home, neighbour, make_user, bureau, token_client):
    company, county = token_client(make_user("enterprise", organisation=home)), token_client(bureau)

    response = county.send(
        "post", ROUNDS, {"year": LAST_YEAR, "opens_on": TODAY, "deadline": TODAY, "instructions": "按时"}
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["region"], created["name"], created["status"]) == (
        "450223",
        f"鹿寨县{LAST_YEAR}年度年报填报",
        "open",
    )
    round_url = f"{ROUNDS}/{created['id']}"

    saved = company.send("put", f"{BASE}/{home.pk}/figures/{LAST_YEAR}", {"staff_total": 50, "st_staff": 6})
    assert saved.status_code == 200 and saved.json()["review_status"] == "draft"
    refused = company.send("post", f"{BASE}/{home.pk}/figures/{LAST_YEAR}/submit")
    assert refused.status_code == 400 and "统计口径" in refused.json()["errors"]["basis"][0]
    company.send("put", f"{BASE}/{home.pk}/figures/{LAST_YEAR}", {"staff_total": 50, "basis": "企业财务报表口径"})
    submitted = company.send("post", f"{BASE}/{home.pk}/figures/{LAST_YEAR}/submit")
    assert submitted.status_code == 200 and submitted.json()["review_status"] == "submitted"
    assert submitted.json()["submitted_at"]

    detail = county.get(round_url).json()
    assert detail["counts"] == {
        "population": 2,
        "reported": 1,
        "submitted": 1,
        "returned": 0,
        "approved": 0,
        "missing": 1,
    }
    assert [row["name"] for row in county.get(f"{round_url}/missing").json()["items"]] == [neighbour.name]
    reported = county.get(f"{round_url}/reported?status=submitted").json()["items"]
    assert [(row["organisation_name"], row["review_status"]) for row in reported] == [(home.name, "submitted")]

    assert company.send("post", f"{BASE}/{home.pk}/figures/{LAST_YEAR}/approve", {}).status_code == 403
    no_comment = county.send("post", f"{BASE}/{home.pk}/figures/{LAST_YEAR}/return", {})
    assert no_comment.status_code == 400 and "comment" in no_comment.json()["errors"]
    returned = county.send("post", f"{BASE}/{home.pk}/figures/{LAST_YEAR}/return", {"comment": "请补充研发费用"})
    assert (returned.json()["review_status"], returned.json()["review_comment"]) == ("returned", "请补充研发费用")
    assert returned.json()["reviewer"] == bureau.username

    company.send(
        "put",
        f"{BASE}/{home.pk}/figures/{LAST_YEAR}",
        {"staff_total": 50, "rd_expense": "300000", "basis": "企业财务报表口径"},
    )
    company.send("post", f"{BASE}/{home.pk}/figures/{LAST_YEAR}/submit")
    figures_id = AnnualFigures.objects.get().pk
    bulk = county.send("post", f"{round_url}/review", {"action": "approve", "figures": [figures_id, 999999]})
    assert bulk.json() == {"done": 1, "skipped": 1}
    assert AnnualFigures.objects.get().review_status == "approved"
    assert Message.objects.filter(title=f"{LAST_YEAR}年度数据已审核通过").count() == 1
    assert AuditLog.objects.filter(content_type__model="annualfigures", source="api").count() == 7

    closed = county.send("patch", round_url, {"status": "closed"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert county.send("patch", round_url, {"status": None}).status_code == 422


def test_round_errors_name_the_field(bureau, token_client):
    client = token_client(bureau)
    make_round(bureau.region)
    duplicate = client.send("post", ROUNDS, {"year": LAST_YEAR, "opens_on": TODAY, "deadline": TODAY})
    assert duplicate.status_code == 400 and "已经发起过" in duplicate.json()["detail"]
    early = client.send("post", ROUNDS, {"year": 2020, "opens_on": TODAY, "deadline": TODAY - datetime.timedelta(1)})
    assert early.status_code == 400 and early.json()["errors"]["deadline"] == ["截止日期不能早于开始日期"]


def test_lists_are_for_the_bureau(home, make_user, token_client, regions):
    reporting_round = make_round(regions["450223"])
    company = token_client(make_user("enterprise", organisation=home))
    assert company.get(f"{ROUNDS}/{reporting_round.pk}").json()["counts"] is None
    assert company.get(f"{ROUNDS}/{reporting_round.pk}/missing").status_code == 403


# --- every role, every endpoint ---------------------------------------------------------------------------

OPERATIONS = ("list", "detail", "create", "update", "reported", "missing", "review", "submit", "approve", "return")
EXPECTED = {
    #                   list detail create update reported missing review submit approve return
    Role.SYSADMIN:     (0,   404,   403,   404,   404,     404,    404,   404,   404,    404),
    Role.SECADMIN:     (0,   404,   403,   404,   404,     404,    404,   404,   404,    404),
    Role.AUDITADMIN:   (0,   404,   403,   404,   404,     404,    404,   404,   404,    404),
    Role.BUREAU_ADMIN: (1,   200,   201,   200,   200,     200,    200,   200,   200,    200),
    Role.BUREAU_STAFF: (1,   200,   201,   200,   200,     200,    200,   200,   200,    200),
    Role.LEADER:       (1,   200,   403,   403,   200,     200,    403,   403,   403,    403),
    Role.ENTERPRISE:   (1,   200,   403,   403,   403,     403,    403,   200,   403,    403),
    Role.EXPERT:       (0,   404,   403,   404,   403,     403,    404,   404,   404,    404),
    Role.PROVIDER:     (1,   200,   403,   403,   403,     403,    403,   200,   403,    403),
}  # fmt: skip


def test_every_role_is_in_the_table():
    assert set(EXPECTED) == set(Role)


@pytest.fixture
def actor(request, make_user, home):
    role = request.param
    return make_user(role, organisation=home if role in (Role.ENTERPRISE, Role.PROVIDER) else None)


def _cases():
    for role, statuses in EXPECTED.items():
        for operation, expected in zip(OPERATIONS, statuses, strict=True):
            yield pytest.param(role, operation, expected, id=f"{role}-{operation}")


def _state():
    return (
        list(ReportingRound.objects.order_by("pk").values()),
        list(AnnualFigures.objects.order_by("pk").values()),
        AuditLog.objects.count(),
    )


@pytest.mark.parametrize(("actor", "operation", "expected"), list(_cases()), indirect=["actor"])
def test_reporting_matrix(actor, operation, expected, home, far, regions, token_client):
    reporting_round = make_round(regions["450223"])
    far_round = make_round(regions["450222"])
    submitted, draft = make_figures(home, LAST_YEAR, "submitted"), make_figures(home, LAST_YEAR - 1, "draft")
    figures = f"{BASE}/{home.pk}/figures"
    client = token_client(actor)
    before = _state()
    response = {
        "list": lambda: client.get(ROUNDS),
        "detail": lambda: client.get(f"{ROUNDS}/{reporting_round.pk}"),
        "create": lambda: client.send("post", ROUNDS, {"year": LAST_YEAR - 1, "opens_on": TODAY, "deadline": TODAY}),
        "update": lambda: client.send("patch", f"{ROUNDS}/{reporting_round.pk}", {"instructions": "延期一周"}),
        "reported": lambda: client.get(f"{ROUNDS}/{reporting_round.pk}/reported"),
        "missing": lambda: client.get(f"{ROUNDS}/{reporting_round.pk}/missing"),
        "review": lambda: client.send(
            "post", f"{ROUNDS}/{reporting_round.pk}/review", {"action": "approve", "figures": [submitted.pk]}
        ),
        "submit": lambda: client.send("post", f"{figures}/{draft.year}/submit"),
        "approve": lambda: client.send("post", f"{figures}/{submitted.year}/approve", {}),
        "return": lambda: client.send("post", f"{figures}/{submitted.year}/return", {"comment": "请核对"}),
    }[operation]()
    if operation == "list":
        assert response.status_code == 200
        ids = [item["id"] for item in response.json()["items"]]
        assert len(ids) == expected and far_round.pk not in ids
        return
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response.json()["detail"]
        assert _state() == before
        return
    effects = {
        "create": lambda: ReportingRound.objects.filter(year=LAST_YEAR - 1, region__code="450223").exists(),
        "update": lambda: ReportingRound.objects.get(pk=reporting_round.pk).instructions == "延期一周",
        "review": lambda: AnnualFigures.objects.get(pk=submitted.pk).review_status == "approved",
        "submit": lambda: AnnualFigures.objects.get(pk=draft.pk).review_status == "submitted",
        "approve": lambda: AnnualFigures.objects.get(pk=submitted.pk).review_status == "approved",
        "return": lambda: AnnualFigures.objects.get(pk=submitted.pk).review_status == "returned",
    }
    if operation in effects:
        assert effects[operation]()


@pytest.mark.parametrize("role", (Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.LEADER))
def test_another_countys_round_and_figures_are_404(role, make_user, far, regions, token_client):
    far_round = make_round(regions["450222"])
    make_figures(far, LAST_YEAR, "submitted")
    client = token_client(make_user(role))
    before = _state()
    assert client.get(f"{ROUNDS}/{far_round.pk}").status_code == 404
    assert client.send("patch", f"{ROUNDS}/{far_round.pk}", {"status": "closed"}).status_code == 404
    assert client.get(f"{ROUNDS}/{far_round.pk}/missing").status_code == 404
    assert (
        client.send("post", f"{ROUNDS}/{far_round.pk}/review", {"action": "approve", "figures": [1]}).status_code == 404
    )
    assert client.send("post", f"{BASE}/{far.pk}/figures/{LAST_YEAR}/approve", {}).status_code == 404
    assert client.send("post", f"{BASE}/{far.pk}/figures/{LAST_YEAR}/submit").status_code == 404
    assert _state() == before


def test_openapi_lists_the_reporting_paths(client, bureau):
    client.force_login(bureau)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    expected = {
        "/api/v1/orgs/reporting/rounds": {"get", "post"},
        "/api/v1/orgs/reporting/rounds/{round_id}": {"get", "patch"},
        "/api/v1/orgs/reporting/rounds/{round_id}/reported": {"get"},
        "/api/v1/orgs/reporting/rounds/{round_id}/missing": {"get"},
        "/api/v1/orgs/reporting/rounds/{round_id}/review": {"post"},
        "/api/v1/orgs/{org_id}/figures/{year}/submit": {"post"},
        "/api/v1/orgs/{org_id}/figures/{year}/approve": {"post"},
        "/api/v1/orgs/{org_id}/figures/{year}/return": {"post"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
        for operation in paths[path].values():
            assert operation["tags"] == ["单位档案"] and any("\u4e00" <= c <= "\u9fff" for c in operation["summary"])
