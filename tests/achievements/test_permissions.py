"""Who may open which page and call which endpoint of the achievements registry.

Written by hand from the role semantics of ``kechuang/accounts/roles.py`` (not computed from ``MATRIX``): the
bureau administrator runs the registry in 鹿寨县 (everything), the bureau staff enter and import but do not delete,
the leader reads and exports; enterprises and service providers read and export the records their own
organisation takes part in; experts and the three administrators see nothing of it.

Every bureau user belongs to 鹿寨县. A (鹿寨镇) places the records "a", B (柳城县) the records "b"; enterprise and
provider users belong to A.

The cells (Y . 4) mean what ``tests/permission_table.py`` says.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction

from kechuang.accounts.choices import Role
from kechuang.achievements.models import Achievement, AchievementUnit, Award, AwardParticipant, Conversion, TechContract
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
from tests.web.conftest import describe, xlsx_rows

from .conftest import World, build_world

# The same rows for each of the four kinds (achievement, conversion, contract, award).
PER_KIND = """
                              sys sec aud adm stf ldr ent exp prv
list                           .   .   .   Y   Y   Y   Y   .   Y
export                         .   .   .   Y   Y   Y   Y   .   Y
detail                         .   .   .   Y   Y   Y   Y   .   Y
create.get                     .   .   .   Y   Y   .   .   .   .
create.post                    .   .   .   Y   Y   .   .   .   .
edit.get                       .   .   .   Y   Y   .   .   .   .
edit.post                      .   .   .   Y   Y   .   .   .   .
delete.get                     .   .   .   Y   .   .   .   .   .
delete.post                    .   .   .   Y   .   .   .   .   .
B.detail                       .   .   .   4   4   4   4   .   4
B.edit.get                     .   .   .   4   4   4   4   .   4
B.edit.post                    .   .   .   4   4   4   4   .   4
B.delete.get                   .   .   .   4   4   4   4   .   4
B.delete.post                  .   .   .   4   4   4   4   .   4
api.list                       .   .   .   Y   Y   Y   Y   .   Y
api.detail                     .   .   .   Y   Y   Y   Y   .   Y
api.create                     .   .   .   Y   Y   .   .   .   .
api.update                     .   .   .   Y   Y   .   .   .   .
api.delete                     .   .   .   Y   .   .   .   .   .
apiB.detail                    .   .   .   4   4   4   4   .   4
apiB.update                    .   .   .   4   4   4   4   .   4
apiB.delete                    .   .   .   4   4   4   4   .   4
"""
# The import wizard of the three kinds with one (awards have none).
IMPORTS = """
                              sys sec aud adm stf ldr ent exp prv
import                         .   .   .   Y   Y   .   .   .   .
"""
KINDS = ("achievement", "conversion", "contract", "award")
IMPORT_KINDS = {"achievement": "achievements", "conversion": "conversions", "contract": "contracts"}


EXPECT = {(f"{kind}.{name}", role): cell for kind in KINDS for (name, role), cell in parse(PER_KIND).items()}
EXPECT |= {(f"{kind}.{name}", role): cell for kind in IMPORT_KINDS for (name, role), cell in parse(IMPORTS).items()}
ENDPOINT_NAMES = row_names(EXPECT)


# --- the endpoints -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One kind of record: its URLs, the form and API data that create or change one, and how to see the effect."""

    web: str  # list path
    api: str  # API collection path
    model: type
    form: Callable[[World, object], dict]  # (world, record or None) → the form's POST data
    created: Callable[[World], bool]
    edited: Callable[[World], bool]
    api_in: Callable[[World], dict]
    api_patch: dict
    label: Callable[[object], str]  # what identifies a record in an export row


def _achievement_form(w, record) -> dict:
    return {
        "number": record.number if record else "2021450223A009",
        "title": "桑树病虫害绿色防控技术（修订）" if record else "桑树病虫害绿色防控技术",
        "kind": "applied", "hitech_domain": "", "discipline": "植物保护", "organisation": w.a.pk,
        "registration_date": "2021-05-06", "evaluation_method": "none", "evaluation_conclusion": "",
        "evaluation_date": "", "summary": "", "units": "广西大学", "people_text": "韦建华、覃丽萍",
    }  # fmt: skip


def _conversion_form(w, record) -> dict:
    return {
        "achievement": w.record("achievement").pk, "subject": "", "year": 2020 if record else 2021,
        "form": "self" if record else "licensing", "organisation": "", "amount": "88" if record else "12.5",
        "major": "", "major_reason": "",
    }  # fmt: skip


def _contract_form(w, record) -> dict:
    return {
        "number": record.number if record else "2021450223000009", "name": "滑石粉检测技术服务",
        "kind": "service", "seller": w.a.pk, "buyer": "", "buyer_name": "柳州某塑料有限公司" if record else "买方甲",
        "buyer_region": "", "amount": "15", "technical_income": "12", "signing_date": "2020-05-01",
        "registration_date": "2020-06-01",
    }  # fmt: skip


