"""Who may use which page and API endpoint of the IP registry, written by hand from the role semantics.

Bureau roles belong to 鹿寨县 (450223): the bureau administrator does everything there, staff everything but
delete, the leader reads and exports. Enterprise and provider users belong to organisation A and read and export
the patents naming A as any owner, and A's other IP. Experts and the three administrators see no IP.

Organisation A lies in 鹿寨镇, B in 柳城县. Patent A has A as its only owner; patent B has B; patent BA has B first
and A second, so it is placed in 柳城县: outside every Luzhai bureau user's scope, inside A's users' scope.

The cells (Y . 4) mean what ``tests/permission_table.py`` says.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from kechuang.accounts.choices import Role
from kechuang.ip.models import OtherIP, Patent, PatentEvent, PatentOwner
from kechuang.ip.services import other_ip_create
from tests.permission_table import (
    ROLE_VALUES,
    check_anonymous,
    check_cell,
    parse,
    row_names,
    signed_in,
    snapshot,
    user_for,
)
from tests.permission_table import Endpoint as TableEndpoint
from tests.web.conftest import xlsx_rows

from .conftest import make_number

D = datetime.date
pytestmark = pytest.mark.django_db

EXPECTED = """
                              sys sec aud adm stf ldr ent exp prv
patent.list                    .   .   .   Y   Y   Y   Y   .   Y
patent.export                  .   .   .   Y   Y   Y   Y   .   Y
patent.detail                  .   .   .   Y   Y   Y   Y   .   Y
patent.create.get              .   .   .   Y   Y   .   .   .   .
patent.create.post             .   .   .   Y   Y   .   .   .   .
patent.edit.get                .   .   .   Y   Y   .   .   .   .
patent.edit.post               .   .   .   Y   Y   .   .   .   .
patent.delete.get              .   .   .   Y   .   .   .   .   .
patent.delete.post             .   .   .   Y   .   .   .   .   .
patent.event.get               .   .   .   Y   Y   .   .   .   .
patent.event.post              .   .   .   Y   Y   .   .   .   .
patent.eventdelete.get         .   .   .   Y   Y   .   .   .   .
patent.eventdelete.post        .   .   .   Y   Y   .   .   .   .
patent.import                  .   .   .   Y   Y   .   .   .   .
patent.template                .   .   .   Y   Y   .   .   .   .
patentB.detail                 .   .   .   4   4   4   4   .   4
patentB.edit.get               .   .   .   4   4   4   4   .   4
patentB.edit.post              .   .   .   4   4   4   4   .   4
patentB.delete.post            .   .   .   4   4   4   4   .   4
patentB.event.post             .   .   .   4   4   4   4   .   4
patentBA.detail                .   .   .   4   4   4   Y   .   Y
other.list                     .   .   .   Y   Y   Y   Y   .   Y
other.export                   .   .   .   Y   Y   Y   Y   .   Y
other.detail                   .   .   .   Y   Y   Y   Y   .   Y
other.create.get               .   .   .   Y   Y   .   .   .   .
other.create.post              .   .   .   Y   Y   .   .   .   .
other.edit.get                 .   .   .   Y   Y   .   .   .   .
other.edit.post                .   .   .   Y   Y   .   .   .   .
other.delete.get               .   .   .   Y   .   .   .   .   .
other.delete.post              .   .   .   Y   .   .   .   .   .
other.import                   .   .   .   Y   Y   .   .   .   .
otherB.detail                  .   .   .   4   4   4   4   .   4
otherB.edit.post               .   .   .   4   4   4   4   .   4
otherB.delete.post             .   .   .   4   4   4   4   .   4
api.patent.list                .   .   .   Y   Y   Y   Y   .   Y
api.patent.summary             .   .   .   Y   Y   Y   Y   .   Y
api.patent.detail              .   .   .   Y   Y   Y   Y   .   Y
api.patent.create              .   .   .   Y   Y   .   .   .   .
api.patent.update              .   .   .   Y   Y   .   .   .   .
api.patent.delete              .   .   .   Y   .   .   .   .   .
api.patent.event               .   .   .   Y   Y   .   .   .   .
api.patent.eventdelete         .   .   .   Y   Y   .   .   .   .
api.patentB.detail             .   .   .   4   4   4   4   .   4
api.patentB.update             .   .   .   4   4   4   4   .   4
api.patentB.delete             .   .   .   4   4   4   4   .   4
api.patentBA.detail            .   .   .   4   4   4   Y   .   Y
api.other.list                 .   .   .   Y   Y   Y   Y   .   Y
api.other.detail               .   .   .   Y   Y   Y   Y   .   Y
api.other.create               .   .   .   Y   Y   .   .   .   .
api.other.update               .   .   .   Y   Y   .   .   .   .
api.other.delete               .   .   .   Y   .   .   .   .   .
api.otherB.detail              .   .   .   4   4   4   4   .   4
api.otherB.delete              .   .   .   4   4   4   4   .   4
"""


EXPECT = parse(EXPECTED)
NAMES = row_names(EXPECT)


@dataclass
class World:
    a: object
    b: object
    patent_a: Patent
    patent_b: Patent
    patent_ba: Patent
    other_a: OtherIP
    other_b: OtherIP

    def event(self) -> PatentEvent:
        return self.patent_a.events.get(status="transferred")


@pytest.fixture
def world(make_org, make_patent) -> World:
    a = make_org(name="鹿寨甲科技有限公司", region="450223100")
    b = make_org(name="柳城丙机械有限公司", region="450222")
    patent_a = make_patent(a, filed=D(2019, 3, 1), granted=D(2020, 6, 1), events=[("transferred", D(2021, 1, 1))])
    patent_b = make_patent(b, filed=D(2019, 4, 1))
    patent_ba = make_patent(b, a, filed=D(2019, 5, 1))
    other = {"kind": "software", "title": "生产管理系统V1.0", "date": D(2020, 3, 16)}
    other_a = other_ip_create(actor=None, organisation=a, number="2020SR0100001", **other)
    other_b = other_ip_create(actor=None, organisation=b, number="2020SR0100002", **other)
    return World(a, b, patent_a, patent_b, patent_ba, other_a, other_b)


def db_state() -> dict:
    return snapshot(Patent, PatentOwner, PatentEvent, OtherIP)


# --- the endpoints -----------------------------------------------------------------------------------------

NEW_NUMBER = make_number(2020)


@dataclass(frozen=True)
class Endpoint(TableEndpoint):
    """``shows`` gives the numbers an allowed list shows; an organisation's users also see patent BA, which names A."""

    shows: Callable[[World], set] | None = None
    with_ba: bool = False


