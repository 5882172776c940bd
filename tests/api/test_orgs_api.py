"""The organisation master file over /api/v1/orgs: auth, docs, the audit trail, Chinese validation errors, the
permission matrix of every role, and the data scope (another county's or another enterprise's records are 404).

Every test goes through django.test.Client to the real database: no mocks.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from kechuang.accounts.choices import Role
from kechuang.core.choices import AuditAction
from kechuang.core.models import AuditLog
from kechuang.core.validators import uscc_error
from kechuang.orgs.choices import CertificateKind
from kechuang.orgs.models import AnnualFigures, Certificate, Organisation, PoolMembership, ServiceRecord

from ..conftest import make_uscc
from .conftest import LAST_YEAR, JsonClient

pytestmark = pytest.mark.django_db

BASE = "/api/v1/orgs"


def audit_rows(instance_or_model, object_id=None):
    model = instance_or_model if isinstance(instance_or_model, type) else type(instance_or_model)
    pk = object_id if object_id is not None else instance_or_model.pk
    return AuditLog.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id=str(pk))


def new_org_payload(**overrides) -> dict:
    return {"name": "鹿寨新登记电子有限公司", "uscc": make_uscc("450223"), "region": "450223100", **overrides}


# --- authentication ----------------------------------------------------------------------------------------


def test_token_auth_reads_the_list(bureau, home, token_client):
    response = token_client(bureau).get(f"{BASE}/")
    assert response.status_code == 200
    assert [item["name"] for item in response.json()["items"]] == [home.name]


def test_session_auth_reads_a_record(bureau, home, session_client):
    response = session_client(bureau).get(f"{BASE}/{home.pk}")
    assert response.status_code == 200
    assert response.json()["uscc"] == home.uscc


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/{pk}"),
        ("POST", "/"),
        ("PATCH", "/{pk}"),
        ("DELETE", "/{pk}"),
        ("GET", "/{pk}/figures"),
        ("PUT", "/{pk}/figures/2020"),
        ("POST", "/{pk}/certificates"),
    ],
)
def test_anonymous_gets_401(home, method, path):
    response = JsonClient().generic(method, BASE + path.format(pk=home.pk), "{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或令牌无效"}
    assert home.name not in response.content.decode()


def test_unknown_token_gets_401(home):
    response = JsonClient(HTTP_AUTHORIZATION="Bearer kc_not-a-real-token").get(f"{BASE}/{home.pk}")
    assert response.status_code == 401


def test_token_of_inactive_user_gets_401(bureau, home, token_client):
    client = token_client(bureau)
    bureau.is_active = False
    bureau.save()
    assert client.get(f"{BASE}/{home.pk}").status_code == 401


def test_session_write_needs_csrf_token_write_does_not_need_it(bureau, home, session_client, token_client):
    strict = session_client(bureau, enforce_csrf_checks=True)
    assert strict.send("patch", f"{BASE}/{home.pk}", {"contact": "王五"}).status_code == 403
    assert token_client(bureau).send("patch", f"{BASE}/{home.pk}", {"contact": "王五"}).status_code == 200


# --- OpenAPI and the interactive docs ----------------------------------------------------------------------


def test_openapi_lists_every_path_with_chinese_summaries(client, bureau):
    assert client.get("/api/v1/openapi.json").status_code == 302  # the schema is for signed-in users
    client.force_login(bureau)
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    expected = {
        "/api/v1/orgs/": {"get", "post"},
        "/api/v1/orgs/{org_id}": {"get", "patch", "delete"},
        "/api/v1/orgs/{org_id}/figures": {"get"},
        "/api/v1/orgs/{org_id}/figures/{year}": {"put", "delete"},
        "/api/v1/orgs/{org_id}/certificates": {"get", "post"},
        "/api/v1/orgs/certificates/{cert_id}": {"patch", "delete"},
        "/api/v1/orgs/{org_id}/memberships": {"get", "post"},
        "/api/v1/orgs/memberships/{membership_id}": {"patch", "delete"},
        "/api/v1/orgs/{org_id}/services": {"get", "post"},
        "/api/v1/orgs/services/{record_id}": {"patch", "delete"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
        for operation in paths[path].values():
            assert re.search(r"[\u4e00-\u9fff]", operation["summary"]), operation["summary"]
            assert operation["tags"] == ["单位档案"]


def test_docs_render_without_any_cdn(bureau, login):
    response = login(bureau).get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "/static/ninja/swagger-ui.css" in html
    external = re.findall(r"""<(?:script|link)[^>]+(?:src|href)=["'](?:https?:)?//[^"']+""", html)
    assert external == []


# --- organisations: reads and filters ----------------------------------------------------------------------


def test_detail_shape(bureau, make_org, token_client, industry):
    org = make_org(
        name="鹿寨丁电子有限公司",
        region="450223100",
        industry=industry,
        above_scale=True,
        registration_date=datetime.date(2015, 3, 9),
    )
    data = token_client(bureau).get(f"{BASE}/{org.pk}").json()
    assert data["region"] == "450223100"
    assert data["region_name"] == "鹿寨镇"
    assert data["industry"] == "39"
    assert data["registration_date"] == "2015-03-09"
    assert data["above_scale"] is True
    assert data["kind"] == "enterprise" and data["status"] == "active"


def test_list_is_paginated(bureau, make_org, token_client):
    for i in range(5):
        make_org(name=f"鹿寨分页{i}有限公司")
    data = token_client(bureau).get(f"{BASE}/?limit=2&offset=2").json()
    assert data["count"] == 5
    assert [item["name"] for item in data["items"]] == ["鹿寨分页2有限公司", "鹿寨分页3有限公司"]


def test_list_filters(bureau, make_org, token_client, today):
    township = make_org(name="鹿寨镇电子有限公司", region="450223100", above_scale=True)
    county = make_org(name="导江乡农业开发有限公司", region="450223201", kind="institute", status="moved")
    holder = make_org(name="高企证书持有有限公司", region="450223")
    Certificate.objects.create(
        organisation=holder,
        kind=CertificateKind.HTE,
        number=f"GR{today.year}45000001",
        year=today.year,
        issue_date=today,
    )
    client = token_client(bureau)

    def names(query):
        response = client.get(f"{BASE}/?{query}")
        assert response.status_code == 200, response.content
        return {item["name"] for item in response.json()["items"]}

    assert names("region=450223100") == {township.name}
    assert names("region=450223") == {township.name, county.name, holder.name}
    assert names("kind=institute") == {county.name}
    assert names("status=moved") == {county.name}
    assert names("above_scale=true") == {township.name}
    assert names("q=dj") == {county.name}  # pinyin initials of 导江
    assert names("q=" + township.uscc[:12]) == {township.name}
    assert names("certificate=hte_valid") == {holder.name}
    assert names("certificate=hte_none") == {township.name, county.name}


def test_list_filter_errors_name_the_field(bureau, token_client):
    client = token_client(bureau)
    response = client.get(f"{BASE}/?region=999999")
    assert response.status_code == 400
    assert response.json()["errors"] == {"region": ["区划代码“999999”不存在"]}
    response = client.get(f"{BASE}/?certificate=gold")
    assert response.status_code == 422
    assert response.json()["errors"] == {"certificate": ["不是允许的选项"]}


def test_enterprise_lists_only_its_own_organisation(make_user, home, neighbour, far, token_client):
    user = make_user(Role.ENTERPRISE, organisation=home)
    data = token_client(user).get(f"{BASE}/").json()
    assert data["count"] == 1
    assert [item["id"] for item in data["items"]] == [home.pk]
    assert token_client(user).get(f"{BASE}/?region=450222").json()["count"] == 0


# --- organisations: writes and their audit trail -----------------------------------------------------------


def test_create_update_delete_write_api_audit_rows(bureau, token_client, industry):
    client = token_client(bureau)
    response = client.send("post", f"{BASE}/", new_org_payload(industry="39", hitech_domain=1))
    assert response.status_code == 201, response.content
    org = Organisation.objects.get(pk=response.json()["id"])
    assert org.industry == industry and org.name_initials == "lzxdjdzyxgs"

    response = client.send("patch", f"{BASE}/{org.pk}", {"name": "鹿寨更名电子有限公司", "phone": "0772-6812345"})
    assert response.status_code == 200, response.content
    assert response.json()["former_names"] == ["鹿寨新登记电子有限公司"]
    assert response.json()["phone"] == "0772-6812345"

    assert client.delete(f"{BASE}/{org.pk}").status_code == 204
    assert not Organisation.objects.filter(pk=org.pk).exists()

    rows = list(audit_rows(Organisation, org.pk).order_by("id"))
    assert [row.action for row in rows] == [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE]
    assert {row.source for row in rows} == {"api"}
    assert {row.actor_id for row in rows} == {bureau.pk}
    assert rows[1].before["name"] == "鹿寨新登记电子有限公司" and rows[1].after["name"] == "鹿寨更名电子有限公司"


def test_patch_changes_only_what_is_sent(bureau, home, token_client):
    token_client(bureau).send("patch", f"{BASE}/{home.pk}", {"contact": "李四"})
    home.refresh_from_db()
    assert home.contact == "李四" and home.name == "鹿寨甲科技有限公司" and home.region.code == "450223100"


def test_delete_refused_while_users_remain(bureau, home, make_user, token_client):
    make_user(Role.ENTERPRISE, organisation=home)
    response = token_client(bureau).delete(f"{BASE}/{home.pk}")
    assert response.status_code == 400
    assert "还有用户账号" in response.json()["detail"]
    assert Organisation.objects.filter(pk=home.pk).exists()


def test_bureau_cannot_create_or_move_an_organisation_outside_its_county(bureau, home, token_client):
    client = token_client(bureau)
    assert client.send("post", f"{BASE}/", new_org_payload(region="450222")).status_code == 403
    assert client.send("patch", f"{BASE}/{home.pk}", {"region": "450222"}).status_code == 403
    home.refresh_from_db()
    assert home.region.code == "450223100"
    assert not audit_rows(home).exists()


def test_enterprise_may_update_contacts_but_not_identity(make_user, home, token_client):
    client = token_client(make_user(Role.ENTERPRISE, organisation=home))
    ok = client.send("patch", f"{BASE}/{home.pk}", {"contact": "赵六", "name": home.name, "uscc": home.uscc.lower()})
    assert ok.status_code == 200, ok.content
    for change in (
        {"name": "改名有限公司"},
        {"region": "450223101"},
        {"status": "active", "kind": "institute"},
        {"uscc": make_uscc("450223")},
        {"above_scale": True},
    ):
        response = client.send("patch", f"{BASE}/{home.pk}", change)
        assert response.status_code == 403, change
        assert "请联系科技局" in response.json()["detail"]
    home.refresh_from_db()
    assert (home.name, home.region.code, home.kind, home.contact) == (
        "鹿寨甲科技有限公司",
        "450223100",
        "enterprise",
        "赵六",
    )


# --- validation errors: JSON naming the field, in Chinese ---------------------------------------------------


def _wrong_check_char(code: str) -> str:
    return code[:17] + ("1" if code[17] != "1" else "2")


@pytest.mark.parametrize(
    "spoil",
    [_wrong_check_char, lambda code: code[:17], lambda code: code[:16] + "O" + code[17]],
    ids=["check-character", "length", "letter-O"],
)
def test_bad_uscc_names_the_field(bureau, token_client, spoil):
    bad = spoil(make_uscc("450223"))
    assert uscc_error(bad)
    response = token_client(bureau).send("post", f"{BASE}/", new_org_payload(uscc=bad))
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["uscc"] == [uscc_error(bad)]
    assert not Organisation.objects.exists()


def test_bad_uscc_on_patch_names_the_field(bureau, home, token_client):
    response = token_client(bureau).send("patch", f"{BASE}/{home.pk}", {"uscc": "123"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"uscc": [uscc_error("123")]}


def test_duplicate_uscc_names_the_field(bureau, home, token_client):
    response = token_client(bureau).send("post", f"{BASE}/", new_org_payload(uscc=home.uscc))
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["uscc"]


@pytest.mark.parametrize(
    ("payload", "status", "errors"),
    [
        ({"name": "鹿寨", "kind": "company"}, 422, {"kind": ["不是允许的选项"]}),
        ({"registration_date": "2015-13-01"}, 422, {"registration_date": ["应为日期，如 2021-01-01"]}),
        ({"name": "x" * 129}, 422, {"name": ["内容过长"]}),
        ({"region": "450299"}, 400, {"region": ["区划代码“450299”不存在"]}),
        ({"industry": "C"}, 400, {"industry": ["行业大类代码“C”不存在"]}),
    ],
)
def test_create_errors_name_the_field(bureau, token_client, industry, payload, status, errors):
    response = token_client(bureau).send("post", f"{BASE}/", new_org_payload(**payload))
    assert response.status_code == status, response.content
    assert response.json()["errors"] == errors
    assert response.json()["detail"]
    assert not Organisation.objects.exists()


def test_missing_required_fields_are_named(bureau, token_client):
    response = token_client(bureau).send("post", f"{BASE}/", {"uscc": make_uscc("450223")})
    assert response.status_code == 422
    assert response.json()["errors"] == {"name": ["必填项"], "region": ["必填项"]}


def test_explicit_null_in_patch_names_the_field(bureau, home, token_client):
    response = token_client(bureau).send("patch", f"{BASE}/{home.pk}", {"name": None, "region": None})
    assert response.status_code == 422
    assert response.json()["errors"] == {"name": ["不能为空"], "region": ["不能为空"]}


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"staff_total": 10, "st_staff": 12}, {"st_staff": ["科技人员数不能大于职工总数"]}),
        ({"sales_revenue": "-1.00"}, {"sales_revenue": ["销售收入不能为负数"]}),
        ({"rd_expense": 100, "rd_domestic": 200}, {"rd_domestic": ["境内研究开发费用不能大于研究开发费用总额"]}),
    ],
)
def test_figures_errors_name_the_field(bureau, home, token_client, payload, errors):
    response = token_client(bureau).send("put", f"{BASE}/{home.pk}/figures/{LAST_YEAR}", payload)
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == errors
    assert not AnnualFigures.objects.exists()


