"""Who may use which page and API endpoint of the activities registry, written by hand from the role semantics.

Bureau roles belong to 鹿寨县 (450223): the bureau administrator does everything there, staff everything but
delete, the leader reads and exports. Activities and popularisation spending belong to a region, not to an
organisation, so enterprise and provider users see none of them, nor do experts and the three administrators.
Activity A and spending A are in 鹿寨县; activity B and spending B in 柳城县, outside every user's scope.

The cells (Y . 4) mean what ``tests/permission_table.py`` says.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from kechuang.activities.models import Activity, PopularisationSpending
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
activity.list                  .   .   .   Y   Y   Y   .   .   .
activity.export                .   .   .   Y   Y   Y   .   .   .
activity.detail                .   .   .   Y   Y   Y   .   .   .
activity.create.get            .   .   .   Y   Y   .   .   .   .
activity.create.post           .   .   .   Y   Y   .   .   .   .
activity.edit.get              .   .   .   Y   Y   .   .   .   .
activity.edit.post             .   .   .   Y   Y   .   .   .   .
activity.delete.get            .   .   .   Y   .   .   .   .   .
activity.delete.post           .   .   .   Y   .   .   .   .   .
activity.import                .   .   .   Y   Y   .   .   .   .
activityB.detail               .   .   .   4   4   4   .   .   .
activityB.edit.post            .   .   .   4   4   4   .   .   .
activityB.delete.post          .   .   .   4   4   4   .   .   .
spending.list                  .   .   .   Y   Y   Y   .   .   .
spending.export                .   .   .   Y   Y   Y   .   .   .
spending.detail                .   .   .   Y   Y   Y   .   .   .
spending.per_resident          .   .   .   Y   Y   Y   .   .   .
spending.create.get            .   .   .   Y   Y   .   .   .   .
spending.create.post           .   .   .   Y   Y   .   .   .   .
spending.edit.get              .   .   .   Y   Y   .   .   .   .
spending.edit.post             .   .   .   Y   Y   .   .   .   .
spending.delete.post           .   .   .   Y   .   .   .   .   .
spendingB.detail               .   .   .   4   4   4   .   .   .
spendingB.edit.post            .   .   .   4   4   4   .   .   .
api.activity.list              .   .   .   Y   Y   Y   .   .   .
api.activity.detail            .   .   .   Y   Y   Y   .   .   .
api.activity.create            .   .   .   Y   Y   .   .   .   .
api.activity.update            .   .   .   Y   Y   .   .   .   .
api.activity.delete            .   .   .   Y   .   .   .   .   .
api.activityB.detail           .   .   .   4   4   4   .   .   .
api.spending.list              .   .   .   Y   Y   Y   .   .   .
api.spending.detail            .   .   .   Y   Y   Y   .   .   .
api.spending.per_resident      .   .   .   Y   Y   Y   .   .   .
api.spending.create            .   .   .   Y   Y   .   .   .   .
api.spending.update            .   .   .   Y   Y   .   .   .   .
api.spending.delete            .   .   .   Y   .   .   .   .   .
api.spendingB.detail           .   .   .   4   4   4   .   .   .
api.spendingB.per_resident     .   .   .   4   4   4   .   .   .
"""


EXPECT = parse(EXPECTED)
NAMES = row_names(EXPECT)


@dataclass
class World:
    a: Activity
    b: Activity
    spending_a: PopularisationSpending
    spending_b: PopularisationSpending


@pytest.fixture
def world(make_activity, make_spending, make_org, population) -> World:
    population("450223", 2020, 361600)
    return World(
        a=make_activity("鹿寨县科技活动周", region="450223100"),
        b=make_activity("柳城县科技活动周", region="450222"),
        spending_a=make_spending("450223", 2020, "11932800.00"),
        spending_b=make_spending("450222", 2020, "5000000.00"),
    )


def activity_form(activity=None, **changes) -> dict:
    data = {"kind": "training", "title": "新培训班", "region": "", "start_date": "2021-03-01", "end_date": "",
            "organiser": "鹿寨县科学技术局", "organisation": "", "participants": "", "entries": "", "awards": "",
            "trainees": "30", "spending": "0.5", "notes": ""}  # fmt: skip
    if activity is not None:
        data.update(kind=activity.kind, title=activity.title, start_date=activity.start_date, trainees="")
        data["region"] = activity.region_id
    return {**data, **changes}