def _award_form(w, record) -> dict:
    return {
        "name": "柳州市科学技术进步奖", "level": "city", "grade": "third" if record else "second",
        "year": 2020, "project": record.project if record else "新项目", "organisation": w.a.pk,
        "achievement": "", "certificate_number": "", "units": "", "people_text": "韦建华",
    }  # fmt: skip


SPECS = {
    "achievement": Kind(
        "/achievements/", "/api/v1/achievements/", Achievement, _achievement_form,
        created=lambda w: Achievement.objects.filter(number="2021450223A009").exists(),
        edited=lambda w: Achievement.objects.get(pk=w.record("achievement").pk).title.endswith("（修订）"),
        api_in=lambda w: {"number": "2021450223A010", "title": "新成果", "hitech_domain": 4,
                          "organisation": w.a.uscc, "registration_date": "2021-05-06", "units": ["广西大学"]},
        api_patch={"title": "接口修改的名称"},
        label=lambda r: r.number,
    ),
    "conversion": Kind(
        "/achievements/conversions/", "/api/v1/achievements/conversions", Conversion, _conversion_form,
        created=lambda w: Conversion.objects.filter(year=2021, form="licensing").exists(),
        edited=lambda w: str(Conversion.objects.get(pk=w.record("conversion").pk).amount) == "880000.00",
        api_in=lambda w: {"achievement": w.record("achievement").number, "year": 2021, "form": "transfer",
                          "organisation": w.a.uscc, "amount": "10000"},
        api_patch={"amount": "123.45"},
        label=lambda r: r.achievement.number if r.achievement_id else r.subject,
    ),
    "contract": Kind(
        "/achievements/contracts/", "/api/v1/achievements/contracts", TechContract, _contract_form,
        created=lambda w: TechContract.objects.filter(number="2021450223000009").exists(),
        edited=lambda w: TechContract.objects.get(pk=w.record("contract").pk).name == "滑石粉检测技术服务",
        api_in=lambda w: {"number": "2021450223000010", "name": "接口合同", "kind": "consulting", "seller": w.a.uscc,
                          "buyer_name": "买方乙", "amount": "50000", "technical_income": "50000",
                          "signing_date": "2021-01-05", "registration_date": "2021-01-20"},
        api_patch={"name": "接口修改的合同"},
        label=lambda r: r.number,
    ),
    "award": Kind(
        "/achievements/awards/", "/api/v1/achievements/awards", Award, _award_form,
        created=lambda w: Award.objects.filter(project="新项目").exists(),
        edited=lambda w: Award.objects.get(pk=w.record("award").pk).grade == "third",
        api_in=lambda w: {"name": "鹿寨县科学技术奖", "level": "county", "grade": "first", "year": 2020,
                          "project": "接口项目", "organisation": w.a.uscc, "people": ["韦建华"]},
        api_patch={"grade": "second"},
        label=lambda r: r.project,
    ),
}  # fmt: skip


def _endpoints(kind: str, spec: Kind) -> dict[str, Endpoint]:
    prefix = spec.web.rstrip("/")

    def at(side, suffix=""):
        return lambda w: f"{prefix}/{w.record(kind, side).pk}/{suffix}"

    def api_at(side):
        return lambda w: f"{spec.api.rstrip('/')}/{w.record(kind, side).pk}"

    def gone(w):
        return not spec.model.objects.filter(pk=w.record(kind).pk).exists()

    return {
        f"{kind}.list": Endpoint(lambda w: spec.web, shows="page"),
        f"{kind}.export": Endpoint(lambda w: f"{spec.web}?export=xlsx", shows="xlsx"),
        f"{kind}.detail": Endpoint(at("a")),
        f"{kind}.create.get": Endpoint(lambda w: f"{prefix}/new/"),
        f"{kind}.create.post": Endpoint(
            lambda w: f"{prefix}/new/", "post", lambda w: spec.form(w, None), done=spec.created
        ),
        f"{kind}.edit.get": Endpoint(at("a", "edit/")),
        f"{kind}.edit.post": Endpoint(
            at("a", "edit/"), "post", lambda w: spec.form(w, w.record(kind)), done=spec.edited
        ),
        f"{kind}.delete.get": Endpoint(at("a", "delete/")),
        f"{kind}.delete.post": Endpoint(at("a", "delete/"), "post", lambda w: {}, done=gone),
        f"{kind}.B.detail": Endpoint(at("b")),
        f"{kind}.B.edit.get": Endpoint(at("b", "edit/")),
        f"{kind}.B.edit.post": Endpoint(at("b", "edit/"), "post", lambda w: spec.form(w, w.record(kind, "b"))),
        f"{kind}.B.delete.get": Endpoint(at("b", "delete/")),
        f"{kind}.B.delete.post": Endpoint(at("b", "delete/"), "post", lambda w: {}),
        f"{kind}.api.list": Endpoint(lambda w: spec.api, "api-get", shows="api"),
        f"{kind}.api.detail": Endpoint(api_at("a"), "api-get"),
        f"{kind}.api.create": Endpoint(
            lambda w: spec.api, "api-post", spec.api_in, done=lambda w: spec.model.objects.count() == 3
        ),
        f"{kind}.api.update": Endpoint(
            api_at("a"),
            "api-patch",
            lambda w: spec.api_patch,
            done=lambda w: spec.model.objects.get(pk=w.record(kind).pk).updated > w.record(kind).updated,
        ),
        f"{kind}.api.delete": Endpoint(api_at("a"), "api-delete", lambda w: {}, done=gone),
        f"{kind}.apiB.detail": Endpoint(api_at("b"), "api-get"),
        f"{kind}.apiB.update": Endpoint(api_at("b"), "api-patch", lambda w: spec.api_patch),
        f"{kind}.apiB.delete": Endpoint(api_at("b"), "api-delete", lambda w: {}),
    }