def test_figures_year_checks(bureau, home, token_client):
    client = token_client(bureau)
    next_year = LAST_YEAR + 2
    response = client.send("put", f"{BASE}/{home.pk}/figures/{next_year}", {"staff_total": 1})
    assert response.status_code == 400
    assert response.json()["errors"] == {"year": [f"年度 {next_year} 还没有到，不能填报"]}
    response = client.send("put", f"{BASE}/{home.pk}/figures/1900", {"staff_total": 1})
    assert response.status_code == 422
    assert response.json()["errors"] == {"year": ["数值过小"]}
    assert client.send("put", f"{BASE}/{home.pk}/figures/abc", {}).json()["errors"] == {"year": ["应为整数"]}


def test_bad_json_body(bureau, token_client):
    response = token_client(bureau).post(f"{BASE}/", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.json()["detail"]


# --- yearly figures ----------------------------------------------------------------------------------------


def test_figures_upsert_amounts_as_decimal_strings(bureau, home, token_client):
    client = token_client(bureau)
    url = f"{BASE}/{home.pk}/figures/{LAST_YEAR}"
    response = client.send(
        "put",
        url,
        {
            "staff_total": 120,
            "st_staff": 18,
            "sales_revenue": "36500000.5",
            "net_assets": "-120000",
            "source": "report",
        },
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["year"], data["sales_revenue"], data["net_assets"]) == (LAST_YEAR, "36500000.50", "-120000.00")
    assert data["source"] == "report"

    response = client.send("put", url, {"staff_total": 130, "st_staff": 18})
    assert response.status_code == 200
    figures = AnnualFigures.objects.get()
    assert (figures.staff_total, figures.sales_revenue, figures.source) == (130, None, "report")

    listed = client.get(f"{BASE}/{home.pk}/figures").json()
    assert [row["year"] for row in listed] == [LAST_YEAR]
    rows = list(audit_rows(figures).order_by("id"))
    assert [(row.action, row.source) for row in rows] == [(AuditAction.CREATE, "api"), (AuditAction.UPDATE, "api")]

    assert client.delete(url).status_code == 204
    assert not AnnualFigures.objects.exists()
    assert audit_rows(AnnualFigures, figures.pk).filter(action=AuditAction.DELETE, source="api").exists()
    assert client.delete(url).status_code == 404


# --- certificates, pool memberships, service records -------------------------------------------------------


def test_certificate_crud_with_computed_validity(bureau, home, token_client):
    client = token_client(bureau)
    payload = {"kind": "hte", "number": "gr202245000123", "year": 2022, "issue_date": "2022-12-19"}
    response = client.send("post", f"{BASE}/{home.pk}/certificates", payload)
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["number"], data["valid_until"]) == ("GR202245000123", "2025-12-18")

    listed = client.get(f"{BASE}/{home.pk}/certificates").json()
    assert [row["id"] for row in listed] == [data["id"]]

    response = client.send("patch", f"{BASE}/certificates/{data['id']}", {"revoked_date": "2024-01-05"})
    assert response.status_code == 200 and response.json()["revoked_date"] == "2024-01-05"
    response = client.send("patch", f"{BASE}/certificates/{data['id']}", {"number": "GR2022450001"})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["number"]

    assert client.delete(f"{BASE}/certificates/{data['id']}").status_code == 204
    actions = [row.action for row in audit_rows(Certificate, data["id"]).filter(source="api").order_by("id")]
    assert actions == [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE]