def spending_form(spending, **changes) -> dict:
    return {"region": spending.region_id, "year": spending.year, "amount": "1200", "source": "决算", "notes": "",
            **changes}  # fmt: skip


def _a(w):
    return Activity.objects.filter(pk=w.a.pk)


def _sa(w):
    return PopularisationSpending.objects.filter(pk=w.spending_a.pk)


def _region_of_a(w):
    return w.a.region_id


ENDPOINTS = {
    "activity.list": Endpoint(lambda w: "/activities/", shows="page"),
    "activity.export": Endpoint(lambda w: "/activities/?export=xlsx", shows="xlsx"),
    "activity.detail": Endpoint(lambda w: f"/activities/{w.a.pk}/"),
    "activity.create.get": Endpoint(lambda w: "/activities/new/"),
    "activity.create.post": Endpoint(
        lambda w: "/activities/new/",
        "post",
        lambda w: activity_form(region=_region_of_a(w)),
        lambda w: Activity.objects.filter(title="新培训班", spending=Decimal("5000.00")).exists(),
    ),
    "activity.edit.get": Endpoint(lambda w: f"/activities/{w.a.pk}/edit/"),
    "activity.edit.post": Endpoint(
        lambda w: f"/activities/{w.a.pk}/edit/",
        "post",
        lambda w: activity_form(w.a, participants="3600"),
        lambda w: _a(w).filter(participants=3600).exists(),
    ),
    "activity.delete.get": Endpoint(lambda w: f"/activities/{w.a.pk}/delete/"),
    "activity.delete.post": Endpoint(
        lambda w: f"/activities/{w.a.pk}/delete/", "post", lambda w: {}, lambda w: not _a(w).exists()
    ),
    "activity.import": Endpoint(lambda w: "/imports/activities/"),
    "activityB.detail": Endpoint(lambda w: f"/activities/{w.b.pk}/"),
    "activityB.edit.post": Endpoint(
        lambda w: f"/activities/{w.b.pk}/edit/", "post", lambda w: activity_form(w.b, participants="3600")
    ),
    "activityB.delete.post": Endpoint(lambda w: f"/activities/{w.b.pk}/delete/", "post", lambda w: {}),
    "spending.list": Endpoint(lambda w: "/activities/spending/", shows="page"),
    "spending.export": Endpoint(lambda w: "/activities/spending/?export=xlsx", shows="xlsx"),
    "spending.detail": Endpoint(lambda w: f"/activities/spending/{w.spending_a.pk}/"),
    "spending.per_resident": Endpoint(lambda w: "/activities/spending/per-resident/?year=2020"),
    "spending.create.get": Endpoint(lambda w: "/activities/spending/new/"),
    "spending.create.post": Endpoint(
        lambda w: "/activities/spending/new/",
        "post",
        lambda w: spending_form(w.spending_a, year=2019, amount="1089.6"),
        lambda w: PopularisationSpending.objects.filter(year=2019, amount=Decimal("10896000.00")).exists(),
    ),
    "spending.edit.get": Endpoint(lambda w: f"/activities/spending/{w.spending_a.pk}/edit/"),
    "spending.edit.post": Endpoint(
        lambda w: f"/activities/spending/{w.spending_a.pk}/edit/",
        "post",
        lambda w: spending_form(w.spending_a),
        lambda w: _sa(w).filter(amount=Decimal("12000000.00"), source="决算").exists(),
    ),
    "spending.delete.post": Endpoint(
        lambda w: f"/activities/spending/{w.spending_a.pk}/delete/", "post", lambda w: {}, lambda w: not _sa(w).exists()
    ),
    "spendingB.detail": Endpoint(lambda w: f"/activities/spending/{w.spending_b.pk}/"),
    "spendingB.edit.post": Endpoint(
        lambda w: f"/activities/spending/{w.spending_b.pk}/edit/", "post", lambda w: spending_form(w.spending_b)
    ),
    "api.activity.list": Endpoint(lambda w: "/api/v1/activities/", "api-get", shows="json"),
    "api.activity.detail": Endpoint(lambda w: f"/api/v1/activities/{w.a.pk}", "api-get"),
    "api.activity.create": Endpoint(
        lambda w: "/api/v1/activities/",
        "api-post",
        lambda w: {
            "kind": "competition",
            "title": "接口大赛",
            "region": "450223",
            "start_date": "2021-09-01",
            "organiser": "鹿寨县科学技术局",
            "entries": 30,
            "awards": 9,
            "spending": "90000",
        },
        lambda w: Activity.objects.filter(title="接口大赛", entries=30).exists(),
    ),
    "api.activity.update": Endpoint(
        lambda w: f"/api/v1/activities/{w.a.pk}",
        "api-patch",
        lambda w: {"participants": 3700},
        lambda w: _a(w).filter(participants=3700).exists(),
    ),
    "api.activity.delete": Endpoint(
        lambda w: f"/api/v1/activities/{w.a.pk}", "api-delete", done=lambda w: not _a(w).exists()
    ),
    "api.activityB.detail": Endpoint(lambda w: f"/api/v1/activities/{w.b.pk}", "api-get"),
    "api.spending.list": Endpoint(lambda w: "/api/v1/activities/spending", "api-get", shows="json"),
    "api.spending.detail": Endpoint(lambda w: f"/api/v1/activities/spending/{w.spending_a.pk}", "api-get"),
    "api.spending.per_resident": Endpoint(
        lambda w: "/api/v1/activities/spending/per-resident?region=450223&year=2020", "api-get"
    ),
    "api.spending.create": Endpoint(
        lambda w: "/api/v1/activities/spending",
        "api-post",
        lambda w: {"region": "450223100", "year": 2020, "amount": "360000.00", "source": "乡镇决算"},
        lambda w: PopularisationSpending.objects.filter(region__code="450223100", year=2020).exists(),
    ),
    "api.spending.update": Endpoint(
        lambda w: f"/api/v1/activities/spending/{w.spending_a.pk}",
        "api-patch",
        lambda w: {"amount": "11932801.00"},
        lambda w: _sa(w).filter(amount=Decimal("11932801.00")).exists(),
    ),
    "api.spending.delete": Endpoint(
        lambda w: f"/api/v1/activities/spending/{w.spending_a.pk}", "api-delete", done=lambda w: not _sa(w).exists()
    ),
    "api.spendingB.detail": Endpoint(lambda w: f"/api/v1/activities/spending/{w.spending_b.pk}", "api-get"),
    "api.spendingB.per_resident": Endpoint(
        lambda w: "/api/v1/activities/spending/per-resident?region=450222&year=2020", "api-get"
    ),
}


