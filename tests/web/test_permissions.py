"""Who may open which web page of the organisation master file, the logs and the administration.

The table below is written by hand from the role semantics of ``kechuang/accounts/roles.py`` (三员分立:
the system administrator runs accounts and reference data, the security administrator users, locks and
the login log, the audit administrator reads the logs and nothing else; business data belongs to the
bureau roles, the leader only reads and exports; enterprises and service providers see only their own
organisation; experts see no organisation data). It is deliberately not computed from ``MATRIX``.

Every user of a bureau role belongs to 鹿寨县 (450223). Organisation A lies in 鹿寨镇 (450223100), inside
that scope; organisation B lies in 柳城县 (450222), outside it. Enterprise and provider users belong to A.
The cells (Y A . 4) mean what ``tests/permission_table.py`` says; only a refused HTML list may answer 200.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.accounts.choices import Role
from kechuang.accounts.models import User
from kechuang.core.models import Attachment, AuditLog
from kechuang.notices.models import Notice
from kechuang.orgs import services as org_services
from kechuang.orgs.models import AnnualFigures, Certificate, Organisation, Pool, PoolMembership, ServiceRecord
from kechuang.regions.models import Population, Region
from tests.conftest import make_uscc
from tests.permission_table import (
    ROLE_VALUES,
    Endpoint,
    check_anonymous,
    check_cell,
    parse,
    row_names,
    sides,
    signed_in,
    snapshot,
    user_for,
)

from .conftest import LAST_YEAR, describe, xlsx_rows

EXPECTED = """
                              sys sec aud adm stf ldr ent exp prv
org.list                       A   .   .   Y   Y   Y   Y   .   Y
org.export                     .   .   .   Y   Y   Y   Y   .   Y
org.detail                     Y   .   .   Y   Y   Y   Y   .   Y
org.create.get                 .   .   .   Y   Y   .   .   .   .
org.create.post                .   .   .   Y   Y   .   .   .   .
org.edit.get                   .   .   .   Y   Y   .   Y   .   Y
org.edit.post                  .   .   .   Y   Y   .   Y   .   Y
org.delete.get                 .   .   .   Y   .   .   .   .   .
org.delete.post                .   .   .   Y   .   .   .   .   .
orgB.detail                    Y   .   .   4   4   4   4   .   4
orgB.edit.get                  .   .   .   4   4   4   4   .   4
orgB.edit.post                 .   .   .   4   4   4   4   .   4
orgB.delete.get                .   .   .   4   4   4   4   .   4
orgB.delete.post               .   .   .   4   4   4   4   .   4

figures.list                   .   .   .   Y   Y   Y   Y   .   Y
figures.export                 .   .   .   Y   Y   Y   Y   .   Y
figures.create.get             .   .   .   Y   Y   .   Y   .   Y
figures.create.post            .   .   .   Y   Y   .   Y   .   Y
figures.edit.get               .   .   .   Y   Y   .   Y   .   Y
figures.edit.post              .   .   .   Y   Y   .   Y   .   Y
figures.delete.get             .   .   .   Y   .   .   .   .   .
figures.delete.post            .   .   .   Y   .   .   .   .   .
figuresB.create.get            .   .   .   .   .   .   .   .   .
figuresB.create.post           .   .   .   .   .   .   .   .   .
figuresB.edit.get              .   .   .   4   4   4   4   .   4
figuresB.edit.post             .   .   .   4   4   4   4   .   4
figuresB.delete.get            .   .   .   4   4   4   4   .   4
figuresB.delete.post           .   .   .   4   4   4   4   .   4

certificates.list              .   .   .   Y   Y   Y   Y   .   Y
certificates.export            .   .   .   Y   Y   Y   Y   .   Y
certificates.create.get        .   .   .   Y   Y   .   .   .   .
certificates.create.post       .   .   .   Y   Y   .   .   .   .
certificates.edit.get          .   .   .   Y   Y   .   .   .   .
certificates.edit.post         .   .   .   Y   Y   .   .   .   .
certificates.delete.get        .   .   .   Y   .   .   .   .   .
certificates.delete.post       .   .   .   Y   .   .   .   .   .
certificatesB.create.get       .   .   .   .   .   .   .   .   .
certificatesB.create.post      .   .   .   .   .   .   .   .   .
certificatesB.edit.get         .   .   .   4   4   4   4   .   4
certificatesB.edit.post        .   .   .   4   4   4   4   .   4
certificatesB.delete.get       .   .   .   4   4   4   4   .   4
certificatesB.delete.post      .   .   .   4   4   4   4   .   4