def test_other_certificate_without_name_names_the_field(bureau, home, token_client):
    response = token_client(bureau).send("post", f"{BASE}/{home.pk}/certificates", {"kind": "other", "year": 2024})
    assert response.status_code == 400
    assert response.json()["errors"] == {"name": ["其他认定须填写认定名称，如“瞪羚企业”"]}


def test_membership_crud(bureau, home, pool, token_client):
    client = token_client(bureau)
    response = client.send("post", f"{BASE}/{home.pk}/memberships", {"pool": "hte-reserve", "entry_year": 2023})
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["pool"], data["pool_name"]) == ("hte-reserve", "后备高新技术企业库")

    response = client.send("patch", f"{BASE}/memberships/{data['id']}", {"exit_year": 2024})
    assert response.status_code == 400
    assert response.json()["errors"] == {"exit_reason": ["出库时须填写出库原因"]}
    response = client.send("patch", f"{BASE}/memberships/{data['id']}", {"exit_year": 2024, "exit_reason": "已认定"})
    assert response.status_code == 200 and response.json()["exit_year"] == 2024

    response = client.send("post", f"{BASE}/{home.pk}/memberships", {"pool": "nope", "entry_year": 2023})
    assert response.status_code == 400 and response.json()["errors"] == {"pool": ["培育库代码“nope”不存在"]}

    assert [row["id"] for row in client.get(f"{BASE}/{home.pk}/memberships").json()] == [data["id"]]
    assert client.delete(f"{BASE}/memberships/{data['id']}").status_code == 204
    assert not PoolMembership.objects.exists()
    assert audit_rows(PoolMembership, data["id"]).filter(source="api").count() == 3