def patent_form(world: World, **changes) -> dict:
    p = world.patent_a
    data = {"number": p.number_display, "patent_type": p.patent_type, "title": p.title,
            "application_date": p.application_date.isoformat(), "publication_number": "", "acquisition": "own_rd",
            "owners": world.a.name, "owner_region": "", "inventors_text": "张三"}  # fmt: skip
    return {**data, **changes}


def other_form(world: World, **changes) -> dict:
    data = {"organisation": world.a.pk, "kind": "software", "number": "2021SR0100009", "title": "质量追溯系统V1.0",
            "date": "2021-01-05", "end_date": "", "acquisition": "own_rd", "standard_level": "",
            "standard_role": ""}  # fmt: skip
    return {**data, **changes}


def _patent(attr: str, name: str):
    return lambda w: reverse(f"ip:{name}", args=[getattr(w, attr).pk])


def _other(attr: str, name: str):
    return lambda w: reverse(f"ip:{name}", args=[getattr(w, attr).pk])


API = "/api/v1/ip"

ENDPOINTS: dict[str, Endpoint] = {
    "patent.list": Endpoint(lambda w: "/ip/", shows=lambda w: {w.patent_a.number_display}, with_ba=True),
    "patent.export": Endpoint(lambda w: "/ip/?export=xlsx", shows=lambda w: {w.patent_a.number_display}, with_ba=True),
    "patent.detail": Endpoint(_patent("patent_a", "patent_detail")),
    "patent.create.get": Endpoint(lambda w: "/ip/new/"),
    "patent.create.post": Endpoint(
        lambda w: "/ip/new/",
        "post",
        lambda w: patent_form(w, number=NEW_NUMBER, title="新专利", application_date="2020-05-06", patent_type=""),
        lambda w: Patent.objects.filter(number=NEW_NUMBER.replace(".", ""), region=w.a.region).exists(),
    ),
    "patent.edit.get": Endpoint(_patent("patent_a", "patent_edit")),
    "patent.edit.post": Endpoint(
        _patent("patent_a", "patent_edit"),
        "post",
        lambda w: patent_form(w, title="改过的名称"),
        lambda w: Patent.objects.get(pk=w.patent_a.pk).title == "改过的名称",
    ),
    "patent.delete.get": Endpoint(_patent("patent_a", "patent_delete")),
    "patent.delete.post": Endpoint(
        _patent("patent_a", "patent_delete"),
        "post",
        lambda w: {},
        lambda w: not Patent.objects.filter(pk=w.patent_a.pk).exists(),
    ),
    "patent.event.get": Endpoint(_patent("patent_a", "event_create")),
    "patent.event.post": Endpoint(
        _patent("patent_a", "event_create"),
        "post",
        lambda w: {"status": "lapsed", "date": "2022-01-01"},
        lambda w: Patent.objects.get(pk=w.patent_a.pk).ended_on == D(2022, 1, 1),
    ),
    "patent.eventdelete.get": Endpoint(lambda w: reverse("ip:event_delete", args=[w.event().pk])),
    "patent.eventdelete.post": Endpoint(
        lambda w: reverse("ip:event_delete", args=[w.event().pk]),
        "post",
        lambda w: {},
        lambda w: not w.patent_a.events.filter(status="transferred").exists(),
    ),
    "patent.import": Endpoint(lambda w: reverse("core:import", args=["patents"])),
    "patent.template": Endpoint(lambda w: reverse("core:import_template", args=["patents"])),
    "patentB.detail": Endpoint(_patent("patent_b", "patent_detail")),
    "patentB.edit.get": Endpoint(_patent("patent_b", "patent_edit")),
    "patentB.edit.post": Endpoint(_patent("patent_b", "patent_edit"), "post", lambda w: patent_form(w, title="改")),
    "patentB.delete.post": Endpoint(_patent("patent_b", "patent_delete"), "post", lambda w: {}),
    "patentB.event.post": Endpoint(
        _patent("patent_b", "event_create"), "post", lambda w: {"status": "rejected", "date": "2022-01-01"}
    ),
    "patentBA.detail": Endpoint(_patent("patent_ba", "patent_detail")),
    "other.list": Endpoint(lambda w: "/ip/other/", shows=lambda w: {w.other_a.number}),
    "other.export": Endpoint(lambda w: "/ip/other/?export=xlsx", shows=lambda w: {w.other_a.number}),
    "other.detail": Endpoint(_other("other_a", "otherip_detail")),
    "other.create.get": Endpoint(lambda w: "/ip/other/new/"),
    "other.create.post": Endpoint(
        lambda w: "/ip/other/new/",
        "post",
        other_form,
        lambda w: OtherIP.objects.filter(number="2021SR0100009", organisation=w.a).exists(),
    ),
    "other.edit.get": Endpoint(_other("other_a", "otherip_edit")),
    "other.edit.post": Endpoint(
        _other("other_a", "otherip_edit"),
        "post",
        lambda w: other_form(w, number=w.other_a.number, title="新名称"),
        lambda w: OtherIP.objects.get(pk=w.other_a.pk).title == "新名称",
    ),
    "other.delete.get": Endpoint(_other("other_a", "otherip_delete")),
    "other.delete.post": Endpoint(
        _other("other_a", "otherip_delete"),
        "post",
        lambda w: {},
        lambda w: not OtherIP.objects.filter(pk=w.other_a.pk).exists(),
    ),
    "other.import": Endpoint(lambda w: reverse("core:import", args=["other-ip"])),
    "otherB.detail": Endpoint(_other("other_b", "otherip_detail")),
    "otherB.edit.post": Endpoint(
        _other("other_b", "otherip_edit"), "post", lambda w: other_form(w, number=w.other_b.number, title="改")
    ),
    "otherB.delete.post": Endpoint(_other("other_b", "otherip_delete"), "post", lambda w: {}),
    # --- API ---
    "api.patent.list": Endpoint(
        lambda w: f"{API}/patents", "api-get", shows=lambda w: {w.patent_a.number}, with_ba=True
    ),
    "api.patent.summary": Endpoint(lambda w: f"{API}/patents/summary?since=2016&until=2020&region=450223", "api-get"),
    "api.patent.detail": Endpoint(lambda w: f"{API}/patents/{w.patent_a.pk}", "api-get"),
    "api.patent.create": Endpoint(
        lambda w: f"{API}/patents",
        "api-post",
        lambda w: {
            "number": NEW_NUMBER,
            "title": "新专利",
            "application_date": "2020-05-06",
            "owners": [{"uscc": w.a.uscc}, {"name": "广西科技大学"}],
            "inventors": ["张三"],
        },
        lambda w: Patent.objects.filter(number=NEW_NUMBER.replace(".", "")).exists(),
    ),
    "api.patent.update": Endpoint(
        lambda w: f"{API}/patents/{w.patent_a.pk}",
        "api-patch",
        lambda w: {"title": "接口改名"},
        lambda w: Patent.objects.get(pk=w.patent_a.pk).title == "接口改名",
    ),
    "api.patent.delete": Endpoint(
        lambda w: f"{API}/patents/{w.patent_a.pk}",
        "api-delete",
        None,
        lambda w: not Patent.objects.filter(pk=w.patent_a.pk).exists(),
    ),
    "api.patent.event": Endpoint(
        lambda w: f"{API}/patents/{w.patent_a.pk}/events",
        "api-post",
        lambda w: {"status": "lapsed", "date": "2022-01-01"},
        lambda w: w.patent_a.events.filter(status="lapsed").exists(),
    ),
    "api.patent.eventdelete": Endpoint(
        lambda w: f"{API}/patents/events/{w.event().pk}",
        "api-delete",
        None,
        lambda w: not w.patent_a.events.filter(status="transferred").exists(),
    ),
    "api.patentB.detail": Endpoint(lambda w: f"{API}/patents/{w.patent_b.pk}", "api-get"),
    "api.patentB.update": Endpoint(lambda w: f"{API}/patents/{w.patent_b.pk}", "api-patch", lambda w: {"title": "改"}),
    "api.patentB.delete": Endpoint(lambda w: f"{API}/patents/{w.patent_b.pk}", "api-delete"),
    "api.patentBA.detail": Endpoint(lambda w: f"{API}/patents/{w.patent_ba.pk}", "api-get"),
    "api.other.list": Endpoint(lambda w: f"{API}/other", "api-get", shows=lambda w: {w.other_a.number}),
    "api.other.detail": Endpoint(lambda w: f"{API}/other/{w.other_a.pk}", "api-get"),
    "api.other.create": Endpoint(
        lambda w: f"{API}/other",
        "api-post",
        lambda w: {"uscc": w.a.uscc, "kind": "software", "number": "2021SR0100009", "title": "x", "date": "2021-01-05"},
        lambda w: OtherIP.objects.filter(number="2021SR0100009").exists(),
    ),
    "api.other.update": Endpoint(
        lambda w: f"{API}/other/{w.other_a.pk}",
        "api-patch",
        lambda w: {"title": "接口改名"},
        lambda w: OtherIP.objects.get(pk=w.other_a.pk).title == "接口改名",
    ),
    "api.other.delete": Endpoint(
        lambda w: f"{API}/other/{w.other_a.pk}",
        "api-delete",
        None,
        lambda w: not OtherIP.objects.filter(pk=w.other_a.pk).exists(),
    ),
    "api.otherB.detail": Endpoint(lambda w: f"{API}/other/{w.other_b.pk}", "api-get"),
    "api.otherB.delete": Endpoint(lambda w: f"{API}/other/{w.other_b.pk}", "api-delete"),
}


