"""Who may use which page and API endpoint of plan monitoring, written by hand from the role semantics.

Bureau roles belong to 鹿寨县 (450223). The bureau administrator keeps plan definitions (edit, revise targets) and
approves statistics; staff enter and submit statistics and run assessments; the leader reads and exports. Plan A
belongs to 鹿寨县, plan B to 柳城县 (450222), outside every user's scope. Enterprise and provider users, experts and
the three administrators see none of it.

The cells (Y . 4) mean what ``tests/permission_table.py`` says.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from kechuang.plans.models import Assessment, Indicator, IndicatorResult, Observation, Plan, TargetRevision
from kechuang.plans.services import assessment_run, observation_enter, plan_import
from kechuang.regions.models import Region
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
from tests.plans.conftest import plan_data
from tests.web.conftest import xlsx_rows

pytestmark = pytest.mark.django_db

EXPECTED = """
                              sys sec aud adm stf ldr ent exp prv
plan.list                      .   .   .   Y   Y   Y   .   .   .
plan.export                    .   .   .   Y   Y   Y   .   .   .
plan.detail                    .   .   .   Y   Y   Y   .   .   .
plan.yaml                      .   .   .   Y   Y   Y   .   .   .
plan.import.get                .   .   .   Y   .   .   .   .   .
plan.edit.post                 .   .   .   Y   .   .   .   .   .
plan.create.post               .   .   .   Y   .   .   .   .   .
indicator.create.post          .   .   .   Y   .   .   .   .   .
indicator.detail               .   .   .   Y   Y   Y   .   .   .
indicator.edit.post            .   .   .   Y   .   .   .   .   .
indicator.revise.post          .   .   .   Y   .   .   .   .   .
assessment.get                 .   .   .   Y   Y   Y   .   .   .
assessment.export              .   .   .   Y   Y   Y   .   .   .
assessment.run                 .   .   .   Y   Y   .   .   .   .
records.get                    .   .   .   Y   Y   Y   .   .   .
observation.list               .   .   .   Y   Y   Y   .   .   .
observation.detail             .   .   .   Y   Y   Y   .   .   .
observation.create.post        .   .   .   Y   Y   .   .   .   .
observation.submit             .   .   .   Y   Y   .   .   .   .
observation.approve            .   .   .   Y   .   .   .   .   .
observation.import.get         .   .   .   Y   Y   .   .   .   .
planB.detail                   .   .   .   4   4   4   .   .   .
planB.assessment               .   .   .   4   4   4   .   .   .
planA.regionB.assessment       .   .   .   4   4   4   .   .   .
observationB.detail            .   .   .   4   4   4   .   .   .
observationB.approve           .   .   .   4   4   4   .   .   .
api.plan.list                  .   .   .   Y   Y   Y   .   .   .
api.plan.detail                .   .   .   Y   Y   Y   .   .   .
api.assessment.get             .   .   .   Y   Y   Y   .   .   .
api.assessment.post            .   .   .   Y   Y   .   .   .   .
api.records                    .   .   .   Y   Y   Y   .   .   .
api.observation.create         .   .   .   Y   Y   .   .   .   .
api.observation.approve        .   .   .   Y   .   .   .   .   .
api.planB.detail               .   .   .   4   4   4   .   .   .
api.planB.assessment           .   .   .   4   4   4   .   .   .
"""

EXPECT = parse(EXPECTED)
NAMES = row_names(EXPECT)


@dataclass
class World:
    a: Plan
    b: Plan
    observation_a: Observation
    observation_b: Observation
    draft: Observation | None = None


def _observation(plan: Plan, region: str, year: int, value: int) -> Observation:
    observation, _ = observation_enter(
        actor=None,
        indicator=plan.indicators.get(code="a"),
        region=Region.objects.get(code=region),
        year=year,
        value=Decimal(value),
        source="统计公报",
        vintage="年报",
    )
    return observation


@pytest.fixture
def world(regions) -> World:
    a, _ = plan_import(actor=None, data=plan_data("plan-a"))
    b, _ = plan_import(actor=None, data=plan_data("plan-b", region="450222"))
    world = World(a, b, _observation(a, "450223", 2021, 120), _observation(b, "450222", 2021, 90))
    from kechuang.plans.services import observation_submit

    observation_submit(actor=None, observation=world.observation_a)
    observation_submit(actor=None, observation=world.observation_b)
    assessment_run(actor=None, plan=a, region=a.region, year=2021)
    assessment_run(actor=None, plan=b, region=b.region, year=2021)
    world.draft = _observation(a, "450223", 2023, 140)
    return world


def _indicator(w) -> Indicator:
    return w.a.indicators.get(code="a")


def indicator_form(**changes) -> dict:
    data = {"group": "专栏2", "name": "指标a", "unit": "家", "precision": 0, "growth_precision": 2, "kind": "level",
            "direction": "increase", "attribute": "expected", "baseline": "100", "show_cagr": "on", "metric": "",
            "definition": "", "source": "", "department": "", "frequency": ""}  # fmt: skip
    return {**data, **changes}


def plan_form(**changes) -> dict:
    data = {"name": "测试规划", "status": "active", "threshold_ahead": "1.10", "threshold_on_track": "0.90",
            "threshold_on_track_binding": "1.00", "threshold_lagging": "0.60", "notes": ""}  # fmt: skip
    return {**data, **changes}


def _county() -> Region:
    return Region.objects.get(code="450223")


def _runs(w) -> int:
    return Assessment.objects.filter(plan=w.a).count()


ENDPOINTS = {
    "plan.list": Endpoint(lambda w: "/plans/", shows="page"),
    "plan.export": Endpoint(lambda w: "/plans/?export=xlsx", shows="xlsx"),
    "plan.detail": Endpoint(lambda w: "/plans/plan-a/"),
    "plan.yaml": Endpoint(lambda w: "/plans/plan-a/export.yaml"),
    "plan.import.get": Endpoint(lambda w: "/plans/import/"),
    "plan.edit.post": Endpoint(
        lambda w: "/plans/plan-a/edit/",
        "post",
        lambda w: plan_form(name="改名规划"),
        lambda w: Plan.objects.filter(code="plan-a", name="改名规划").exists(),
    ),
    "plan.create.post": Endpoint(
        lambda w: "/plans/new/",
        "post",
        lambda w: plan_form(name="新规划", code="plan-new", region=_county().pk, baseline_year=2020, target_year=2025),
        lambda w: Plan.objects.filter(code="plan-new", region__code="450223").exists(),
    ),
    "indicator.create.post": Endpoint(
        lambda w: "/plans/plan-a/indicators/new/",
        "post",
        lambda w: indicator_form(code="c", target="300", name="新指标"),
        lambda w: Indicator.objects.filter(plan=w.a, code="c", target=300, position=3).exists(),
    ),
    "indicator.detail": Endpoint(lambda w: "/plans/plan-a/indicators/a/"),
    "indicator.edit.post": Endpoint(
        lambda w: "/plans/plan-a/indicators/a/edit/",
        "post",
        lambda w: indicator_form(department="县科工贸局"),
        lambda w: Indicator.objects.filter(plan=w.a, code="a", department="县科工贸局").exists(),
    ),
    "indicator.revise.post": Endpoint(
        lambda w: "/plans/plan-a/indicators/a/revise/",
        "post",
        lambda w: {"date": "2023-06-30", "target": "220", "document": "鹿政发〔2023〕1号"},
        lambda w: TargetRevision.objects.filter(indicator__plan=w.a, target=Decimal(220)).exists(),
    ),
    "assessment.get": Endpoint(lambda w: "/plans/plan-a/assessment/?year=2021"),
    "assessment.export": Endpoint(lambda w: "/plans/plan-a/assessment/?year=2021&export=xlsx"),
    "assessment.run": Endpoint(
        lambda w: "/plans/plan-a/assessment/?year=2022", "post", lambda w: {}, lambda w: _runs(w) == 2
    ),
    "records.get": Endpoint(lambda w: "/plans/plan-a/indicators/a/records/?year=2021"),
    "observation.list": Endpoint(lambda w: "/plans/observations/", shows="page"),
    "observation.detail": Endpoint(lambda w: f"/plans/observations/{w.observation_a.pk}/"),
    "observation.create.post": Endpoint(
        lambda w: "/plans/observations/new/",
        "post",
        lambda w: {
            "indicator": _indicator(w).pk,
            "region": Region.objects.get(code="450223").pk,
            "year": 2022,
            "value": "130",
            "source": "统计公报",
            "vintage": "年报",
        },
        lambda w: Observation.objects.filter(indicator__plan=w.a, year=2022, value=130).exists(),
    ),
    "observation.submit": Endpoint(
        lambda w: f"/plans/observations/{w.draft.pk}/submit/",
        "post",
        lambda w: {},
        lambda w: Observation.objects.filter(indicator__plan=w.a, year=2023, status="submitted").exists(),
    ),
    "observation.approve": Endpoint(
        lambda w: f"/plans/observations/{w.observation_a.pk}/approve/",
        "post",
        lambda w: {},
        lambda w: Observation.objects.filter(pk=w.observation_a.pk, status="approved").exists(),
    ),
    "observation.import.get": Endpoint(lambda w: "/plans/observations/import/"),
    "planB.detail": Endpoint(lambda w: "/plans/plan-b/"),
    "planB.assessment": Endpoint(lambda w: "/plans/plan-b/assessment/?year=2021"),
    "planA.regionB.assessment": Endpoint(lambda w: "/plans/plan-a/assessment/?year=2021&region=450222"),
    "observationB.detail": Endpoint(lambda w: f"/plans/observations/{w.observation_b.pk}/"),
    "observationB.approve": Endpoint(
        lambda w: f"/plans/observations/{w.observation_b.pk}/approve/",
        "post",
        lambda w: {},
        lambda w: Observation.objects.filter(pk=w.observation_b.pk, status="approved").exists(),
    ),
    "api.plan.list": Endpoint(lambda w: "/api/v1/plans/", "api-get", shows="json"),
    "api.plan.detail": Endpoint(lambda w: "/api/v1/plans/plan-a", "api-get"),
    "api.assessment.get": Endpoint(lambda w: "/api/v1/plans/plan-a/assessment?year=2021", "api-get"),
    "api.assessment.post": Endpoint(
        lambda w: "/api/v1/plans/plan-a/assessment?year=2022", "api-post", lambda w: {}, lambda w: _runs(w) == 2
    ),
    "api.records": Endpoint(lambda w: "/api/v1/plans/plan-a/indicators/a/records?year=2021", "api-get"),
    "api.observation.create": Endpoint(
        lambda w: "/api/v1/plans/plan-a/observations",
        "api-post",
        lambda w: {"indicator": "a", "region": "450223", "year": 2024, "value": "150", "source": "统计公报"},
        lambda w: Observation.objects.filter(indicator__plan=w.a, year=2024, value=150).exists(),
    ),
    "api.observation.approve": Endpoint(
        lambda w: f"/api/v1/plans/observations/{w.observation_a.pk}/approve",
        "api-post",
        lambda w: {},
        lambda w: Observation.objects.filter(pk=w.observation_a.pk, status="approved").exists(),
    ),
    "api.planB.detail": Endpoint(lambda w: "/api/v1/plans/plan-b", "api-get"),
    "api.planB.assessment": Endpoint(lambda w: "/api/v1/plans/plan-b/assessment?year=2021", "api-get"),
}

# The approve endpoint answers 200 (an action, not a creation), like the assessment POST answers the assessment.
OK_200 = {"api.observation.approve", "api.assessment.post"}


def test_table_and_endpoints_agree():
    assert set(NAMES) == set(ENDPOINTS)


def db_state() -> dict:
    return snapshot(Plan, Indicator, TargetRevision, Observation, Assessment, IndicatorResult)


def shown(endpoint: Endpoint, response, world: World) -> set[str]:
    if endpoint.shows == "page":
        rows = response.context["page"].object_list
        texts = {getattr(r, "code", None) or r.indicator.plan.code for r in rows}
    elif endpoint.shows == "json":
        texts = {item["code"] for item in response.json()}
    else:
        texts = {row[0] for row in xlsx_rows(response)[1:]}
    return {side for side, code in (("a", "plan-a"), ("b", "plan-b")) if code in texts}


@pytest.mark.parametrize("role", ROLE_VALUES)
@pytest.mark.parametrize("name", NAMES)
def test_role_on_endpoint(name, role, world, make_user, make_org, monkeypatch):
    import tests.permission_table as table

    if name in OK_200:
        monkeypatch.setitem(table.ALLOWED_STATUS, "api-post", 200)
    client = signed_in(user_for(role, make_user, lambda: make_org(name="鹿寨甲科技有限公司", region="450223100")))
    check_cell(client, ENDPOINTS[name], EXPECT[(name, role)], world, db_state=db_state, shown=shown)


@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("api.")])
def test_anonymous_is_sent_to_sign_in(name, world):
    check_anonymous(ENDPOINTS[name], world, db_state=db_state)
