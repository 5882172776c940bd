"""Stored evaluations: the rule-set version recorded once, each organisation's result with the inputs it used, history,
reproducibility after the rules change, and who may store and read them (a test per role and endpoint)."""

import datetime
import json
from decimal import Decimal

import pytest

from kechuang.accounts.choices import Role
from kechuang.core.models import AuditLog
from kechuang.evaluation import tsme
from kechuang.evaluation.common import decode, encode
from kechuang.evaluation.models import EvaluationResult, RuleSetVersion
from kechuang.evaluation.rules import from_source, ruleset
from kechuang.evaluation.services import evaluations_store, reproduce
from tests.evaluation.test_api import client_for
from tests.evaluation.test_hte import firm as hte_firm
from tests.evaluation.test_selectors import county  # noqa: F401  (the fixture)
from tests.ip.conftest import make_patent  # noqa: F401  (the fixture used by county)

pytestmark = pytest.mark.django_db
STORE = {Role.BUREAU_ADMIN, Role.BUREAU_STAFF}
READ = {
    Role.BUREAU_ADMIN: ["鹿寨甲科技有限公司", "鹿寨乙材料有限公司"],
    Role.BUREAU_STAFF: ["鹿寨甲科技有限公司", "鹿寨乙材料有限公司"],
    Role.LEADER: ["鹿寨甲科技有限公司", "鹿寨乙材料有限公司"],
    Role.ENTERPRISE: ["鹿寨乙材料有限公司"],
    Role.PROVIDER: ["鹿寨乙材料有限公司"],
}


def test_results_are_stored_with_the_rule_set_version_and_their_inputs(county, make_user):  # noqa: F811
    staff = make_user(Role.BUREAU_STAFF)
    version, stored = evaluations_store(actor=staff, kind="tsme", year=2024)
    assert stored == 2 and version.digest == ruleset("tsme").digest and version.source == ruleset("tsme").source
    rows = list(EvaluationResult.objects.filter(kind="tsme", year=2024).order_by("organisation_id"))
    assert [r.organisation.name for r in rows] == ["鹿寨甲科技有限公司", "鹿寨乙材料有限公司"]  # not 丁, outside
    first = rows[0]
    assert (first.verdict, first.total_min, first.total_max, first.route) == ("fails", 72, 72, "score")
    assert first.inputs["sales_revenue"] == "12100000.00" and first.computed_by == staff and first.current
    assert AuditLog.objects.filter(content_type__model="evaluationresult").count() == 2
    # Stored again: one version still, the earlier results kept as history.
    evaluations_store(actor=staff, kind="tsme", year=2024)
    assert RuleSetVersion.objects.count() == 1
    assert EvaluationResult.objects.filter(kind="tsme", year=2024).count() == 4
    assert EvaluationResult.objects.filter(kind="tsme", year=2024, current=True).count() == 2


def test_a_stored_result_is_reproduced_after_the_rules_change(county, make_user):  # noqa: F811
    evaluations_store(actor=make_user(Role.BUREAU_STAFF), kind="tsme", year=2024)
    stored = EvaluationResult.objects.get(organisation=county["first"], kind="tsme", year=2024, current=True)
    assert reproduce(stored) == stored.result
    # A later rule set that asks for 80 points: the same inputs now score below it; the stored one is unchanged.
    stricter = from_source(stored.ruleset.source.replace("score: {min: 60}", "score: {min: 80}"))
    today = tsme.evaluate([decode(stored.inputs)], stricter)[0]
    assert next(c for c in today["conditions"] if c["code"] == "score")["threshold"] == 80
    assert next(c for c in stored.result["conditions"] if c["code"] == "score")["threshold"] == 60
    assert reproduce(stored) == stored.result


def test_inputs_survive_the_json_round_trip():
    record = hte_firm()
    assert decode(json.loads(json.dumps(encode(record)))) == record
    assert encode(record)["registration_date"] == "2015-01-01" and encode(record)["staff_total"] == "100"
    assert decode(encode({"st_staff": None, "total_assets": Decimal("1.50")})) == {
        "st_staff": None, "total_assets": Decimal("1.50")
    }  # fmt: skip
    assert decode({"application_date": "2025-06-01"})["application_date"] == datetime.date(2025, 6, 1)


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_storing_and_reading_per_role(role, county, make_user):  # noqa: F811
    organisation = county["second"] if role in (Role.ENTERPRISE, Role.PROVIDER) else None
    user = make_user(role, organisation=organisation, region="450223101" if organisation else "450223")
    client = client_for(user)
    response = client.post("/api/v1/evaluation/hte/results?year=2024")
    if role in STORE:
        assert response.status_code == 201, response.content
        assert response.json()["stored"] == 2 and response.json()["ruleset"].startswith("高新技术企业认定 2016")
    else:
        assert response.status_code == 403
        assert not EvaluationResult.objects.exists()
        evaluations_store(actor=None, kind="hte", year=2024)  # stored by the system, to be read below
    response = client.get("/api/v1/evaluation/hte/results?year=2024")
    if role not in READ:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["items"]] == READ[role]