def test_service_record_crud_records_the_staff(bureau, home, token_client, today):
    client = token_client(bureau)
    payload = {"date": today.isoformat(), "service_type": "visit", "content": "走访了解研发投入情况"}
    response = client.send("post", f"{BASE}/{home.pk}/services", payload)
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["staff"], data["staff_name"]) == ("luzhai-admin", "鹿寨科技局管理员")

    response = client.send("patch", f"{BASE}/services/{data['id']}", {"follow_up": "下月辅导申报"})
    assert response.status_code == 200 and response.json()["follow_up"] == "下月辅导申报"
    assert [row["id"] for row in client.get(f"{BASE}/{home.pk}/services").json()] == [data["id"]]
    assert client.delete(f"{BASE}/services/{data['id']}").status_code == 204
    assert not ServiceRecord.objects.exists()


def test_enterprise_reads_but_cannot_write_its_certificates(make_user, home, token_client, today):
    cert = Certificate.objects.create(organisation=home, kind="tsme", year=today.year, number="")
    client = token_client(make_user(Role.ENTERPRISE, organisation=home))
    assert client.get(f"{BASE}/{home.pk}/certificates").status_code == 200
    assert client.send("post", f"{BASE}/{home.pk}/certificates", {"kind": "tsme", "year": 2024}).status_code == 403
    assert client.send("patch", f"{BASE}/certificates/{cert.pk}", {"year": 2020}).status_code == 403
    assert client.delete(f"{BASE}/certificates/{cert.pk}").status_code == 403
    assert (
        client.send(
            "post", f"{BASE}/{home.pk}/services", {"date": "2024-01-01", "service_type": "visit", "content": "x"}
        ).status_code
        == 403
    )


