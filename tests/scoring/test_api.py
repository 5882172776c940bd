"""/api/v1/scoring: the models, one version with its criteria and bands, the ranking of a year and the scoring of
entered project values."""

import pytest

from kechuang.accounts.choices import Role
from kechuang.scoring.models import ScoringModel
from tests.permission_table import signed_in

pytestmark = pytest.mark.django_db


def test_list_and_detail(shubiao, make_user):
    client = signed_in(make_user(Role.LEADER))
    items = client.get("/api/v1/scoring/models?subject=enterprise").json()["items"]
    assert [(m["code"], m["version"], m["status"]) for m in items] == [("luzhai-shubiao", 1, "published")]
    detail = client.get(f"/api/v1/scoring/models/{shubiao.pk}").json()
    assert detail["pass_score"] == "60.00" and len(detail["criteria"]) == 7
    rd = detail["criteria"][0]
    assert (rd["code"], rd["field"], rd["weight"]) == ("rd", "rd_ratio", "25.00")
    assert rd["bands"][0] == {"lower": "1", "inclusive": True, "value": "10"}
    assert client.get("/api/v1/scoring/models/99999").status_code == 404


def test_evaluate_a_year(county, shubiao, make_user):
    rows = signed_in(make_user(Role.BUREAU_STAFF)).get(f"/api/v1/scoring/models/{shubiao.pk}/evaluate?year=2024").json()
    assert [(r["rank"], r["name"], r["total"], r["verdict"]) for r in rows] == [
        (1, "鹿寨甲科技有限公司", "81", "meets"), (2, "鹿寨丙机械有限公司", "56", "fails"),
        (3, "鹿寨乙材料有限公司", "20", "fails")]  # fmt: skip
    growth = rows[2]["items"][4]
    assert growth == {"code": "growth", "value": None, "band": "", "points": "0", "missing": True}
    assert rows[2]["missing"] == ["销售收入增长"]


def test_projects_by_post_and_the_wrong_method_explained(shubiao, make_user):
    client = signed_in(make_user(Role.BUREAU_ADMIN))
    project = ScoringModel.objects.get(code="luzhai-project")
    body = [{"name": "甲项目", "values": {"innovation": 90, "feasibility": 80, "benefit": 70, "team": None}}]
    [row] = client.send("post", f"/api/v1/scoring/models/{project.pk}/evaluate", body).json()
    assert (row["total"], row["verdict"], row["missing"]) == ("65", "meets", ["团队与条件"])
    response = client.get(f"/api/v1/scoring/models/{project.pk}/evaluate?year=2024")
    assert response.status_code == 400 and "请用 POST 提交" in response.json()["detail"]
    response = client.send("post", f"/api/v1/scoring/models/{shubiao.pk}/evaluate", body)
    assert response.status_code == 400 and "只有项目模型按录入值评分" in response.json()["detail"]


def test_the_calculator_and_its_schemes_by_api(county, shubiao, make_user, make_org):
    """The same statuses as the page: 甲 meets the 树标提质 scheme, 丙 nearly meets it within 10 % and fails it within
    5 %; an enterprise user gets its own organisation, named or not, and a 404 naming another."""
    key = f"model:{shubiao.pk}"
    bureau = signed_in(make_user(Role.BUREAU_STAFF))
    schemes = bureau.get("/api/v1/scoring/schemes").json()
    assert [s["key"] for s in schemes] == ["hte", "tsme", key]
    found = {s["key"]: s for s in bureau.get(f"/api/v1/scoring/calculator?uscc={county['first'].uscc}").json()}
    assert found[key]["status"] == "meets" and found[key]["score"] == "81" and {"hte", "tsme"} <= set(found)
    third = county["third"].uscc
    found = {s["key"]: s for s in bureau.get(f"/api/v1/scoring/calculator?uscc={third}&year=2024").json()}
    assert found[key]["status"] == "nearly" and "总分还差 4 分达到达标线 60 分" in found[key]["gaps"]
    found = {s["key"]: s for s in bureau.get(f"/api/v1/scoring/calculator?uscc={third}&margin=0.05").json()}
    assert found[key]["status"] == "fails"
    assert bureau.get(f"/api/v1/scoring/calculator?uscc={third}&year=2019").status_code == 404
    assert bureau.get(f"/api/v1/scoring/calculator?uscc={county['outside'].uscc}").status_code == 404
    assert bureau.get("/api/v1/scoring/calculator").status_code == 404
    empty = make_org(name="鹿寨戊新办企业有限公司", region="450223100")
    response = bureau.get(f"/api/v1/scoring/calculator?uscc={empty.uscc}")
    assert (response.status_code, response.json()["detail"]) == (404, "该单位还没有已审核的年度数据")
    assert bureau.get(f"/api/v1/scoring/calculator?uscc={third}&margin=2").status_code == 422
    own = signed_in(make_user(Role.ENTERPRISE, organisation=county["first"]))
    for named in ("", county["first"].uscc, county["first"].uscc.lower()):
        found = {s["key"]: s for s in own.get(f"/api/v1/scoring/calculator?uscc={named}").json()}
        assert found[key]["score"] == "81"
    response = own.get(f"/api/v1/scoring/calculator?uscc={third}")
    assert response.status_code == 404 and f"“{third}”不是您所在单位的" in response.json()["detail"]


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.BUREAU_ADMIN, 200), (Role.BUREAU_STAFF, 200), (Role.LEADER, 200), (Role.ENTERPRISE, 403),
     (Role.PROVIDER, 403), (Role.EXPERT, 403), (Role.SYSADMIN, 403), (Role.SECADMIN, 403), (Role.AUDITADMIN, 403)],
)  # fmt: skip
def test_the_free_benefit_list_by_api_is_the_bureaus(county, shubiao, make_user, role, status):
    user = make_user(role, organisation=county["first"] if role in (Role.ENTERPRISE, Role.PROVIDER) else None)
    response = signed_in(user).get(f"/api/v1/scoring/schemes/model:{shubiao.pk}/candidates?year=2024")
    assert response.status_code == status
    if status == 200:
        assert [(c["uscc"], c["status"], c["score"]) for c in response.json()] == [
            (county["first"].uscc, "meets", "81")
        ]