def test_table_and_endpoints_agree():
    assert set(NAMES) == set(ENDPOINTS)


def db_state() -> dict:
    return snapshot(Activity, PopularisationSpending)


def shown(endpoint: Endpoint, response, world: World) -> set[str]:
    """Which of the A and B records a list, export or API list shows (activity titles, spending region names)."""
    if endpoint.shows == "page":
        texts = {getattr(r, "title", None) or r.region.name for r in response.context["page"].object_list}
    elif endpoint.shows == "xlsx":
        texts = {row[0] for row in xlsx_rows(response)[1:]}
    else:
        texts = {item.get("title") or item.get("region_name") for item in response.json()["items"]}
    a = {world.a.title, "鹿寨县"}
    b = {world.b.title, "柳城县"}
    return {side for side, names in (("a", a), ("b", b)) if texts & names}


@pytest.mark.parametrize("role", ROLE_VALUES)
@pytest.mark.parametrize("name", NAMES)
def test_role_on_endpoint(name, role, world, make_user, make_org):
    client = signed_in(user_for(role, make_user, lambda: make_org(name="鹿寨甲科技有限公司", region="450223100")))
    check_cell(client, ENDPOINTS[name], EXPECT[(name, role)], world, db_state=db_state, shown=shown)


@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("api.")])
def test_anonymous_is_sent_to_sign_in(name, world):
    check_anonymous(ENDPOINTS[name], world, db_state=db_state)