ENDPOINTS = {name: e for kind, spec in SPECS.items() for name, e in _endpoints(kind, spec).items()}
ENDPOINTS |= {f"{kind}.import": Endpoint(lambda w, k=k: f"/imports/{k}/") for kind, k in IMPORT_KINDS.items()}


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at the end; each test runs in a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(shared_world, db) -> World:
    return shared_world


def test_table_and_endpoints_agree():
    assert set(ENDPOINT_NAMES) == set(ENDPOINTS)


# --- the checks --------------------------------------------------------------------------------------------


def db_state() -> dict:
    return snapshot(Achievement, AchievementUnit, Conversion, TechContract, Award, AwardParticipant)


def shown(kind: str, endpoint: Endpoint, response, world: World) -> set[str]:
    """Which of the records a and b a list shows."""
    records = {side: world.record(kind, side) for side in ("a", "b")}
    if endpoint.shows == "page":
        pks = {r.pk for r in response.context["page"].object_list}
        return {side for side, r in records.items() if r.pk in pks}
    if endpoint.shows == "api":
        ids = {item["id"] for item in response.json()["items"]}
        return {side for side, r in records.items() if r.pk in ids}
    cells = {str(cell) for row in xlsx_rows(response)[1:] for cell in row}
    return {side for side, r in records.items() if SPECS[kind].label(r) in cells}


@pytest.mark.parametrize("role", ROLE_VALUES)
@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_role_on_endpoint(name, role, world, make_user):
    kind = name.split(".")[0]
    check_cell(
        signed_in(user_for(role, make_user, world.a)),
        ENDPOINTS[name],
        EXPECT[(name, role)],
        world,
        db_state=db_state,
        shown=lambda endpoint, response, world: shown(kind, endpoint, response, world),
    )


@pytest.mark.parametrize("name", [n for n in ENDPOINT_NAMES if ".api" not in n])
def test_anonymous_is_sent_to_sign_in(name, world):
    check_anonymous(ENDPOINTS[name], world, db_state=db_state)


@pytest.mark.parametrize("name", [n for n in ENDPOINT_NAMES if ".api" in n])
def test_anonymous_api_calls_get_401(name, world):
    check_anonymous(ENDPOINTS[name], world, db_state=db_state)


# --- the scenarios the table summarises, spelt out --------------------------------------------------------


def test_a_partner_sees_the_records_it_takes_part_in(world, make_user, login):
    """P (柳城县) is a later-ranked unit of B's achievement and award and the buyer of B's contract."""
    client = login(make_user(Role.ENTERPRISE, organisation=world.p))
    for kind, path in (("achievement", "/achievements/"), ("contract", "/achievements/contracts/"),
                       ("award", "/achievements/awards/"), ("conversion", "/achievements/conversions/")):  # fmt: skip
        listed = {r.pk for r in client.get(path).context["page"].object_list}
        assert listed == {world.record(kind, "b").pk}, kind
        assert client.get(f"{path}{world.record(kind, 'b').pk}/").status_code == 200
        assert client.get(f"{path}{world.record(kind, 'a').pk}/").status_code == 404
    # …and on its own master-file page.
    page = client.get(f"/orgs/{world.p.pk}/").content.decode()
    assert world.record("achievement", "b").title in page and world.record("contract", "b").number in page


def test_a_bureau_user_cannot_move_a_record_out_of_the_county(world, bureau, login):
    achievement = world.record("achievement")
    data = _achievement_form(world, achievement) | {"organisation": world.b.pk}
    response = login(bureau).post(f"/achievements/{achievement.pk}/edit/", data)
    assert response.status_code == 200  # B is not among the organisations the form offers
    assert Achievement.objects.get(pk=achievement.pk).organisation == world.a
    client = login(bureau)
    client.raise_request_exception = False
    response = client.generic(
        "PATCH", f"/api/v1/achievements/{achievement.pk}", json.dumps({"organisation": world.b.uscc}),
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403, describe(response)
    assert Achievement.objects.get(pk=achievement.pk).organisation == world.a