def test_table_and_endpoints_agree():
    assert set(NAMES) == set(ENDPOINTS)


def shown(endpoint: Endpoint, response) -> set:
    """The identifying values a list, an export or an API list shows."""
    if endpoint.method == "api-get":
        return {item["number"] for item in response.json()["items"]}
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        rows = xlsx_rows(response)
        column = 0 if rows[0][0] == "申请号" else rows[0].index("登记号/证书号/标准号")
        return {row[column] for row in rows[1:]}
    return {getattr(r, "number_display", None) or r.number for r in response.context["page"].object_list}


def expected_shown(endpoint: Endpoint, world: World, role: str) -> set:
    expected = endpoint.shows(world)
    if endpoint.with_ba and role in (Role.ENTERPRISE, Role.PROVIDER):
        ba = world.patent_ba
        expected |= {ba.number if endpoint.method == "api-get" else ba.number_display}
    return expected


@pytest.mark.parametrize("role", ROLE_VALUES)
@pytest.mark.parametrize("name", NAMES)
def test_role_on_endpoint(name, role, world, make_user):
    endpoint = ENDPOINTS[name]
    check_cell(
        signed_in(user_for(role, make_user, world.a)),
        endpoint,
        EXPECT[(name, role)],
        world,
        db_state=db_state,
        shown=lambda endpoint, response, world: shown(endpoint, response),
        expected=expected_shown(endpoint, world, role) if endpoint.shows else None,
    )