memberships.list               .   .   .   Y   Y   Y   Y   .   Y
memberships.export             .   .   .   Y   Y   Y   Y   .   Y
memberships.create.get         .   .   .   Y   Y   .   .   .   .
memberships.create.post        .   .   .   Y   Y   .   .   .   .
memberships.edit.get           .   .   .   Y   Y   .   .   .   .
memberships.edit.post          .   .   .   Y   Y   .   .   .   .
memberships.delete.get         .   .   .   Y   .   .   .   .   .
memberships.delete.post        .   .   .   Y   .   .   .   .   .
membershipsB.create.get        .   .   .   .   .   .   .   .   .
membershipsB.create.post       .   .   .   .   .   .   .   .   .
membershipsB.edit.get          .   .   .   4   4   4   4   .   4
membershipsB.edit.post         .   .   .   4   4   4   4   .   4
membershipsB.delete.get        .   .   .   4   4   4   4   .   4
membershipsB.delete.post       .   .   .   4   4   4   4   .   4

services.list                  .   .   .   Y   Y   Y   Y   .   Y
services.export                .   .   .   Y   Y   Y   Y   .   Y
services.create.get            .   .   .   Y   Y   .   .   .   .
services.create.post           .   .   .   Y   Y   .   .   .   .
services.edit.get              .   .   .   Y   Y   .   .   .   .
services.edit.post             .   .   .   Y   Y   .   .   .   .
services.delete.get            .   .   .   Y   .   .   .   .   .
services.delete.post           .   .   .   Y   .   .   .   .   .
servicesB.create.get           .   .   .   .   .   .   .   .   .
servicesB.create.post          .   .   .   .   .   .   .   .   .
servicesB.edit.get             .   .   .   4   4   4   4   .   4
servicesB.edit.post            .   .   .   4   4   4   4   .   4
servicesB.delete.get           .   .   .   4   4   4   4   .   4
servicesB.delete.post          .   .   .   4   4   4   4   .   4

audit.list                     .   .   Y   .   .   .   .   .   .
audit.detail                   .   .   Y   .   .   .   .   .   .
audit.export                   .   .   Y   .   .   .   .   .   .
loginlog.list                  .   Y   Y   .   .   .   .   .   .
loginlog.export                .   Y   Y   .   .   .   .   .   .
oplog.list                     .   .   Y   .   .   .   .   .   .
oplog.export                   .   .   Y   .   .   .   .   .   .

