"""Pages of plan monitoring beyond the permission table: scope inside a city's plan, the roll-up, the drill-down,
and what the assessment page says."""

import datetime
from decimal import Decimal

import pytest

from kechuang.accounts.choices import Role
from kechuang.plans.models import Assessment
from kechuang.plans.services import assessment_run, plan_import
from tests.plans.conftest import indicator, plan_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_plan(regions):
    plan, _ = plan_import(actor=None, data=plan_data("liuzhou-14", region="450200"))
    return plan


def test_a_plan_is_seen_from_its_region_and_above(city_plan, make_user, login, observe):
    """A city's plan belongs to the city: its leaders see every county in it; a county's leader does not see it."""
    observe(city_plan, "a", 2021, 120, region="450223")
    assessment_run(actor=None, plan=city_plan, region=city_plan.region.children.get(code="450223"), year=2021)
    city = login(make_user(Role.LEADER, region="450200"))
    page = city.get("/plans/liuzhou-14/assessment/?region=450223&year=2021")
    assert page.status_code == 200 and page.context["run"] is not None
    # The picker offers the way down from the city and the county's townships, not the whole subtree.
    codes = [r.code for r in page.context["regions"]]
    assert codes[:2] == ["450200", "450223"] and "450222" not in codes
    assert codes[2:] and all(c.startswith("450223") and len(c) > 6 for c in codes[2:])
    county = login(make_user(Role.LEADER, region="450223"))
    for url in (
        "/plans/liuzhou-14/",
        "/plans/liuzhou-14/assessment/?region=450223&year=2021",
        "/plans/liuzhou-14/indicators/a/records/?region=450223&year=2021",
        "/api/v1/plans/liuzhou-14/assessment?region=450223&year=2021",
    ):
        assert county.get(url).status_code == 404, url


def test_the_roll_up_assesses_the_city_and_each_county(city_plan, make_user, login, observe):
    observe(city_plan, "a", 2021, 120, region="450223")
    staff = login(make_user(Role.BUREAU_STAFF, region="450200"))
    response = staff.post("/plans/liuzhou-14/assessment/?region=450200&year=2021", {"children": "1"})
    assert response.status_code == 302
    counties = city_plan.region.children.valid_on(datetime.date(2021, 12, 31)).count()  # not the abolished 柳江县
    assert Assessment.objects.filter(plan=city_plan, year=2021, current=True).count() == 1 + counties
    luzhai = Assessment.objects.get(plan=city_plan, year=2021, region__code="450223")
    assert luzhai.results.get(indicator__code="a").actual == Decimal(120)


def test_the_assessment_page_explains_each_status(make_plan, observe, bureau_admin_client):
    plan = make_plan(indicators=[indicator("a"), indicator("c", baseline=None, target=Decimal(10))])
    observe(plan, "a", 2021, 104)
    observe(plan, "c", 2021, 5)
    client = bureau_admin_client
    assert "尚未评估" in client.get("/plans/test-14/assessment/?year=2021").content.decode()
    client.post("/plans/test-14/assessment/?year=2021")
    page = client.get("/plans/test-14/assessment/?year=2021").content.decode()
    # a: 100 → 200 over five years; 2021 expects 100·2^(1/5) ≈ 114.87, so 104 gives P ≈ 0.27: serious.
    assert "严重滞后" in page and "进度比 P = 0.27" in page
    # c has no baseline: no progress ratio, so no status until the target is met.
    assert "没有基期值" in page
    assert "下载监测评估报告" in page


def test_the_drill_down_lists_the_observations_used(make_plan, observe, bureau_admin_client):
    plan = make_plan()
    used = observe(plan, "a", 2021, 104, source="鹿寨县2021年统计公报")
    observe(plan, "a", 2022, 110, source="鹿寨县2022年统计公报")
    page = bureau_admin_client.get("/plans/test-14/indicators/a/records/?year=2021")
    assert [o.pk for o in page.context["page"].object_list] == [used.pk]
    assert page.context["values"] == {2021: Decimal(104)}


@pytest.fixture
def bureau_admin_client(make_user, login):
    return login(make_user(Role.BUREAU_ADMIN))


def test_the_indicator_form_refuses_a_unit_its_metric_cannot_give(make_plan, bureau_admin_client):
    make_plan()
    data = {"group": "专栏2", "name": "指标a", "unit": "亿", "precision": 0, "growth_precision": 2, "kind": "level",
            "direction": "increase", "attribute": "expected", "baseline": "100", "show_cagr": "on",
            "metric": "hte.revenue", "definition": "", "source": "", "department": "", "frequency": ""}  # fmt: skip
    page = bureau_admin_client.post("/plans/test-14/indicators/a/edit/", data)
    assert page.status_code == 200 and "亿" in str(page.context["form"].non_field_errors())
    data["unit"] = "亿元"
    assert bureau_admin_client.post("/plans/test-14/indicators/a/edit/", data).status_code == 302


def test_the_records_api_refuses_a_year_outside_the_plan(make_plan, bureau_admin_client):
    make_plan()
    for year in (2019, 100000000):
        response = bureau_admin_client.get(f"/api/v1/plans/test-14/indicators/a/records?year={year}")
        assert response.status_code == 404


def test_the_observation_template_imports_as_it_is(make_plan, bureau_admin_client):
    """The downloadable template has the header the import requires, and its example row imports."""
    from kechuang.plans.models import Plan
    from kechuang.plans.services import observations_import

    make_plan(indicators=[indicator("fiscal_st_share", kind="share", unit="%", precision=2)])
    raw = bureau_admin_client.get("/plans/observations/template.csv").content
    counts = observations_import(actor=None, plan=Plan.objects.get(), raw=raw, filename="模板.csv")
    assert counts["created"] == 1
