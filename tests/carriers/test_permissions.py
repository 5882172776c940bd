"""Who may use which page and API endpoint of the carriers registry, written by hand from the role semantics.

Bureau roles belong to 鹿寨县 (450223): the bureau administrator does everything there, staff everything but
delete, the leader reads and exports. Enterprise and provider users belong to organisation A and read and export
only the carriers A hosts and their tenants. Experts and the three administrators see no carrier. Incubator A
(hosted by A, in 鹿寨镇) is in scope; incubator B (hosted by B, in 柳城县) is not.

    Y  allowed: a GET answers 200 (201/204 for API writes), a POST redirects and its effect is in the database;
       a list or export shows A's records and none of B's.
    .  refused: 403 or 404 and nothing changes (a list may answer 200 showing nothing).
    4  refused with 404: the record exists outside the user's scope and its existence must not leak.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from kechuang.accounts.choices import Role
from kechuang.carriers.models import Carrier, Tenant
from kechuang.core.models import AuditLog
from tests.web.conftest import describe, xlsx_rows

from .conftest import JsonClient

D = datetime.date
pytestmark = pytest.mark.django_db

ROLES = (
    Role.SYSADMIN,
    Role.SECADMIN,
    Role.AUDITADMIN,
    Role.BUREAU_ADMIN,
    Role.BUREAU_STAFF,
    Role.LEADER,
    Role.ENTERPRISE,
    Role.EXPERT,
    Role.PROVIDER,
)

EXPECTED = """
                              sys sec aud adm stf ldr ent exp prv