@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("api.")])
def test_anonymous_is_sent_to_sign_in(name, world):
    check_anonymous(ENDPOINTS[name], world, db_state=db_state)


@pytest.mark.parametrize("name", [n for n in NAMES if n.startswith("api.")])
def test_anonymous_api_is_401(name, world):
    check_anonymous(ENDPOINTS[name], world, db_state=db_state)


# --- scenarios the table summarises ------------------------------------------------------------------------


def test_enterprise_sees_a_co_owned_patent_once_and_on_its_master_file(world, make_user, login):
    client = login(make_user(Role.ENTERPRISE, organisation=world.a))
    listed = [p.pk for p in client.get("/ip/").context["page"].object_list]
    assert sorted(listed) == sorted([world.patent_a.pk, world.patent_ba.pk])
    page = client.get(reverse("orgs:detail", args=[world.a.pk]))
    tabs = {item["section"].tab: item["count"] for item in page.context["sections"]}
    assert tabs["patents"] == 2 and tabs["other-ip"] == 1
    assert "新增" not in page.content.decode().split('id="patents"')[1].split("</div>")[0]
    detail = client.get(reverse("ip:patent_detail", args=[world.patent_ba.pk])).content.decode()
    assert world.b.name in detail and f'href="{reverse("orgs:detail", args=[world.b.pk])}"' not in detail
    assert f'href="{reverse("orgs:detail", args=[world.a.pk])}"' in detail


def test_bureau_cannot_move_a_patent_out_of_the_county(world, bureau, login):
    client = login(bureau)
    client.raise_request_exception = False
    response = client.post(reverse("ip:patent_edit", args=[world.patent_a.pk]), patent_form(world, owners=world.b.name))
    assert response.status_code in (200, 403)
    assert Patent.objects.get(pk=world.patent_a.pk).region == world.a.region


def test_bureau_master_file_tab_offers_to_add(world, bureau, login):
    page = login(bureau).get(reverse("orgs:detail", args=[world.a.pk]))
    content = page.content.decode()
    assert f"/ip/new/?owner={world.a.pk}" in content and f"/ip/other/new/?organisation={world.a.pk}" in content
    form = login(bureau).get(f"/ip/new/?owner={world.a.pk}")
    assert form.context["form"].initial["owners"] == world.a.uscc
