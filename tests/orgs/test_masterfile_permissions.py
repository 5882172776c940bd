"""Who may use which page and API endpoint of the master file's evaluation inputs (monthly head counts, R&D-management
evidence, integrity records), written by hand from the role semantics.

Bureau roles belong to 鹿寨县 (450223): the bureau administrator does everything there, staff everything but delete,
the leader reads and exports. Enterprise and provider users belong to organisation A: they read and export their own
records of all three kinds and enter and correct their own monthly head counts and R&D-management evidence (as they
fill their yearly report), but delete nothing and write no integrity record (those are the bureau's). Experts and the
three administrators see none of it. Records of A (鹿寨镇) are in scope; records of B (柳城县) are not.

The cells (Y . 4) mean what ``tests/permission_table.py`` says.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType

from kechuang.orgs.models import IntegrityRecord, MonthlyHeadcount, Organisation, RDManagementEvidence
from kechuang.orgs.services import evaluation_record_create
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
hc.list                        .   .   .   Y   Y   Y   Y   .   Y
hc.export                      .   .   .   Y   Y   Y   Y   .   Y
hc.detail                      .   .   .   Y   Y   Y   Y   .   Y
hc.create.get                  .   .   .   Y   Y   .   Y   .   Y
hc.create.post                 .   .   .   Y   Y   .   Y   .   Y
hc.edit.post                   .   .   .   Y   Y   .   Y   .   Y
hc.delete.post                 .   .   .   Y   .   .   .   .   .
hc.year.get                    .   .   .   Y   Y   .   Y   .   Y
hc.year.post                   .   .   .   Y   Y   .   Y   .   Y
hcB.detail                     .   .   .   4   4   4   4   .   4
hcB.edit.post                  .   .   .   4   4   4   4   .   4
hcB.year.post                  .   .   .   4   4   4   4   .   4
ev.list                        .   .   .   Y   Y   Y   Y   .   Y
ev.export                      .   .   .   Y   Y   Y   Y   .   Y
ev.detail                      .   .   .   Y   Y   Y   Y   .   Y
ev.create.post                 .   .   .   Y   Y   .   Y   .   Y
ev.edit.post                   .   .   .   Y   Y   .   Y   .   Y
ev.attach.get                  .   .   .   Y   Y   .   Y   .   Y
ev.delete.post                 .   .   .   Y   .   .   .   .   .
evB.detail                     .   .   .   4   4   4   4   .   4
evB.delete.post                .   .   .   4   4   4   4   .   4
ig.list                        .   .   .   Y   Y   Y   Y   .   Y
ig.export                      .   .   .   Y   Y   Y   Y   .   Y
ig.detail                      .   .   .   Y   Y   Y   Y   .   Y
ig.create.get                  .   .   .   Y   Y   .   .   .   .
ig.create.post                 .   .   .   Y   Y   .   .   .   .
ig.edit.post                   .   .   .   Y   Y   .   .   .   .
ig.delete.post                 .   .   .   Y   .   .   .   .   .
igB.detail                     .   .   .   4   4   4   4   .   4
igB.edit.post                  .   .   .   4   4   4   4   .   4
api.hc.list                    .   .   .   Y   Y   Y   Y   .   Y
api.hc.average                 .   .   .   Y   Y   Y   Y   .   Y
api.hc.create                  .   .   .   Y   Y   .   Y   .   Y
api.hc.update                  .   .   .   Y   Y   .   Y   .   Y
api.hc.delete                  .   .   .   Y   .   .   .   .   .
api.hcB.update                 .   .   .   4   4   4   4   .   4
api.ev.list                    .   .   .   Y   Y   Y   Y   .   Y
api.ev.create                  .   .   .   Y   Y   .   Y   .   Y
api.ev.update                  .   .   .   Y   Y   .   Y   .   Y
api.ev.delete                  .   .   .   Y   .   .   .   .   .
api.evB.delete                 .   .   .   4   4   4   4   .   4
api.ig.list                    .   .   .   Y   Y   Y   Y   .   Y
api.ig.create                  .   .   .   Y   Y   .   .   .   .
api.ig.update                  .   .   .   Y   Y   .   .   .   .
api.ig.delete                  .   .   .   Y   .   .   .   .   .
api.igB.update                 .   .   .   4   4   4   4   .   4
"""

EXPECT = parse(EXPECTED)
NAMES = row_names(EXPECT)


