"""Who may use which page and API endpoint of the annual screening, written by hand from the role semantics.

Bureau roles belong to 鹿寨县 (450223): the administrator and staff run screenings and confirm or reject candidates;
the leader reads and exports. Run A covers 鹿寨县, run B 柳城县 (450222), outside every user's scope. Enterprise and
provider users, experts and the three administrators see none of it (candidate lists are the bureau's).

The cells (Y . 4) mean what ``tests/permission_table.py`` says.
"""

import datetime
from dataclasses import dataclass

import pytest

from kechuang.orgs.models import PoolMembership
from kechuang.regions.models import Region
from kechuang.screening.models import Candidate, ScreeningRun
from kechuang.screening.services import screening_run
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
from tests.screening.conftest import hte_certificate, member
from tests.web.conftest import xlsx_rows

D = datetime.date
pytestmark = pytest.mark.django_db

EXPECTED = """
                              sys sec aud adm stf ldr ent exp prv
overview                       .   .   .   Y   Y   Y   .   .   .
overview.export                .   .   .   Y   Y   Y   .   .   .
overview.post                  .   .   .   Y   Y   .   .   .   .
run.detail                     .   .   .   Y   Y   Y   .   .   .
run.export                     .   .   .   Y   Y   Y   .   .   .
runB.detail                    .   .   .   4   4   4   .   .   .
candidate.decide               .   .   .   Y   Y   .   .   .   .
candidateB.decide              .   .   .   4   4   .   .   .   .
run.decide                     .   .   .   Y   Y   .   .   .   .
runB.decide                    .   .   .   4   4   .   .   .   .
trajectories                   .   .   .   Y   Y   Y   .   .   .
trajectories.export            .   .   .   Y   Y   Y   .   .   .
trajectory                     .   .   .   Y   Y   Y   .   .   .
trajectoryB                    .   .   .   4   4   4   .   .   .
expiring                       .   .   .   Y   Y   Y   .   .   .
expiring.export                .   .   .   Y   Y   Y   .   .   .
api.runs                       .   .   .   Y   Y   Y   .   .   .
api.run.detail                 .   .   .   Y   Y   Y   .   .   .
api.runB.detail                .   .   .   4   4   4   .   .   .
api.candidates                 .   .   .   Y   Y   Y   .   .   .
api.runB.candidates            .   .   .   4   4   4   .   .   .
api.run.create                 .   .   .   Y   Y   .   .   .   .
api.run.createB                .   .   .   .   .   .   .   .   .
api.candidate.decision         .   .   .   Y   Y   .   .   .   .
api.candidateB.decision        .   .   .   4   4   .   .   .   .
api.run.decisions              .   .   .   Y   Y   .   .   .   .
api.expiring                   .   .   .   Y   Y   Y   .   .   .
"""

EXPECT = parse(EXPECTED)
NAMES = row_names(EXPECT)
SIDES = {
    "a": ("450223", "鹿寨甲科技有限公司", "鹿寨乙材料有限公司", "鹿寨县"),
    "b": ("450222", "柳城丁机械有限公司", "柳城县"),
}


@dataclass
class World:
    a: ScreeningRun
    b: ScreeningRun
    entry: Candidate  # 乙, proposed to enter the reserve in run A
    entry_b: Candidate  # 丁, in run B
    member_a: PoolMembership
    member_b: PoolMembership


@pytest.fixture
def world(county, pools) -> World:
    member_a = member(county["first"], pools["hte-reserve"], 2024)
    member_b = member(county["outside"], pools["gazelle"], 2024)
    today = datetime.date.today()
    # Both certificates end within the next 12 months, wherever the test runs.
    hte_certificate(county["first"], today.replace(year=today.year - 2, day=1), f"GR{today.year - 2}45000001")
    hte_certificate(county["outside"], today.replace(year=today.year - 2, day=1), f"GR{today.year - 2}45000002")
    a = screening_run(actor=None, pool=pools["hte-reserve"], year=2024, region=Region.objects.get(code="450223"))
    b = screening_run(actor=None, pool=pools["high-growth-tsme"], year=2024, region=Region.objects.get(code="450222"))
    return World(a, b, a.candidates.get(organisation=county["second"]), b.candidates.get(), member_a, member_b)


def _joined(w) -> bool:
    return PoolMembership.objects.filter(organisation=w.entry.organisation, pool__code="hte-reserve").exists()


def _gazelle_run() -> bool:
    return ScreeningRun.objects.filter(pool__code="gazelle", region__code="450223").exists()