# --- the permission matrix ---------------------------------------------------------------------------------
#
# Written out from the role semantics (accounts/roles.py docstring and the brief), not computed from MATRIX:
# 三员 and experts hold no business data, so every organisation is invisible to them (list empty, record 404);
# bureau admins do everything in their county; bureau staff everything but delete; leaders only read;
# enterprises and providers read their own organisation, keep its details and figures current, delete nothing.
# "list" is the number of organisations the role sees out of: home (its own, 鹿寨), neighbour (鹿寨), far (柳城).

ORGANISATION_EXPECTED = {
    #                   list  detail create update delete
    Role.SYSADMIN:     (2,    200,   403,   403,   403),  # reads, to bind accounts to organisations
    Role.SECADMIN:     (0,    404,   403,   404,   404),
    Role.AUDITADMIN:   (0,    404,   403,   404,   404),
    Role.BUREAU_ADMIN: (2,    200,   201,   200,   204),
    Role.BUREAU_STAFF: (2,    200,   201,   200,   403),
    Role.LEADER:       (2,    200,   403,   403,   403),
    Role.ENTERPRISE:   (1,    200,   403,   200,   403),
    Role.EXPERT:       (0,    404,   403,   404,   404),
    Role.PROVIDER:     (1,    200,   403,   200,   403),
}  # fmt: skip

