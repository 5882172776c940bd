"""/api/v1/evaluation: evaluating posted enterprises (every signed-in role) and screening the master file (the roles
that may read yearly figures, each within its scope), one test per role and endpoint."""

import json

import pytest

from kechuang.accounts.choices import Role
from kechuang.evaluation import hte
from tests.conftest import JsonClient
from tests.evaluation.test_command import as_json
from tests.evaluation.test_hte import firm as hte_firm
from tests.evaluation.test_selectors import county  # noqa: F401  (the fixture)
from tests.evaluation.test_tsme import firm as tsme_firm
from tests.ip.conftest import make_patent  # noqa: F401  (the fixture used by county)

pytestmark = pytest.mark.django_db
ALL_ROLES = [role.value for role in Role]
# Roles that may read yearly figures, and the organisations of the county fixture each sees (its scope).
SCREENING = {
    Role.BUREAU_ADMIN: ["鹿寨甲科技有限公司", "鹿寨乙材料有限公司"],
    Role.BUREAU_STAFF: ["鹿寨甲科技有限公司", "鹿寨乙材料有限公司"],
    Role.LEADER: ["鹿寨甲科技有限公司", "鹿寨乙材料有限公司"],
    Role.ENTERPRISE: ["鹿寨乙材料有限公司"],
    Role.PROVIDER: ["鹿寨乙材料有限公司"],
}


def client_for(user) -> JsonClient:
    client = JsonClient()
    client.force_login(user)
    return client


def post(client, kind: str, records: list[dict]):
    return client.post(f"/api/v1/evaluation/{kind}", json.dumps([as_json(r) for r in records]),
                       content_type="application/json")  # fmt: skip


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_signed_in_role_may_evaluate_posted_enterprises(role, make_user, make_org):
    organisation = make_org() if role in (Role.ENTERPRISE, Role.PROVIDER) else None
    client = client_for(make_user(role, organisation=organisation))
    records = [hte_firm(), hte_firm(uscc="91450223MA5KFDKX2W", violation_last_year=True)]
    response = post(client, "hte", records)
    assert response.status_code == 200, response.content
    assert response.json() == json.loads(json.dumps(hte.evaluate(records)))
    response = post(client, "tsme", [tsme_firm()])
    assert response.status_code == 200 and response.json()[0]["verdict"] == "qualifies"


def test_anonymous_callers_are_refused(client):
    assert post(client, "hte", [hte_firm()]).status_code == 401
    assert client.get("/api/v1/evaluation/tsme/screening?year=2024").status_code == 401


def test_bad_input_is_refused_naming_the_enterprise_and_key(make_user):
    client = client_for(make_user(Role.BUREAU_STAFF))
    response = post(client, "tsme", [tsme_firm(uscc="91450223MA5KFDKX1P")])
    assert response.status_code == 400
    assert response.json()["errors"]["__all__"] == ["第1家企业 uscc：校验码错误：第18位应为“R”，实际为“P”"]
    response = client.post("/api/v1/evaluation/hte", "[{", content_type="application/json")
    assert response.status_code == 400 and "JSON" in response.json()["detail"]
    assert client.post("/api/v1/evaluation/nope", "[]", content_type="application/json").status_code == 422


@pytest.mark.parametrize("role", ALL_ROLES)
def test_screening_per_role_within_its_scope(role, county, make_user):  # noqa: F811
    organisation = county["second"] if role in (Role.ENTERPRISE, Role.PROVIDER) else None
    region = "450223101" if organisation else "450223"
    client = client_for(make_user(role, organisation=organisation, region=region))
    for kind in ("tsme", "hte"):
        response = client.get(f"/api/v1/evaluation/{kind}/screening?year=2024")
        if role not in SCREENING:
            assert response.status_code == 403, (role, kind)
            continue
        assert response.status_code == 200, (role, kind, response.content)
        body = response.json()
        assert [row["name"] for row in body["items"]] == SCREENING[role], (role, kind)
        assert body["count"] == len(SCREENING[role])


def test_screening_gives_what_the_engine_gives(county, make_user):  # noqa: F811
    client = client_for(make_user(Role.BUREAU_STAFF))
    rows = client.get("/api/v1/evaluation/tsme/screening?year=2024").json()["items"]
    # 甲: 12 (S&T staff 20 %) + 30 (R&D 4.96 % of sales) + 30 (a Class I patent); the basic declarations are not in
    # the master file, so it does not qualify yet.
    assert rows[0] == {"uscc": county["first"].uscc, "name": "鹿寨甲科技有限公司", "verdict": "fails",
                       "total": [72, 72], "route": "score"}  # fmt: skip
    rows = client.get("/api/v1/evaluation/hte/screening?year=2024&limit=1").json()
    assert rows["count"] == 2 and len(rows["items"]) == 1 and rows["items"][0]["route"] is None
    assert client.get("/api/v1/evaluation/hte/screening").status_code == 422  # the year is required
