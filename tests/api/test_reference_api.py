"""The API's reference endpoints (regions, population) and the signed-in user's own profile, per role."""

import pytest

from kechuang.accounts.choices import Role
from kechuang.regions.models import Population

# Whether each role may read the region list and the population table (reference data has no data scope).
EXPECTED = {
    Role.SYSADMIN: (True, True),
    Role.SECADMIN: (False, False),
    Role.AUDITADMIN: (False, False),
    Role.BUREAU_ADMIN: (True, True),
    Role.BUREAU_STAFF: (True, True),
    Role.LEADER: (True, True),
    Role.ENTERPRISE: (True, False),
    Role.EXPERT: (True, False),
    Role.PROVIDER: (True, False),
}


@pytest.fixture
def population(regions):
    Population.objects.create(region=regions["450223"], year=2020, resident=361600)
    Population.objects.create(region=regions["450222"], year=2020, resident=300000)


@pytest.mark.parametrize("role", list(Role))
def test_reference_endpoints_per_role(role, make_user, make_org, login, population):
    org = make_org() if role in (Role.ENTERPRISE, Role.PROVIDER) else None
    region = None if role in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN) else "450223"
    client = login(make_user(role, region=region, organisation=org))
    sees_regions, sees_population = EXPECTED[role]
    codes = [r["code"] for r in client.get("/api/v1/regions/").json()]
    assert ("450223" in codes) is sees_regions
    rows = client.get("/api/v1/regions/population", {"year": 2020}).json()
    if not sees_population:
        assert rows == []
    elif role == Role.SYSADMIN:
        assert {r["region_code"] for r in rows} == {"450223", "450222"}
    else:  # bureau roles: their county only
        assert [r["region_code"] for r in rows] == ["450223"]
    me = client.get("/api/v1/accounts/me").json()
    assert me["role"] == role and me["organisation_id"] == (org.pk if org else None)


def test_selectable_regions_leave_out_abolished_codes(bureau, login):
    client = login(bureau)
    codes = [r["code"] for r in client.get("/api/v1/regions/", {"selectable": True}).json()]
    assert "450221" not in codes and "450206" in codes
    assert "450221" in [r["code"] for r in client.get("/api/v1/regions/").json()]


def test_anonymous_gets_401(client):
    for path in ("/api/v1/regions/", "/api/v1/regions/population", "/api/v1/accounts/me"):
        response = client.get(path)
        assert response.status_code == 401 and response.json()["detail"] == "未登录或令牌无效"
