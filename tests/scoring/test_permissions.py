"""Who may use which page and API endpoint of the scoring models, written by hand from the role semantics.

The bureau administrator keeps the models (create, edit, publish, new version, retire, delete a draft); staff and
leaders read them, rank with them and export; both bureau roles but not leaders store results. The 免申即享 list is
the bureau's. Enterprise and provider users reach published schemes only through the policy calculator (their own
organisation). Side A is 鹿寨甲 (鹿寨县), side B 柳城丁 (柳城县), outside every user's scope.

The cells (Y . 4) mean what ``tests/permission_table.py`` says.
"""

from dataclasses import dataclass

import pytest

from kechuang.scoring import services
from kechuang.scoring.forms import criteria_initial
from kechuang.scoring.models import Criterion, ScoringModel, ScoringResult
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

pytestmark = pytest.mark.django_db

EXPECTED = """
                              sys sec aud adm stf ldr ent exp prv
model.list                     .   .   .   Y   Y   Y   .   .   .
model.export                   .   .   .   Y   Y   Y   .   .   .
model.detail                   .   .   .   Y   Y   Y   .   .   .
model.create.get               .   .   .   Y   .   .   .   .   .
model.create.post              .   .   .   Y   .   .   .   .   .
model.edit.get                 .   .   .   Y   .   .   .   .   .
model.edit.post                .   .   .   Y   .   .   .   .   .
model.publish                  .   .   .   Y   .   .   .   .   .
model.new_version              .   .   .   Y   .   .   .   .   .
model.retire                   .   .   .   Y   .   .   .   .   .
model.delete                   .   .   .   Y   .   .   .   .   .
evaluate.get                   .   .   .   Y   Y   Y   .   .   .
evaluate.export                .   .   .   Y   Y   Y   .   .   .
evaluate.store                 .   .   .   Y   Y   .   .   .   .
candidates.get                 .   .   .   Y   Y   Y   .   .   .
candidates.export              .   .   .   Y   Y   Y   .   .   .
calculator.get                 .   .   .   Y   Y   Y   Y   .   Y
api.model.list                 .   .   .   Y   Y   Y   .   .   .
api.model.detail               .   .   .   Y   Y   Y   .   .   .
api.evaluate                   .   .   .   Y   Y   Y   .   .   .
api.evaluate.project           .   .   .   Y   Y   Y   .   .   .
"""

EXPECT = parse(EXPECTED)
NAMES = row_names(EXPECT)


@dataclass
class World:
    county: dict
    shubiao: ScoringModel
    draft: ScoringModel


@pytest.fixture
def world(county, shubiao) -> World:
    return World(county, shubiao, services.model_new_version(actor=None, model=shubiao))


def _model(code: str) -> ScoringModel:
    return ScoringModel.objects.get(code=code, version=1)


def _form(model: ScoringModel, **changes) -> dict:
    data = {"name": model.name, "purpose": model.purpose, "total": "100", "pass_score": "60", "c-TOTAL_FORMS": "7",
            "c-INITIAL_FORMS": "0", "c-MIN_NUM_FORMS": "0", "c-MAX_NUM_FORMS": "1000"}  # fmt: skip
    for i, row in enumerate(criteria_initial(model)):
        data |= {f"c-{i}-{k}": v for k, v in row.items()}
    return data | changes


def _new_model() -> dict:
    return {"code": "new-model", "name": "新模型", "subject": "enterprise", "total": "100", "c-TOTAL_FORMS": "1",
            "c-INITIAL_FORMS": "0", "c-MIN_NUM_FORMS": "0", "c-MAX_NUM_FORMS": "1000", "c-0-code": "hte",
            "c-0-name": "高企", "c-0-field": "hte_valid", "c-0-weight": "100", "c-0-unit": "points",
            "c-0-bands": ">= 1 : 100"}  # fmt: skip