FIGURES_EXPECTED = {
    #                   list  save   delete
    Role.SYSADMIN:     (200,  403,   404),  # sees the organisation, not its figures (the list is empty)
    Role.SECADMIN:     (404,  404,   404),
    Role.AUDITADMIN:   (404,  404,   404),
    Role.BUREAU_ADMIN: (200,  200,   204),
    Role.BUREAU_STAFF: (200,  200,   403),
    Role.LEADER:       (200,  403,   403),
    Role.ENTERPRISE:   (200,  200,   403),
    Role.EXPERT:       (404,  404,   404),
    Role.PROVIDER:     (200,  200,   403),
}  # fmt: skip

ORG_OPERATIONS = ("list", "detail", "create", "update", "delete")
FIGURE_OPERATIONS = ("list", "save", "delete")


def test_every_role_is_in_the_tables():
    assert set(ORGANISATION_EXPECTED) == set(FIGURES_EXPECTED) == set(Role)


@pytest.fixture
def actor(request, make_user, home):
    role = request.param
    return make_user(role, organisation=home if role in (Role.ENTERPRISE, Role.PROVIDER) else None)


def _org_cases():
    for role, statuses in ORGANISATION_EXPECTED.items():
        for operation, expected in zip(ORG_OPERATIONS, statuses, strict=True):
            yield pytest.param(role, operation, expected, id=f"{role}-{operation}")


@pytest.mark.parametrize(("actor", "operation", "expected"), list(_org_cases()), indirect=["actor"])
def test_organisation_matrix(actor, operation, expected, home, neighbour, far, token_client):
    client = token_client(actor)
    if operation == "list":
        response = client.get(f"{BASE}/")
        assert response.status_code == 200
        assert response.json()["count"] == expected
        assert far.pk not in {item["id"] for item in response.json()["items"]}
        return
    before = Organisation.objects.count()
    response = {
        "detail": lambda: client.get(f"{BASE}/{home.pk}"),
        "create": lambda: client.send("post", f"{BASE}/", new_org_payload()),
        "update": lambda: client.send("patch", f"{BASE}/{home.pk}", {"phone": "0772-6800000"}),
        "delete": lambda: client.delete(f"{BASE}/{home.pk}"),
    }[operation]()
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response.json()["detail"]
        assert Organisation.objects.count() == before
        assert not AuditLog.objects.filter(content_type=ContentType.objects.get_for_model(Organisation)).exists()
        if expected == 404:
            assert home.name not in response.content.decode()


def _figure_cases():
    for role, statuses in FIGURES_EXPECTED.items():
        for operation, expected in zip(FIGURE_OPERATIONS, statuses, strict=True):
            yield pytest.param(role, operation, expected, id=f"{role}-{operation}")


@pytest.mark.parametrize(("actor", "operation", "expected"), list(_figure_cases()), indirect=["actor"])
def test_figures_matrix(actor, operation, expected, home, token_client):
    existing = AnnualFigures.objects.create(organisation=home, year=LAST_YEAR - 1, staff_total=50, st_staff=5)
    client = token_client(actor)
    response = {
        "list": lambda: client.get(f"{BASE}/{home.pk}/figures"),
        "save": lambda: client.send("put", f"{BASE}/{home.pk}/figures/{LAST_YEAR}", {"staff_total": 60}),
        "delete": lambda: client.delete(f"{BASE}/{home.pk}/figures/{existing.year}"),
    }[operation]()
    assert response.status_code == expected, response.content
    if operation == "list" and expected == 200:
        sees_figures = actor.role != Role.SYSADMIN  # the system administrator sees organisations, not their figures
        assert [row["year"] for row in response.json()] == ([existing.year] if sees_figures else [])
    if expected >= 400:
        assert list(AnnualFigures.objects.values_list("year", flat=True)) == [existing.year]
        assert not AuditLog.objects.filter(content_type=ContentType.objects.get_for_model(AnnualFigures)).exists()