@dataclass
class World:
    a: Organisation
    b: Organisation
    hc_a: MonthlyHeadcount
    hc_b: MonthlyHeadcount
    ev_a: RDManagementEvidence
    ev_b: RDManagementEvidence
    ig_a: IntegrityRecord
    ig_b: IntegrityRecord


def _records(organisation) -> tuple:
    def create(model, **fields):
        return evaluation_record_create(actor=None, model=model, organisation=organisation, **fields)

    return (
        create(MonthlyHeadcount, year=2024, month=1, staff_start=20, staff_end=22, st_start=5, st_end=6),
        create(RDManagementEvidence, year=2024, item=1, description=f"{organisation.name}研发费用辅助账"),
        create(IntegrityRecord, kind="quality", date=D(2024, 5, 1), description="产品抽检不合格",
               source=f"{organisation.name}质监罚〔2024〕1号"),
    )  # fmt: skip


@pytest.fixture
def world(make_org) -> World:
    a = make_org(name="鹿寨甲科技有限公司", region="450223100")
    b = make_org(name="柳城丙机械有限公司", region="450222")
    (hc_a, ev_a, ig_a), (hc_b, ev_b, ig_b) = _records(a), _records(b)
    return World(a, b, hc_a, hc_b, ev_a, ev_b, ig_a, ig_b)


HEADCOUNT = {"year": 2024, "month": 2, "staff_start": 30, "staff_end": 32, "st_start": 7, "st_end": 8}
YEAR_FORM = {"staff_start_12": 30, "staff_end_12": 33, "st_start_12": 7, "st_end_12": 8}
EVIDENCE = {"year": 2024, "item": 2, "description": "与广西大学共建研发中心"}
INTEGRITY = {"kind": "environment", "date": "2024-06-01", "until": "", "description": "超标排放",
             "source": "柳环罚〔2024〕9号"}  # fmt: skip


def _exists(model, **fields):
    return lambda w: model.objects.filter(**fields).exists()


def _gone(model, attr):
    return lambda w: not model.objects.filter(pk=getattr(w, attr).pk).exists()


def _ct(model) -> int:
    return ContentType.objects.get_for_model(model).pk


