"""Evaluating a model over every subject in a user's scope: the field values read from the master file, the ranking,
missing data named, and the scope of each role."""

from decimal import Decimal

import pytest

from kechuang.accounts.choices import Role
from kechuang.core.exceptions import AccessDenied
from kechuang.scoring import fields, selectors
from kechuang.scoring.models import ScoringModel

pytestmark = pytest.mark.django_db


def test_enterprise_fields_from_the_master_file(county, make_user):
    population = fields.enterprises(user=make_user(Role.BUREAU_STAFF), year=2024)
    first = population.row(population.ids.index(county["first"].pk))
    assert first["revenue"] == Decimal(1200)  # 万元
    assert first["rd_ratio"] == Decimal(6)  # 72 万 of 1,200 万, in per cent
    assert first["st_staff_ratio"] == Decimal(25)
    assert first["revenue_growth"] == Decimal(20)  # 1,000 万 → 1,200 万
    assert first["net_assets_growth"] == Decimal(0)
    assert (first["class1_ip"], first["class2_ip"], first["hte_valid"], first["conversions"]) == (1, 0, 1, 1)
    second = population.row(population.ids.index(county["second"].pk))
    assert second["revenue_growth"] is None and second["net_assets_growth"] is None  # no 2023: missing, not zero
    third = population.row(population.ids.index(county["third"].pk))
    assert (third["class2_ip"], third["hte_valid"]) == (3, 0)


def test_ranking_with_points_and_missing_data(county, shubiao, make_user):
    rows = selectors.evaluate(user=make_user(Role.BUREAU_ADMIN), model=shubiao, year=2024)
    assert [(r.rank, r.name, r.outcome.total, r.outcome.verdict) for r in rows] == [
        (1, "鹿寨甲科技有限公司", Decimal(81), "meets"),  # 25 + 15 + 10 + 0 + 15 + 6 + 10
        (2, "鹿寨丙机械有限公司", Decimal(56), "fails"),  # 18 + 15 + 0 + 7 + 10 + 6 + 0
        (3, "鹿寨乙材料有限公司", Decimal(20), "fails"),  # 10 + 10; growth missing (15 could not reach 60)
    ]
    assert rows[2].outcome.missing == ["销售收入增长"]
    growth = rows[2].outcome.items[4]
    assert (growth.value, growth.points, growth.missing) == (None, Decimal(0), True)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.BUREAU_ADMIN, {"鹿寨甲科技有限公司", "鹿寨乙材料有限公司", "鹿寨丙机械有限公司"}),
        (Role.BUREAU_STAFF, {"鹿寨甲科技有限公司", "鹿寨乙材料有限公司", "鹿寨丙机械有限公司"}),
        (Role.LEADER, {"鹿寨甲科技有限公司", "鹿寨乙材料有限公司", "鹿寨丙机械有限公司"}),
        (Role.ENTERPRISE, {"鹿寨乙材料有限公司"}),
    ],
)
def test_scope_per_role(role, expected, county, shubiao, make_user):
    organisation = county["second"] if role == Role.ENTERPRISE else None
    user = make_user(role, organisation=organisation)
    assert {r.name for r in selectors.evaluate(user=user, model=shubiao, year=2024)} == expected


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.EXPERT, Role.AUDITADMIN])
def test_roles_without_the_data_are_refused(role, county, shubiao, make_user):
    with pytest.raises(AccessDenied):
        selectors.evaluate(user=make_user(role, region=None), model=shubiao, year=2024)


def test_a_county_user_of_another_county_sees_only_its_own(county, shubiao, make_user):
    user = make_user(Role.BUREAU_STAFF, region="450222")
    assert [r.name for r in selectors.evaluate(user=user, model=shubiao, year=2024)] == ["柳城丁机械有限公司"]


def test_achievements_and_talent(registries, make_user):
    user = make_user(Role.BUREAU_STAFF)
    achievement = ScoringModel.objects.get(code="luzhai-achievement")
    [row] = selectors.evaluate(user=user, model=achievement, year=2024)
    # applied 20 + 国内领先 (4) 20 + one conversion 10 + 80 万 12 + 自治区级 award 10
    assert (row.name, row.outcome.total) == ("石墨烯粉体制备", Decimal(72))
    assert selectors.evaluate(user=user, model=achievement, year=2023) == []  # registered in 2024
    talent = ScoringModel.objects.get(code="luzhai-talent")
    rows = selectors.evaluate(user=user, model=talent, year=2024)
    assert [(r.name, r.outcome.total, r.outcome.missing) for r in rows] == [
        ("张博士", Decimal(100), []),
        ("李工", Decimal(0), ["学历"]),
    ]
    # The senior title was obtained in 2020: in 2019 it does not count.
    assert selectors.evaluate(user=user, model=talent, year=2019)[0].outcome.total == Decimal(70)


def test_projects_are_scored_from_entered_values():
    project = ScoringModel.objects.get(code="luzhai-project")
    d = Decimal
    rows = selectors.evaluate_entered(model=project, entries=[
        ("甲项目", {"innovation": d(90), "feasibility": d(80), "benefit": d(70), "team": d(60)}),
        ("乙项目", {"innovation": d(95), "feasibility": d(95), "benefit": None, "team": d(95)}),
    ])  # fmt: skip
    # 甲: 30 + 25×0.8 + 25×0.6 + 20×0.6 = 77; 乙: 30 + 25 + 0 + 20 = 75, 预期效益 missing.
    assert [(r.name, r.outcome.total, r.outcome.verdict) for r in rows] == [
        ("甲项目", Decimal(77), "meets"), ("乙项目", Decimal(75), "meets")]  # fmt: skip
    assert rows[1].outcome.missing == ["预期效益"]


def test_the_queries_do_not_grow_with_the_subjects(county, shubiao, make_user, make_org, django_assert_max_num_queries):
    from tests.scoring.conftest import figures

    user = make_user(Role.BUREAU_STAFF)
    user.region  # noqa: B018  (loaded once, as a request's user is)
    with django_assert_max_num_queries(20) as few:
        selectors.evaluate(user=user, model=shubiao, year=2024)
    for i in range(12):
        organisation = make_org(name=f"鹿寨新{i}科技有限公司", region="450223100")
        figures(organisation, 2023, sales="1000000", rd="10000")
        figures(organisation, 2024, sales="1200000", rd="30000")
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = selectors.evaluate(user=user, model=shubiao, year=2024)
    assert len(rows) == 15