carrier.list                   .   .   .   Y   Y   Y   Y   .   Y
carrier.export                 .   .   .   Y   Y   Y   Y   .   Y
carrier.detail                 .   .   .   Y   Y   Y   Y   .   Y
carrier.create.get             .   .   .   Y   Y   .   .   .   .
carrier.create.post            .   .   .   Y   Y   .   .   .   .
carrier.edit.get               .   .   .   Y   Y   .   .   .   .
carrier.edit.post              .   .   .   Y   Y   .   .   .   .
carrier.delete.get             .   .   .   Y   .   .   .   .   .
carrier.delete.post            .   .   .   Y   .   .   .   .   .
carrier.import                 .   .   .   Y   Y   .   .   .   .
carrier.template               .   .   .   Y   Y   .   .   .   .
carrierB.detail                .   .   .   4   4   4   4   .   4
carrierB.edit.get              .   .   .   4   4   4   4   .   4
carrierB.edit.post             .   .   .   4   4   4   4   .   4
carrierB.delete.post           .   .   .   4   4   4   4   .   4
tenant.list                    .   .   .   Y   Y   Y   Y   .   Y
tenant.export                  .   .   .   Y   Y   Y   Y   .   Y
tenant.detail                  .   .   .   Y   Y   Y   Y   .   Y
tenant.create.get              .   .   .   Y   Y   .   .   .   .
tenant.create.post             .   .   .   Y   Y   .   .   .   .
tenant.edit.get                .   .   .   Y   Y   .   .   .   .
tenant.edit.post               .   .   .   Y   Y   .   .   .   .
tenant.delete.get              .   .   .   Y   .   .   .   .   .
tenant.delete.post             .   .   .   Y   .   .   .   .   .
tenant.import                  .   .   .   Y   Y   .   .   .   .
tenantB.detail                 .   .   .   4   4   4   4   .   4
tenantB.edit.post              .   .   .   4   4   4   4   .   4
tenantB.delete.post            .   .   .   4   4   4   4   .   4
api.carrier.list               .   .   .   Y   Y   Y   Y   .   Y
api.carrier.detail             .   .   .   Y   Y   Y   Y   .   Y
api.carrier.create             .   .   .   Y   Y   .   .   .   .
api.carrier.update             .   .   .   Y   Y   .   .   .   .
api.carrier.delete             .   .   .   Y   .   .   .   .   .
api.carrierB.detail            .   .   .   4   4   4   4   .   4
api.carrierB.update            .   .   .   4   4   4   4   .   4
api.tenant.list                .   .   .   Y   Y   Y   Y   .   Y
api.tenant.detail              .   .   .   Y   Y   Y   Y   .   Y
api.tenant.create              .   .   .   Y   Y   .   .   .   .
api.tenant.update              .   .   .   Y   Y   .   .   .   .
api.tenant.delete              .   .   .   Y   .   .   .   .   .
api.tenantB.detail             .   .   .   4   4   4   4   .   4
api.tenantB.delete             .   .   .   4   4   4   4   .   4
"""


def _parse(table: str) -> dict[tuple[str, str], str]:
    lines = [line.split() for line in table.strip().splitlines() if line.strip()]
    expected = {}
    for name, *cells in lines[1:]:
        assert len(cells) == len(ROLES), name
        expected.update({(name, role.value): cell for role, cell in zip(ROLES, cells, strict=True)})
    return expected


EXPECT = _parse(EXPECTED)
NAMES = list(dict.fromkeys(name for name, _ in EXPECT))


@dataclass
class World:
    a: object
    b: object
    carrier_a: Carrier
    carrier_b: Carrier
    tenant_a: Tenant
    tenant_b: Tenant


@pytest.fixture
def world(make_org, make_carrier, make_tenant) -> World:
    a = make_org(name="鹿寨甲科技有限公司", region="450223100")
    b = make_org(name="柳城丙机械有限公司", region="450222")
    carrier_a = make_carrier("鹿寨甲孵化器", kind="incubator", host=a)
    carrier_b = make_carrier("柳城丙孵化器", kind="incubator", host=b)
    return World(
        a=a,
        b=b,
        carrier_a=carrier_a,
        carrier_b=carrier_b,
        tenant_a=make_tenant(carrier_a, team_name="鹿寨甲创业团队"),
        tenant_b=make_tenant(carrier_b, team_name="柳城丙创业团队"),
    )


def user_for(role, world, make_user):
    if role in (Role.ENTERPRISE, Role.PROVIDER):
        return make_user(role, organisation=world.a)
    if role in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN):
        return make_user(role, region=None)
    return make_user(role)


def carrier_form(world, carrier=None, **changes) -> dict:
    data = {
        **{"kind": "incubator", "name": "鹿寨新孵化器", "level": "county", "host": world.a.pk, "region": ""},
        **{"recognised_date": "2020-01-01", "revoked_date": "", "document_number": "", "area": "", "notes": ""},
    }
    if carrier is not None:
        data.update(
            name=carrier.name, level=carrier.level, host=carrier.host_id, recognised_date=carrier.recognised_date
        )
    return {**data, **changes}


def tenant_form(world, tenant=None, **changes) -> dict:
    data = {"carrier": world.carrier_a.pk, "organisation": "", "team_name": "新入驻团队", "entry_date": "2021-01-01",
            "exit_date": "", "notes": ""}  # fmt: skip
    if tenant is not None:
        data.update(carrier=tenant.carrier_id, team_name=tenant.team_name, entry_date=tenant.entry_date)
    return {**data, **changes}


@dataclass(frozen=True)
class Endpoint:
    url: Callable[[World], str]
    method: str = "get"  # get | post (web form) | api-get | api-post | api-patch | api-delete
    data: Callable[[World], dict] | None = None
    done: Callable[[World], bool] | None = None
    shows: str = ""  # page | xlsx | json: must show A's record only


def _carrier(w):
    return Carrier.objects.filter(pk=w.carrier_a.pk)


ENDPOINTS = {
    "carrier.list": Endpoint(lambda w: "/carriers/", shows="page"),
    "carrier.export": Endpoint(lambda w: "/carriers/?export=xlsx", shows="xlsx"),
    "carrier.detail": Endpoint(lambda w: f"/carriers/{w.carrier_a.pk}/"),
    "carrier.create.get": Endpoint(lambda w: "/carriers/new/"),
    "carrier.create.post": Endpoint(
        lambda w: "/carriers/new/", "post", carrier_form, lambda w: Carrier.objects.filter(name="鹿寨新孵化器").exists()
    ),
    "carrier.edit.get": Endpoint(lambda w: f"/carriers/{w.carrier_a.pk}/edit/"),
    "carrier.edit.post": Endpoint(
        lambda w: f"/carriers/{w.carrier_a.pk}/edit/",
        "post",
        lambda w: carrier_form(w, w.carrier_a, level="region"),
        lambda w: _carrier(w).filter(level="region").exists(),
    ),
    "carrier.delete.get": Endpoint(lambda w: f"/carriers/{w.carrier_a.pk}/delete/"),
    "carrier.delete.post": Endpoint(
        lambda w: f"/carriers/{w.carrier_a.pk}/delete/", "post", lambda w: {}, lambda w: not _carrier(w).exists()
    ),
    "carrier.import": Endpoint(lambda w: "/imports/carriers/"),
    "carrier.template": Endpoint(lambda w: "/imports/carriers/template/"),
    "carrierB.detail": Endpoint(lambda w: f"/carriers/{w.carrier_b.pk}/"),
    "carrierB.edit.get": Endpoint(lambda w: f"/carriers/{w.carrier_b.pk}/edit/"),
    "carrierB.edit.post": Endpoint(
        lambda w: f"/carriers/{w.carrier_b.pk}/edit/", "post", lambda w: carrier_form(w, w.carrier_b, level="region")
    ),
    "carrierB.delete.post": Endpoint(lambda w: f"/carriers/{w.carrier_b.pk}/delete/", "post", lambda w: {}),
    "tenant.list": Endpoint(lambda w: "/carriers/tenants/", shows="page"),
    "tenant.export": Endpoint(lambda w: "/carriers/tenants/?export=xlsx", shows="xlsx"),
    "tenant.detail": Endpoint(lambda w: f"/carriers/tenants/{w.tenant_a.pk}/"),
    "tenant.create.get": Endpoint(lambda w: f"/carriers/tenants/new/?carrier={w.carrier_a.pk}"),
    "tenant.create.post": Endpoint(
        lambda w: "/carriers/tenants/new/",
        "post",
        tenant_form,
        lambda w: Tenant.objects.filter(team_name="新入驻团队").exists(),
    ),
    "tenant.edit.get": Endpoint(lambda w: f"/carriers/tenants/{w.tenant_a.pk}/edit/"),
    "tenant.edit.post": Endpoint(
        lambda w: f"/carriers/tenants/{w.tenant_a.pk}/edit/",
        "post",
        lambda w: tenant_form(w, w.tenant_a, exit_date="2022-06-30"),
        lambda w: Tenant.objects.filter(pk=w.tenant_a.pk, exit_date=D(2022, 6, 30)).exists(),
    ),
    "tenant.delete.get": Endpoint(lambda w: f"/carriers/tenants/{w.tenant_a.pk}/delete/"),
    "tenant.delete.post": Endpoint(
        lambda w: f"/carriers/tenants/{w.tenant_a.pk}/delete/",
        "post",
        lambda w: {},
        lambda w: not Tenant.objects.filter(pk=w.tenant_a.pk).exists(),
    ),
    "tenant.import": Endpoint(lambda w: "/imports/tenants/"),
    "tenantB.detail": Endpoint(lambda w: f"/carriers/tenants/{w.tenant_b.pk}/"),
    "tenantB.edit.post": Endpoint(
        lambda w: f"/carriers/tenants/{w.tenant_b.pk}/edit/",
        "post",
        lambda w: tenant_form(w, w.tenant_b, exit_date="2022-06-30"),
    ),
    "tenantB.delete.post": Endpoint(lambda w: f"/carriers/tenants/{w.tenant_b.pk}/delete/", "post", lambda w: {}),
    "api.carrier.list": Endpoint(lambda w: "/api/v1/carriers/", "api-get", shows="json"),
    "api.carrier.detail": Endpoint(lambda w: f"/api/v1/carriers/{w.carrier_a.pk}", "api-get"),
    "api.carrier.create": Endpoint(
        lambda w: "/api/v1/carriers/",
        "api-post",
        lambda w: {
            "kind": "maker_space",
            "name": "新众创空间",
            "level": "county",
            "region": "450223101",
            "recognised_date": "2021-05-01",
        },
        lambda w: Carrier.objects.filter(name="新众创空间", region__code="450223101").exists(),
    ),
    "api.carrier.update": Endpoint(
        lambda w: f"/api/v1/carriers/{w.carrier_a.pk}",
        "api-patch",
        lambda w: {"revoked_date": "2022-01-01"},
        lambda w: _carrier(w).filter(revoked_date=D(2022, 1, 1)).exists(),
    ),
    "api.carrier.delete": Endpoint(
        lambda w: f"/api/v1/carriers/{w.carrier_a.pk}", "api-delete", done=lambda w: not _carrier(w).exists()
    ),
    "api.carrierB.detail": Endpoint(lambda w: f"/api/v1/carriers/{w.carrier_b.pk}", "api-get"),
    "api.carrierB.update": Endpoint(
        lambda w: f"/api/v1/carriers/{w.carrier_b.pk}", "api-patch", lambda w: {"revoked_date": "2022-01-01"}
    ),
    "api.tenant.list": Endpoint(lambda w: "/api/v1/carriers/tenants", "api-get", shows="json"),
    "api.tenant.detail": Endpoint(lambda w: f"/api/v1/carriers/tenants/{w.tenant_a.pk}", "api-get"),
    "api.tenant.create": Endpoint(
        lambda w: "/api/v1/carriers/tenants",
        "api-post",
        lambda w: {"carrier": w.carrier_a.pk, "team_name": "接口团队", "entry_date": "2021-02-01"},
        lambda w: Tenant.objects.filter(team_name="接口团队").exists(),
    ),
    "api.tenant.update": Endpoint(
        lambda w: f"/api/v1/carriers/tenants/{w.tenant_a.pk}",
        "api-patch",
        lambda w: {"exit_date": "2022-03-01", "graduated": True},
        lambda w: Tenant.objects.filter(pk=w.tenant_a.pk, graduated=True).exists(),
    ),
    "api.tenant.delete": Endpoint(
        lambda w: f"/api/v1/carriers/tenants/{w.tenant_a.pk}",
        "api-delete",
        done=lambda w: not Tenant.objects.filter(pk=w.tenant_a.pk).exists(),
    ),
    "api.tenantB.detail": Endpoint(lambda w: f"/api/v1/carriers/tenants/{w.tenant_b.pk}", "api-get"),
    "api.tenantB.delete": Endpoint(lambda w: f"/api/v1/carriers/tenants/{w.tenant_b.pk}", "api-delete"),
}


def test_table_and_endpoints_agree():
    assert set(NAMES) == set(ENDPOINTS)


def db_state():
    return (
        list(Carrier.objects.order_by("pk").values()),
        list(Tenant.objects.order_by("pk").values()),
        AuditLog.objects.count(),
    )


def shown(endpoint: Endpoint, response, world: World) -> set[str]:
    """Which of the A and B records a list, export or API list shows (by name)."""
    names = {world.carrier_a.name, world.carrier_b.name, world.tenant_a.team_name, world.tenant_b.team_name}
    if endpoint.shows == "page":
        texts = {str(getattr(r, "name", "")) or r.tenant_name for r in response.context["page"].object_list}
    elif endpoint.shows == "xlsx":
        texts = {row[0] for row in xlsx_rows(response)[1:]}
    else:
        texts = {item.get("name") or item.get("tenant_name") for item in response.json()["items"]}
    return texts & names


def request(client, endpoint: Endpoint, world: World):
    url, data = endpoint.url(world), endpoint.data(world) if endpoint.data else None
    if endpoint.method == "get":
        return client.get(url)
    if endpoint.method == "post":
        return client.post(url, data)
    method = endpoint.method.removeprefix("api-")
    return client.send(method, url, data)


ALLOWED_STATUS = {"get": 200, "post": 302, "api-get": 200, "api-post": 201, "api-patch": 200, "api-delete": 204}


@pytest.mark.parametrize("role", [r.value for r in ROLES])
@pytest.mark.parametrize("name", NAMES)
def test_role_on_endpoint(name, role, world, make_user):
    endpoint, cell = ENDPOINTS[name], EXPECT[(name, role)]
    client = JsonClient()
    client.force_login(user_for(role, world, make_user))
    client.raise_request_exception = False
    before = db_state()
    response = request(client, endpoint, world)
    if cell == "Y":
        assert response.status_code == ALLOWED_STATUS[endpoint.method], describe(response)
        if endpoint.done is not None:
            assert endpoint.done(world), "allowed write left no effect"
        if endpoint.shows:
            mine = {world.carrier_a.name, world.tenant_a.team_name}
            assert shown(endpoint, response, world) and shown(endpoint, response, world) <= mine
        return
    if cell == "4":
        assert response.status_code == 404, describe(response)
    elif endpoint.shows and response.status_code == 200:
        assert not shown(endpoint, response, world), "a refused list must show nothing"
    else:
        assert response.status_code in (403, 404), describe(response)
    assert db_state() == before, "a refused request changed the database"


@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("api.")])
def test_anonymous_is_sent_to_sign_in(name, world):
    endpoint = ENDPOINTS[name]
    response = request(Client(), endpoint, world)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