ENDPOINTS = {
    "hc.list": Endpoint(lambda w: "/orgs/headcounts/", shows="page"),
    "hc.export": Endpoint(lambda w: "/orgs/headcounts/?export=xlsx", shows="xlsx"),
    "hc.detail": Endpoint(lambda w: f"/orgs/headcounts/{w.hc_a.pk}/"),
    "hc.create.get": Endpoint(lambda w: f"/orgs/{w.a.pk}/headcounts/new/"),
    "hc.create.post": Endpoint(
        lambda w: f"/orgs/{w.a.pk}/headcounts/new/",
        "post",
        lambda w: HEADCOUNT,
        _exists(MonthlyHeadcount, year=2024, month=2, staff_start=30, organisation__name="鹿寨甲科技有限公司"),
    ),
    "hc.edit.post": Endpoint(
        lambda w: f"/orgs/headcounts/{w.hc_a.pk}/edit/",
        "post",
        lambda w: {**HEADCOUNT, "staff_start": 50},
        lambda w: MonthlyHeadcount.objects.filter(pk=w.hc_a.pk, month=1, staff_start=50).exists(),
    ),
    "hc.delete.post": Endpoint(
        lambda w: f"/orgs/headcounts/{w.hc_a.pk}/delete/", "post", lambda w: {}, _gone(MonthlyHeadcount, "hc_a")
    ),
    "hc.year.get": Endpoint(lambda w: f"/orgs/{w.a.pk}/headcounts/2024/"),
    "hc.year.post": Endpoint(
        lambda w: f"/orgs/{w.a.pk}/headcounts/2024/",
        "post",
        lambda w: YEAR_FORM,
        lambda w: MonthlyHeadcount.objects.filter(organisation=w.a, year=2024, month=12, staff_end=33).exists(),
    ),
    "hcB.year.post": Endpoint(
        lambda w: f"/orgs/{w.b.pk}/headcounts/2024/",
        "post",
        lambda w: YEAR_FORM,
        lambda w: MonthlyHeadcount.objects.filter(organisation=w.b, year=2024, month=12).exists(),
    ),
    "hcB.detail": Endpoint(lambda w: f"/orgs/headcounts/{w.hc_b.pk}/"),
    "hcB.edit.post": Endpoint(
        lambda w: f"/orgs/headcounts/{w.hc_b.pk}/edit/",
        "post",
        lambda w: {**HEADCOUNT, "staff_start": 50},
        lambda w: MonthlyHeadcount.objects.filter(pk=w.hc_b.pk, staff_start=50).exists(),
    ),
    "ev.list": Endpoint(lambda w: "/orgs/rd-evidence/", shows="page"),
    "ev.export": Endpoint(lambda w: "/orgs/rd-evidence/?export=xlsx", shows="xlsx"),
    "ev.detail": Endpoint(lambda w: f"/orgs/rd-evidence/{w.ev_a.pk}/"),
    "ev.create.post": Endpoint(
        lambda w: f"/orgs/{w.a.pk}/rd-evidence/new/",
        "post",
        lambda w: EVIDENCE,
        _exists(RDManagementEvidence, item=2, description="与广西大学共建研发中心"),
    ),
    "ev.edit.post": Endpoint(
        lambda w: f"/orgs/rd-evidence/{w.ev_a.pk}/edit/",
        "post",
        lambda w: {**EVIDENCE, "item": 1},
        lambda w: RDManagementEvidence.objects.filter(pk=w.ev_a.pk, description="与广西大学共建研发中心").exists(),
    ),
    "ev.attach.get": Endpoint(lambda w: f"/attachments/{_ct(RDManagementEvidence)}/{w.ev_a.pk}/upload/"),
    "ev.delete.post": Endpoint(
        lambda w: f"/orgs/rd-evidence/{w.ev_a.pk}/delete/", "post", lambda w: {}, _gone(RDManagementEvidence, "ev_a")
    ),
    "evB.detail": Endpoint(lambda w: f"/orgs/rd-evidence/{w.ev_b.pk}/"),
    "evB.delete.post": Endpoint(
        lambda w: f"/orgs/rd-evidence/{w.ev_b.pk}/delete/", "post", lambda w: {}, _gone(RDManagementEvidence, "ev_b")
    ),
    "ig.list": Endpoint(lambda w: "/orgs/integrity/", shows="page"),
    "ig.export": Endpoint(lambda w: "/orgs/integrity/?export=xlsx", shows="xlsx"),
    "ig.detail": Endpoint(lambda w: f"/orgs/integrity/{w.ig_a.pk}/"),
    "ig.create.get": Endpoint(lambda w: f"/orgs/{w.a.pk}/integrity/new/"),
    "ig.create.post": Endpoint(
        lambda w: f"/orgs/{w.a.pk}/integrity/new/",
        "post",
        lambda w: INTEGRITY,
        _exists(IntegrityRecord, kind="environment", source="柳环罚〔2024〕9号"),
    ),
    "ig.edit.post": Endpoint(
        lambda w: f"/orgs/integrity/{w.ig_a.pk}/edit/",
        "post",
        lambda w: INTEGRITY,
        lambda w: IntegrityRecord.objects.filter(pk=w.ig_a.pk, kind="environment").exists(),
    ),
    "ig.delete.post": Endpoint(
        lambda w: f"/orgs/integrity/{w.ig_a.pk}/delete/", "post", lambda w: {}, _gone(IntegrityRecord, "ig_a")
    ),
    "igB.detail": Endpoint(lambda w: f"/orgs/integrity/{w.ig_b.pk}/"),
    "igB.edit.post": Endpoint(
        lambda w: f"/orgs/integrity/{w.ig_b.pk}/edit/",
        "post",
        lambda w: INTEGRITY,
        lambda w: IntegrityRecord.objects.filter(pk=w.ig_b.pk, kind="environment").exists(),
    ),
    "api.hc.list": Endpoint(lambda w: f"/api/v1/orgs/{w.a.pk}/headcounts?year=2024", "api-get", shows="json"),
    "api.hc.average": Endpoint(lambda w: f"/api/v1/orgs/{w.a.pk}/headcounts/2024/average", "api-get", shows="json"),
    "api.hc.create": Endpoint(
        lambda w: f"/api/v1/orgs/{w.a.pk}/headcounts",
        "api-post",
        lambda w: {**HEADCOUNT, "month": 3},
        _exists(MonthlyHeadcount, year=2024, month=3, organisation__name="鹿寨甲科技有限公司"),
    ),
    "api.hc.update": Endpoint(
        lambda w: f"/api/v1/orgs/headcounts/{w.hc_a.pk}",
        "api-patch",
        lambda w: {"staff_end": 40},
        lambda w: MonthlyHeadcount.objects.filter(pk=w.hc_a.pk, staff_end=40).exists(),
    ),
    "api.hc.delete": Endpoint(
        lambda w: f"/api/v1/orgs/headcounts/{w.hc_a.pk}", "api-delete", None, _gone(MonthlyHeadcount, "hc_a")
    ),
    "api.hcB.update": Endpoint(
        lambda w: f"/api/v1/orgs/headcounts/{w.hc_b.pk}",
        "api-patch",
        lambda w: {"staff_end": 40},
        lambda w: MonthlyHeadcount.objects.filter(pk=w.hc_b.pk, staff_end=40).exists(),
    ),
    "api.ev.list": Endpoint(lambda w: f"/api/v1/orgs/{w.a.pk}/rd-evidence", "api-get", shows="json"),
    "api.ev.create": Endpoint(
        lambda w: f"/api/v1/orgs/{w.a.pk}/rd-evidence",
        "api-post",
        lambda w: {**EVIDENCE, "item": 4},
        _exists(RDManagementEvidence, item=4),
    ),
    "api.ev.update": Endpoint(
        lambda w: f"/api/v1/orgs/rd-evidence/{w.ev_a.pk}",
        "api-patch",
        lambda w: {"item": 3},
        lambda w: RDManagementEvidence.objects.filter(pk=w.ev_a.pk, item=3).exists(),
    ),
    "api.ev.delete": Endpoint(
        lambda w: f"/api/v1/orgs/rd-evidence/{w.ev_a.pk}", "api-delete", None, _gone(RDManagementEvidence, "ev_a")
    ),
    "api.evB.delete": Endpoint(
        lambda w: f"/api/v1/orgs/rd-evidence/{w.ev_b.pk}", "api-delete", None, _gone(RDManagementEvidence, "ev_b")
    ),
    "api.ig.list": Endpoint(lambda w: f"/api/v1/orgs/{w.a.pk}/integrity", "api-get", shows="json"),
    "api.ig.create": Endpoint(
        lambda w: f"/api/v1/orgs/{w.a.pk}/integrity",
        "api-post",
        lambda w: {**INTEGRITY, "until": None},
        _exists(IntegrityRecord, kind="environment"),
    ),
    "api.ig.update": Endpoint(
        lambda w: f"/api/v1/orgs/integrity/{w.ig_a.pk}",
        "api-patch",
        lambda w: {"kind": "safety"},
        lambda w: IntegrityRecord.objects.filter(pk=w.ig_a.pk, kind="safety").exists(),
    ),
    "api.ig.delete": Endpoint(
        lambda w: f"/api/v1/orgs/integrity/{w.ig_a.pk}", "api-delete", None, _gone(IntegrityRecord, "ig_a")
    ),
    "api.igB.update": Endpoint(
        lambda w: f"/api/v1/orgs/integrity/{w.ig_b.pk}",
        "api-patch",
        lambda w: {"kind": "safety"},
        lambda w: IntegrityRecord.objects.filter(pk=w.ig_b.pk, kind="safety").exists(),
    ),
}


