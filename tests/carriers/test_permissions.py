"""Who may use which page and API endpoint of the carriers registry, written by hand from the role semantics.

Bureau roles belong to 鹿寨县 (450223): the bureau administrator does everything there, staff everything but
delete, the leader reads and exports. Enterprise and provider users belong to organisation A and read and export
only the carriers A hosts and their tenants. Experts and the three administrators see no carrier. Incubator A
(hosted by A, in 鹿寨镇) is in scope; incubator B (hosted by B, in 柳城县) is not.

The cells (Y . 4) mean what ``tests/permission_table.py`` says.
"""

import datetime
from dataclasses import dataclass

import pytest

from kechuang.carriers.models import Carrier, Tenant
from tests.permission_table import (
    ROLE_VALUES,
    Endpoint,
    check_anonymous,
    check_cell,
    parse,
    row_names,
    signed_in,
    snapshot,
    user_for,
)
from tests.web.conftest import xlsx_rows

D = datetime.date
pytestmark = pytest.mark.django_db

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


EXPECT = parse(EXPECTED)
NAMES = row_names(EXPECT)


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


def db_state() -> dict:
    return snapshot(Carrier, Tenant)


def shown(endpoint: Endpoint, response, world: World) -> set[str]:
    """Which of the A and B records (carriers and tenants, by name) a list, export or API list shows."""
    if endpoint.shows == "page":
        texts = {str(getattr(r, "name", "")) or r.tenant_name for r in response.context["page"].object_list}
    elif endpoint.shows == "xlsx":
        texts = {row[0] for row in xlsx_rows(response)[1:]}
    else:
        texts = {item.get("name") or item.get("tenant_name") for item in response.json()["items"]}
    a = {world.carrier_a.name, world.tenant_a.team_name}
    b = {world.carrier_b.name, world.tenant_b.team_name}
    return {side for side, names in (("a", a), ("b", b)) if texts & names}


@pytest.mark.parametrize("role", ROLE_VALUES)
@pytest.mark.parametrize("name", NAMES)
def test_role_on_endpoint(name, role, world, make_user):
    client = signed_in(user_for(role, make_user, world.a))
    check_cell(client, ENDPOINTS[name], EXPECT[(name, role)], world, db_state=db_state, shown=shown)


@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("api.")])
def test_anonymous_is_sent_to_sign_in(name, world):
    check_anonymous(ENDPOINTS[name], world, db_state=db_state)