ENDPOINTS = {
    "overview": Endpoint(lambda w: "/screening/", shows="page"),
    "overview.export": Endpoint(lambda w: "/screening/?export=xlsx", shows="xlsx"),
    "overview.post": Endpoint(lambda w: "/screening/", "post",
                              lambda w: {"pool": w.a.pool.__class__.objects.get(code="gazelle").pk, "year": 2024},
                              lambda w: _gazelle_run()),
    "run.detail": Endpoint(lambda w: f"/screening/runs/{w.a.pk}/"),
    "run.export": Endpoint(lambda w: f"/screening/runs/{w.a.pk}/?export=xlsx", shows="xlsx"),
    "runB.detail": Endpoint(lambda w: f"/screening/runs/{w.b.pk}/"),
    "candidate.decide": Endpoint(lambda w: f"/screening/candidates/{w.entry.pk}/decide/", "post",
                                 lambda w: {"decision": "confirmed"}, _joined),
    "candidateB.decide": Endpoint(lambda w: f"/screening/candidates/{w.entry_b.pk}/decide/", "post",
                                  lambda w: {"decision": "confirmed"},
                                  lambda w: Candidate.objects.filter(pk=w.entry_b.pk, decision="confirmed").exists()),
    "run.decide": Endpoint(lambda w: f"/screening/runs/{w.a.pk}/decide/", "post",
                           lambda w: {"decision": "confirmed", "candidate": [w.entry.pk]}, _joined),
    "runB.decide": Endpoint(lambda w: f"/screening/runs/{w.b.pk}/decide/", "post",
                            lambda w: {"decision": "confirmed", "candidate": [w.entry_b.pk]},
                            lambda w: Candidate.objects.filter(pk=w.entry_b.pk, decision="confirmed").exists()),
    "trajectories": Endpoint(lambda w: "/screening/trajectories/", shows="page"),
    "trajectories.export": Endpoint(lambda w: "/screening/trajectories/?export=xlsx", shows="xlsx"),
    "trajectory": Endpoint(lambda w: f"/screening/trajectories/{w.member_a.pk}/"),
    "trajectoryB": Endpoint(lambda w: f"/screening/trajectories/{w.member_b.pk}/"),
    "expiring": Endpoint(lambda w: "/screening/expiring/", shows="page"),
    "expiring.export": Endpoint(lambda w: "/screening/expiring/?export=xlsx", shows="xlsx"),
    "api.runs": Endpoint(lambda w: "/api/v1/screening/runs", "api-get", shows="json"),
    "api.run.detail": Endpoint(lambda w: f"/api/v1/screening/runs/{w.a.pk}", "api-get"),
    "api.runB.detail": Endpoint(lambda w: f"/api/v1/screening/runs/{w.b.pk}", "api-get"),
    "api.candidates": Endpoint(lambda w: f"/api/v1/screening/runs/{w.a.pk}/candidates", "api-get"),
    "api.runB.candidates": Endpoint(lambda w: f"/api/v1/screening/runs/{w.b.pk}/candidates", "api-get"),
    "api.run.createB": Endpoint(lambda w: "/api/v1/screening/runs", "api-post",
                                lambda w: {"pool": "gazelle", "year": 2024, "region": "450222"},
                                lambda w: ScreeningRun.objects.filter(pool__code="gazelle", region__code="450222")
                                .exists()),
    "api.run.create": Endpoint(lambda w: "/api/v1/screening/runs", "api-post", lambda w: {"pool": "gazelle",
                                                                                         "year": 2024},
                               lambda w: _gazelle_run()),
    "api.candidate.decision": Endpoint(lambda w: f"/api/v1/screening/candidates/{w.entry.pk}/decision", "api-post",
                                       lambda w: {"decision": "confirmed"}, _joined),
    "api.candidateB.decision": Endpoint(
        lambda w: f"/api/v1/screening/candidates/{w.entry_b.pk}/decision", "api-post",
        lambda w: {"decision": "confirmed"},
        lambda w: Candidate.objects.filter(pk=w.entry_b.pk, decision="confirmed").exists(),
    ),
    "api.run.decisions": Endpoint(lambda w: f"/api/v1/screening/runs/{w.a.pk}/decisions", "api-post",
                                  lambda w: {"decision": "confirmed", "candidates": [w.entry.pk]}, _joined),
    "api.expiring": Endpoint(lambda w: "/api/v1/screening/expiring", "api-get", shows="json"),
}  # fmt: skip

# Decisions answer 200: an action on existing records, not a creation.
OK_200 = {"api.candidate.decision", "api.run.decisions"}


def test_table_and_endpoints_agree():
    assert set(NAMES) == set(ENDPOINTS)


def db_state() -> dict:
    return snapshot(ScreeningRun, Candidate, PoolMembership)


def _texts(item) -> list[str]:
    if isinstance(item, ScreeningRun):
        return [item.region.code]
    return [item.organisation.name]


def shown(endpoint: Endpoint, response, world: World) -> set[str]:
    if endpoint.shows == "page":
        texts = [t for item in response.context["page"].object_list for t in _texts(item)]
    elif endpoint.shows == "json":
        texts = [str(v) for item in response.json()["items"] for v in item.values()]
    else:
        texts = [str(v) for row in xlsx_rows(response)[1:] for v in row]
    return {side for side, keys in SIDES.items() if any(k in texts for k in keys)}


@pytest.mark.parametrize("role", ROLE_VALUES)
@pytest.mark.parametrize("name", NAMES)
def test_role_on_endpoint(name, role, world, county, make_user, monkeypatch):
    import tests.permission_table as table

    if name in OK_200:
        monkeypatch.setitem(table.ALLOWED_STATUS, "api-post", 200)
    client = signed_in(user_for(role, make_user, county["first"]))
    check_cell(client, ENDPOINTS[name], EXPECT[(name, role)], world, db_state=db_state, shown=shown)


@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("api.")])
def test_anonymous_is_sent_to_sign_in(name, world):
    check_anonymous(ENDPOINTS[name], world, db_state=db_state)