ENDPOINTS = {
    "model.list": Endpoint(lambda w: "/scoring/"),
    "model.export": Endpoint(lambda w: "/scoring/?export=xlsx"),
    "model.detail": Endpoint(lambda w: f"/scoring/{w.shubiao.pk}/"),
    "model.create.get": Endpoint(lambda w: "/scoring/new/"),
    "model.create.post": Endpoint(
        lambda w: "/scoring/new/",
        "post",
        lambda w: _new_model(),
        lambda w: ScoringModel.objects.filter(code="new-model").exists(),
    ),
    "model.edit.get": Endpoint(lambda w: f"/scoring/{w.draft.pk}/edit/"),
    "model.edit.post": Endpoint(
        lambda w: f"/scoring/{w.draft.pk}/edit/",
        "post",
        lambda w: _form(w.draft, name="改名"),
        lambda w: ScoringModel.objects.filter(pk=w.draft.pk, name="改名").exists(),
    ),
    "model.publish": Endpoint(
        lambda w: f"/scoring/{w.draft.pk}/publish/",
        "post",
        lambda w: {},
        lambda w: ScoringModel.objects.filter(pk=w.draft.pk, status="published").exists(),
    ),
    "model.new_version": Endpoint(
        lambda w: f"/scoring/{_model('luzhai-talent').pk}/new-version/",
        "post",
        lambda w: {},
        lambda w: ScoringModel.objects.filter(code="luzhai-talent", version=2).exists(),
    ),
    "model.retire": Endpoint(
        lambda w: f"/scoring/{_model('luzhai-achievement').pk}/retire/",
        "post",
        lambda w: {},
        lambda w: ScoringModel.objects.filter(code="luzhai-achievement", status="retired").exists(),
    ),
    "model.delete": Endpoint(
        lambda w: f"/scoring/{w.draft.pk}/delete/",
        "post",
        lambda w: {},
        lambda w: not ScoringModel.objects.filter(pk=w.draft.pk).exists(),
    ),
    "evaluate.get": Endpoint(lambda w: f"/scoring/{w.shubiao.pk}/evaluate/?year=2024", shows="page"),
    "evaluate.export": Endpoint(lambda w: f"/scoring/{w.shubiao.pk}/evaluate/?year=2024&export=xlsx", shows="xlsx"),
    "evaluate.store": Endpoint(
        lambda w: f"/scoring/{w.shubiao.pk}/evaluate/",
        "post",
        lambda w: {"year": "2024"},
        lambda w: ScoringResult.objects.filter(model=w.shubiao, subject_name="鹿寨甲科技有限公司").exists(),
    ),
    "candidates.get": Endpoint(
        lambda w: f"/scoring/candidates/?scheme=model:{w.shubiao.pk}&year=2024", shows="candidates"
    ),
    "candidates.export": Endpoint(
        lambda w: f"/scoring/candidates/?scheme=model:{w.shubiao.pk}&year=2024&export=xlsx", shows="xlsx"
    ),
    "calculator.get": Endpoint(lambda w: f"/evaluation/?uscc={w.county['first'].uscc}"),
    "api.model.list": Endpoint(lambda w: "/api/v1/scoring/models", "api-get"),
    "api.model.detail": Endpoint(lambda w: f"/api/v1/scoring/models/{w.shubiao.pk}", "api-get"),
    "api.evaluate": Endpoint(
        lambda w: f"/api/v1/scoring/models/{w.shubiao.pk}/evaluate?year=2024", "api-get", shows="json"
    ),
    "api.evaluate.project": Endpoint(
        lambda w: f"/api/v1/scoring/models/{_model('luzhai-project').pk}/evaluate",
        "api-post",
        lambda w: [{"name": "甲项目", "values": {"innovation": 90, "feasibility": 80, "benefit": 70, "team": 60}}],
    ),
}
OK_200 = {"api.evaluate.project"}  # a computation, not a creation


def test_table_and_endpoints_agree():
    assert set(NAMES) == set(ENDPOINTS)


def db_state() -> dict:
    return snapshot(ScoringModel, Criterion, ScoringResult)


def shown(endpoint: Endpoint, response, world: World) -> set[str]:
    if endpoint.shows == "page":
        names = {row.name for row in response.context["rows"] or []}
    elif endpoint.shows == "candidates":
        names = {row.name for row in response.context["rows"]}
    elif endpoint.shows == "json":
        names = {item["name"] for item in response.json()}
    else:
        names = {row[1] for row in xlsx_rows(response)[1:]}
    return {side for side, name in (("a", "鹿寨甲科技有限公司"), ("b", "柳城丁机械有限公司")) if name in names}


@pytest.mark.parametrize("role", ROLE_VALUES)
@pytest.mark.parametrize("name", NAMES)
def test_role_on_endpoint(name, role, world, make_user, monkeypatch):
    import tests.permission_table as table

    if name in OK_200:
        monkeypatch.setitem(table.ALLOWED_STATUS, "api-post", 200)
    client = signed_in(user_for(role, make_user, world.county["first"]))
    check_cell(client, ENDPOINTS[name], EXPECT[(name, role)], world, db_state=db_state, shown=shown)


@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("api.")])
def test_anonymous_is_sent_to_sign_in(name, world):
    check_anonymous(ENDPOINTS[name], world, db_state=db_state)