users.list                     Y   Y   .   Y   Y   .   .   .   .
users.create.get               Y   .   .   .   .   .   .   .   .
users.create.post              Y   .   .   .   .   .   .   .   .
registrations                  .   .   .   Y   Y   .   .   .   .
regions.list                   Y   .   .   Y   Y   Y   Y   Y   Y
regions.import.get             Y   .   .   Y   .   .   .   .   .
regions.import.post            Y   .   .   Y   .   .   .   .   .
notices.list                   .   .   .   Y   Y   Y   Y   Y   Y
notices.create.get             .   .   .   Y   Y   .   .   .   .
notices.create.post            .   .   .   Y   Y   .   .   .   .
"""


EXPECT = parse(EXPECTED)
ENDPOINT_NAMES = row_names(EXPECT)


# --- the data every test starts from -----------------------------------------------------------------------


@dataclass
class World:
    """Organisations A (in scope) and B (out of scope), each with one record of every kind, and a log row."""

    a: Organisation
    b: Organisation
    records: dict[tuple[str, str], object]  # ("figures", "a") → the AnnualFigures of A …
    pool: Pool
    audit: AuditLog
    regions: dict[str, Region]

    def record(self, kind: str, side: str = "a"):
        return self.records[(kind, side)]


@pytest.fixture
def world(make_org, regions, pool) -> World:
    a = make_org(name="鹿寨甲科技有限公司", region="450223100", contact="张三", phone="0772-6812345")
    b = make_org(name="柳城丙机械有限公司", region="450222", contact="李四")
    records = {}
    for side, org in (("a", a), ("b", b)):
        # Through the service, so the audit trail has a row to show.
        records[("figures", side)] = org_services.figures_save(
            actor=None, organisation=org, year=LAST_YEAR - 1, data={"staff_total": 40, "st_staff": 8}
        )
        records[("certificates", side)] = Certificate.objects.create(
            organisation=org, kind="other", name="专精特新", level="region", year=LAST_YEAR - 1
        )
        records[("memberships", side)] = PoolMembership.objects.create(
            organisation=org, pool=pool, entry_year=LAST_YEAR - 2, entry_reason="研发投入较高"
        )
        records[("services", side)] = ServiceRecord.objects.create(
            organisation=org, date=datetime.date(LAST_YEAR, 5, 20), service_type="visit", content="上门走访"
        )
    return World(a=a, b=b, records=records, pool=pool, audit=AuditLog.objects.latest("pk"), regions=regions)


def db_state() -> dict[str, list]:
    """Everything a refused request must leave as it was (the operation log records every POST, so it is left out)."""
    state = snapshot(
        Organisation, AnnualFigures, Certificate, PoolMembership, ServiceRecord, Attachment, Notice, Population
    )
    state["users"] = list(User.objects.order_by("pk").values("pk", "username", "role", "region", "organisation"))
    state["regions"] = Region.objects.count()
    return state


# --- the endpoints -----------------------------------------------------------------------------------------


def org_form(org: Organisation, **changes) -> dict:
    """The organisation form as the edit page would post it back, with some fields changed."""
    data = {
        "kind": org.kind,
        "uscc": org.uscc,
        "name": org.name,
        "region": org.region_id,
        "park": org.park,
        "address": org.address,
        "registration_date": org.registration_date or "",
        "industry": org.industry_id or "",
        "hitech_domain": org.hitech_domain or "",
        "status": org.status,
        "contact": org.contact,
        "phone": org.phone,
        "former_names_text": "\n".join(org.former_names),
    }
    if org.above_scale:
        data["above_scale"] = "on"
    return {**data, **changes}


NEW_USCC = make_uscc("450223")
FIGURES = {"staff_total": 60, "st_staff": 12, "sales_revenue": "1234.5678", "source": "report"}
NEW_NOTICE = "关于申报科技计划项目的通知"


@dataclass(frozen=True)
class Child:
    """One kind of record on an organisation: its URL names, list path and valid form data."""

    url_name: str
    list_path: str
    model: type
    create: Callable[[World], dict]
    created: Callable[[World], bool]
    edit: Callable[[World], dict]
    edited: Callable[[World], bool]


CHILDREN = {
    "figures": Child(
        "annualfigures",
        "/orgs/figures/",
        AnnualFigures,
        create=lambda w: {"year": LAST_YEAR, **FIGURES},
        created=lambda w: AnnualFigures.objects.filter(
            organisation=w.a, year=LAST_YEAR, sales_revenue="12345678.00"
        ).exists(),
        edit=lambda w: {"year": LAST_YEAR - 1, **FIGURES, "staff_total": 88},
        edited=lambda w: AnnualFigures.objects.get(pk=w.record("figures").pk).staff_total == 88,
    ),
    "certificates": Child(
        "certificate",
        "/orgs/certificates/",
        Certificate,
        create=lambda w: {"kind": "other", "name": "瞪羚企业", "level": "county", "number": "", "year": LAST_YEAR},
        created=lambda w: Certificate.objects.filter(organisation=w.a, name="瞪羚企业").exists(),
        edit=lambda w: {"kind": "other", "name": "专精特新（复核）", "level": "region", "year": LAST_YEAR - 1},
        edited=lambda w: Certificate.objects.get(pk=w.record("certificates").pk).name == "专精特新（复核）",
    ),
    "memberships": Child(
        "poolmembership",
        "/orgs/memberships/",
        PoolMembership,
        create=lambda w: {"pool": w.pool.pk, "entry_year": LAST_YEAR, "entry_reason": "新认定入库"},
        created=lambda w: PoolMembership.objects.filter(organisation=w.a, entry_reason="新认定入库").exists(),
        edit=lambda w: {"pool": w.pool.pk, "entry_year": LAST_YEAR - 2, "entry_reason": "研发投入高"},
        edited=lambda w: PoolMembership.objects.get(pk=w.record("memberships").pk).entry_reason == "研发投入高",
    ),
    "services": Child(
        "servicerecord",
        "/orgs/services/",
        ServiceRecord,
        create=lambda w: {"date": f"{LAST_YEAR}-06-01", "service_type": "policy", "content": "政策宣讲"},
        created=lambda w: ServiceRecord.objects.filter(organisation=w.a, content="政策宣讲").exists(),
        edit=lambda w: {"date": f"{LAST_YEAR}-05-20", "service_type": "visit", "content": "上门走访，已跟进"},
        edited=lambda w: ServiceRecord.objects.get(pk=w.record("services").pk).content == "上门走访，已跟进",
    ),
}


def _child_endpoints(kind: str, spec: Child) -> dict[str, Endpoint]:
    def create_url(side):
        return lambda w: reverse(f"orgs:{spec.url_name}_create", args=[getattr(w, side).pk])

    def record_url(action, side):
        return lambda w: reverse(f"orgs:{spec.url_name}_{action}", args=[w.record(kind, side).pk])

    def gone(w):
        return not spec.model.objects.filter(pk=w.record(kind).pk).exists()

    endpoints = {
        f"{kind}.list": Endpoint(lambda w: spec.list_path, shows="page"),
        f"{kind}.export": Endpoint(lambda w: f"{spec.list_path}?export=xlsx", shows="xlsx"),
        f"{kind}.delete.get": Endpoint(record_url("delete", "a")),
        f"{kind}.delete.post": Endpoint(record_url("delete", "a"), data=lambda w: {}, done=gone),
    }
    endpoints |= {
        f"{kind}.create.get": Endpoint(create_url("a")),
        f"{kind}.create.post": Endpoint(create_url("a"), data=spec.create, done=spec.created),
        f"{kind}.edit.get": Endpoint(record_url("edit", "a")),
        f"{kind}.edit.post": Endpoint(record_url("edit", "a"), data=spec.edit, done=spec.edited),
        # The same forms aimed at B: refused for everyone, so only "nothing changed" is checked.
        f"{kind}B.create.get": Endpoint(create_url("b")),
        f"{kind}B.create.post": Endpoint(create_url("b"), data=spec.create),
        f"{kind}B.edit.get": Endpoint(record_url("edit", "b")),
        f"{kind}B.edit.post": Endpoint(record_url("edit", "b"), data=spec.edit),
        f"{kind}B.delete.get": Endpoint(record_url("delete", "b")),
        f"{kind}B.delete.post": Endpoint(record_url("delete", "b"), data=lambda w: {}),
    }
    return endpoints


def _org_url(name: str, side: str = "a"):
    return lambda w: reverse(f"orgs:{name}", args=[getattr(w, side).pk])


POPULATION_CSV = b"code,year,resident,source\n450223100,2024,52345,test\n"

ENDPOINTS: dict[str, Endpoint] = {
    "org.list": Endpoint(lambda w: "/orgs/", shows="page"),
    "org.export": Endpoint(lambda w: "/orgs/?export=xlsx", shows="xlsx"),
    "org.detail": Endpoint(_org_url("detail")),
    "org.create.get": Endpoint(lambda w: "/orgs/new/"),
    "org.create.post": Endpoint(
        lambda w: "/orgs/new/",
        data=lambda w: org_form(
            Organisation(kind="enterprise", status="active", region=w.regions["450223100"]),
            uscc=NEW_USCC,
            name="鹿寨新登记科技有限公司",
        ),
        done=lambda w: Organisation.objects.filter(uscc=NEW_USCC).exists(),
    ),
    "org.edit.get": Endpoint(_org_url("edit")),
    "org.edit.post": Endpoint(
        _org_url("edit"),
        data=lambda w: org_form(w.a, contact="王经理", phone="13800001234"),
        done=lambda w: Organisation.objects.filter(pk=w.a.pk, contact="王经理", phone="13800001234").exists(),
    ),
    "org.delete.get": Endpoint(_org_url("delete")),
    "org.delete.post": Endpoint(
        _org_url("delete"), data=lambda w: {}, done=lambda w: not Organisation.objects.filter(pk=w.a.pk).exists()
    ),
    "orgB.detail": Endpoint(_org_url("detail", "b")),
    "orgB.edit.get": Endpoint(_org_url("edit", "b")),
    "orgB.edit.post": Endpoint(_org_url("edit", "b"), data=lambda w: org_form(w.b, contact="王经理")),
    "orgB.delete.get": Endpoint(_org_url("delete", "b")),
    "orgB.delete.post": Endpoint(_org_url("delete", "b"), data=lambda w: {}),
    **{name: e for kind, spec in CHILDREN.items() for name, e in _child_endpoints(kind, spec).items()},
    "audit.list": Endpoint(lambda w: "/audit/"),
    "audit.detail": Endpoint(lambda w: f"/audit/{w.audit.pk}/"),
    "audit.export": Endpoint(lambda w: "/audit/?export=xlsx"),
    "loginlog.list": Endpoint(lambda w: "/accounts/login-log/"),
    "loginlog.export": Endpoint(lambda w: "/accounts/login-log/?export=xlsx"),
    "oplog.list": Endpoint(lambda w: "/accounts/operation-log/"),
    "oplog.export": Endpoint(lambda w: "/accounts/operation-log/?export=xlsx"),
    "users.list": Endpoint(lambda w: "/accounts/users/"),
    "users.create.get": Endpoint(lambda w: "/accounts/users/new/"),
    "users.create.post": Endpoint(
        lambda w: "/accounts/users/new/",
        data=lambda w: {
            "username": "luzhai-staff-new",
            "full_name": "新经办人",
            "role": Role.BUREAU_STAFF,
            "region": w.regions["450223"].pk,
            "is_active": "on",
        },
        done=lambda w: User.objects.filter(username="luzhai-staff-new", role=Role.BUREAU_STAFF).exists(),
    ),
    "registrations": Endpoint(lambda w: "/accounts/registrations/"),
    "regions.list": Endpoint(lambda w: "/regions/"),
    "regions.import.get": Endpoint(lambda w: "/regions/import/"),
    "regions.import.post": Endpoint(
        lambda w: "/regions/import/",
        data=lambda w: {"kind": "population", "file": SimpleUploadedFile("population.csv", POPULATION_CSV)},
        done=lambda w: Population.objects.filter(region__code="450223100", year=2024, resident=52345).exists(),
    ),
    "notices.list": Endpoint(lambda w: "/notices/"),
    "notices.create.get": Endpoint(lambda w: "/notices/new/"),
    "notices.create.post": Endpoint(
        lambda w: "/notices/new/",
        data=lambda w: {"title": NEW_NOTICE, "body": "各单位：请按时申报。", "region": w.regions["450223"].pk},
        done=lambda w: Notice.objects.filter(title=NEW_NOTICE).exists(),
    ),
}


def test_table_and_endpoints_agree():
    assert set(ENDPOINT_NAMES) == set(ENDPOINTS)


# --- the checks --------------------------------------------------------------------------------------------


def shown(endpoint: Endpoint, response, world: World) -> set[str]:
    """Which of A and B the list page ("page") or export ("xlsx") shows."""
    if endpoint.shows == "page":
        records = response.context["page"].object_list
        ids = {r.pk if isinstance(r, Organisation) else r.organisation_id for r in records}
        return sides(ids, a=world.a.pk, b=world.b.pk)
    rows = xlsx_rows(response)
    assert rows[0][0] == "单位名称", rows[0]
    return sides({row[0] for row in rows[1:]}, a=world.a.name, b=world.b.name)


@pytest.mark.parametrize("role", ROLE_VALUES)
@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_role_on_endpoint(name, role, world, make_user):
    client = signed_in(user_for(role, make_user, world.a))
    check_cell(
        client,
        ENDPOINTS[name],
        EXPECT[(name, role)],
        world,
        db_state=db_state,
        shown=shown,
        may_show_nothing=lambda endpoint: endpoint.shows == "page",
    )


@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_anonymous_is_sent_to_sign_in(name, world):
    check_anonymous(ENDPOINTS[name], world, db_state=db_state)


# --- the scenarios the table summarises, spelt out --------------------------------------------------------


def test_bureau_user_sees_own_county_only(world, bureau, login):
    client = login(bureau)
    listed = {o.pk for o in client.get("/orgs/?q=").context["page"].object_list}
    assert world.a.pk in listed and world.b.pk not in listed
    names = [row[0] for row in xlsx_rows(client.get("/orgs/?export=xlsx"))[1:]]
    assert world.a.name in names and world.b.name not in names
    for url in (f"/orgs/{world.b.pk}/", f"/orgs/{world.b.pk}/edit/", f"/orgs/{world.b.pk}/delete/"):
        assert client.get(url).status_code == 404, url


def test_bureau_user_cannot_move_an_organisation_out_of_the_county(world, bureau, login):
    response = login(bureau).post(f"/orgs/{world.a.pk}/edit/", org_form(world.a, region=world.regions["450222"].pk))
    assert response.status_code in (200, 403)
    assert Organisation.objects.get(pk=world.a.pk).region.code == "450223100"


def test_enterprise_edits_contact_fields_but_not_identity(world, make_user, login):
    client = login(make_user(Role.ENTERPRISE, organisation=world.a))
    data = org_form(world.a, contact="王经理", name="改名企图有限公司", uscc=NEW_USCC, status="deregistered")
    response = client.post(f"/orgs/{world.a.pk}/edit/", data)
    assert response.status_code == 302, describe(response)
    org = Organisation.objects.get(pk=world.a.pk)
    assert (org.contact, org.name, org.uscc, org.status) == ("王经理", "鹿寨甲科技有限公司", world.a.uscc, "active")


def test_enterprise_reads_only_its_own_organisation(world, make_user, login):
    client = login(make_user(Role.ENTERPRISE, organisation=world.a))
    assert [o.pk for o in client.get("/orgs/").context["page"].object_list] == [world.a.pk]
    assert client.get(f"/orgs/{world.b.pk}/").status_code == 404
    figures_b = world.record("figures", "b")
    response = client.post(f"/orgs/figures/{figures_b.pk}/edit/", {"year": LAST_YEAR - 1, **FIGURES})
    assert response.status_code in (403, 404)
    assert AnnualFigures.objects.get(pk=figures_b.pk).staff_total == 40
    response = client.post(f"/orgs/{world.b.pk}/figures/new/", {"year": LAST_YEAR, **FIGURES})
    assert response.status_code in (403, 404)
    assert not AnnualFigures.objects.filter(organisation=world.b, year=LAST_YEAR).exists()


def test_enterprise_cannot_delete_its_own_organisation(world, make_user, login):
    client = login(make_user(Role.ENTERPRISE, organisation=world.a))
    client.raise_request_exception = False
    response = client.post(f"/orgs/{world.a.pk}/delete/")
    assert response.status_code == 403, describe(response)
    assert Organisation.objects.filter(pk=world.a.pk).exists()


def test_leader_reads_and_exports_but_writes_nothing(world, make_user, login):
    client = login(make_user(Role.LEADER))
    client.raise_request_exception = False
    assert client.get(f"/orgs/{world.a.pk}/").status_code == 200
    assert len(xlsx_rows(client.get("/orgs/figures/?export=xlsx"))) == 2
    before = db_state()
    for url, data in (
        (f"/orgs/{world.a.pk}/edit/", org_form(world.a, contact="王经理")),
        (f"/orgs/{world.a.pk}/figures/new/", {"year": LAST_YEAR, **FIGURES}),
        (f"/orgs/{world.a.pk}/delete/", {}),
    ):
        response = client.post(url, data)
        assert response.status_code == 403, f"{url}: {describe(response)}"
    assert db_state() == before


def test_refusal_page_is_the_chinese_403(world, make_user, login):
    """A refusal raised deep in a service reaches the user as the 403 page, not a server error."""
    client = login(make_user(Role.LEADER))
    client.raise_request_exception = False
    response = client.get(f"/orgs/{world.a.pk}/edit/")
    assert response.status_code == 403, describe(response)
    assert "无权" in response.content.decode()


def test_population_import_outside_the_county_writes_nothing(world, bureau, login):
    """One row of 柳城县 in a 鹿寨县 bureau's upload: refused as a whole, with a message, not a server error."""
    client = login(bureau)
    client.raise_request_exception = False
    raw = b"code,year,resident,source\n450223100,2024,52345,test\n450222,2024,300000,test\n"
    response = client.post("/regions/import/", {"kind": "population", "file": SimpleUploadedFile("p.csv", raw)})
    assert response.status_code == 200, describe(response)
    assert "第3行 code：区划“柳城县”不在您的管辖范围内" in response.content.decode()
    assert not Population.objects.exists()


def test_pending_registration_is_listed_for_the_county_bureau(world, make_user, login):
    pending = make_user(Role.ENTERPRISE, organisation=world.a, registration_status="pending", username="pending-a")
    other = make_user(Role.ENTERPRISE, organisation=world.b, region="450222", registration_status="pending")
    response = login(make_user(Role.BUREAU_STAFF)).get("/accounts/registrations/")
    listed = {u.pk for u in response.context["pending"]}
    assert pending.pk in listed and other.pk not in listed


def test_audit_admin_reads_the_trail_of_every_region(world, make_user, login):
    client = login(make_user(Role.AUDITADMIN, region=None))
    response = client.get(f"/audit/{world.audit.pk}/")
    assert response.status_code == 200
    rows = xlsx_rows(client.get("/audit/?export=xlsx"))
    assert {row[4] for row in rows[1:]} >= {str(world.record("figures", "a")), str(world.record("figures", "b"))}