def test_table_and_endpoints_agree():
    assert set(NAMES) == set(ENDPOINTS)


def db_state() -> dict:
    return snapshot(MonthlyHeadcount, RDManagementEvidence, IntegrityRecord)


def shown(endpoint: Endpoint, response, world: World) -> set[str]:
    if endpoint.shows == "page":
        names = {row.organisation.name for row in response.context["page"].object_list}
    elif endpoint.shows == "json":
        body = response.json()
        if isinstance(body, dict):  # the yearly average: the months it found count as A's records
            return {"a"} if len(body["missing"]) < len(body["months"]) else set()
        ids = {item["organisation_id"] for item in body}
        return {side for side, org in (("a", world.a), ("b", world.b)) if org.pk in ids}
    else:
        names = {row[0] for row in xlsx_rows(response)[1:]}
    return {side for side, org in (("a", world.a), ("b", world.b)) if org.name in names}


@pytest.mark.parametrize("role", ROLE_VALUES)
@pytest.mark.parametrize("name", NAMES)
def test_role_on_endpoint(name, role, world, make_user):
    client = signed_in(user_for(role, make_user, world.a))
    check_cell(client, ENDPOINTS[name], EXPECT[(name, role)], world, db_state=db_state, shown=shown)


@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("api.")])
def test_anonymous_is_sent_to_sign_in(name, world):
    check_anonymous(ENDPOINTS[name], world, db_state=db_state)