# --- data scope: another county, another enterprise --------------------------------------------------------

BUREAU_SIDE = (Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.LEADER)


def _scope_requests(client, org):
    return {
        "detail": client.get(f"{BASE}/{org.pk}"),
        "update": client.send("patch", f"{BASE}/{org.pk}", {"phone": "1"}),
        "delete": client.delete(f"{BASE}/{org.pk}"),
        "figures": client.get(f"{BASE}/{org.pk}/figures"),
        "figures-save": client.send("put", f"{BASE}/{org.pk}/figures/{LAST_YEAR}", {"staff_total": 1}),
        "figures-delete": client.delete(f"{BASE}/{org.pk}/figures/{LAST_YEAR - 1}"),
        "certificates": client.get(f"{BASE}/{org.pk}/certificates"),
        "certificate-create": client.send("post", f"{BASE}/{org.pk}/certificates", {"kind": "tsme", "year": 2024}),
        "memberships": client.get(f"{BASE}/{org.pk}/memberships"),
        "services": client.get(f"{BASE}/{org.pk}/services"),
    }


@pytest.mark.parametrize("role", BUREAU_SIDE)
def test_another_countys_organisation_is_404_for_the_bureau(role, make_user, far, token_client):
    AnnualFigures.objects.create(organisation=far, year=LAST_YEAR - 1, staff_total=9)
    client = token_client(make_user(role, region="450223"))
    statuses = {name: r.status_code for name, r in _scope_requests(client, far).items()}
    assert statuses == dict.fromkeys(statuses, 404)
    far.refresh_from_db()
    assert far.phone == "" and AnnualFigures.objects.filter(organisation=far).count() == 1


@pytest.mark.parametrize("role", (Role.ENTERPRISE, Role.PROVIDER))
def test_another_enterprises_organisation_is_404(role, make_user, home, neighbour, token_client):
    AnnualFigures.objects.create(organisation=neighbour, year=LAST_YEAR - 1, staff_total=9)
    client = token_client(make_user(role, organisation=home))
    statuses = {name: r.status_code for name, r in _scope_requests(client, neighbour).items()}
    assert statuses == dict.fromkeys(statuses, 404)
    assert AnnualFigures.objects.filter(organisation=neighbour).count() == 1


def test_children_of_another_county_are_404_by_their_own_id(bureau, far, pool, token_client, today):
    cert = Certificate.objects.create(organisation=far, kind="tsme", year=today.year)
    membership = PoolMembership.objects.create(organisation=far, pool=pool, entry_year=2023)
    record = ServiceRecord.objects.create(organisation=far, date=today, service_type="visit", content="走访")
    client = token_client(bureau)
    for path in (f"certificates/{cert.pk}", f"memberships/{membership.pk}", f"services/{record.pk}"):
        assert client.send("patch", f"{BASE}/{path}", {}).status_code == 404, path
        assert client.delete(f"{BASE}/{path}").status_code == 404, path
    assert Certificate.objects.count() == PoolMembership.objects.count() == ServiceRecord.objects.count() == 1


def test_sysadmin_without_region_reads_every_organisation_and_writes_none(make_user, home, far, token_client):
    client = token_client(make_user(Role.SYSADMIN, region=None))
    assert client.get(f"{BASE}/").json()["count"] == Organisation.objects.count()
    assert client.get(f"{BASE}/{far.pk}").status_code == 200
    assert client.get(f"{BASE}/{home.pk}/figures").json() == []
    assert client.send("patch", f"{BASE}/{home.pk}", {"phone": "1"}).status_code == 403


def test_money_is_stored_in_yuan(bureau, home, token_client):
    token_client(bureau).send("put", f"{BASE}/{home.pk}/figures/{LAST_YEAR}", {"rd_expense": "1234567.89"})
    assert AnnualFigures.objects.get().rd_expense == Decimal("1234567.89")


def test_too_many_decimal_places_name_the_field(bureau, home, token_client):
    response = token_client(bureau).send("put", f"{BASE}/{home.pk}/figures/{LAST_YEAR}", {"sales_revenue": "1.234"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["sales_revenue"]
