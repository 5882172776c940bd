"""The leaders' cockpit (领导驾驶舱) and the comparison of subordinate regions, from plans, approved observations and
stored assessments made in the test. Every expected figure is worked out here from the inputs, not by the engine."""

import io
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kechuang.accounts.choices import Role
from kechuang.plans.choices import Vintage
from kechuang.plans.models import Plan
from kechuang.plans.selectors import forget_assessments_version
from kechuang.plans.services import (
    assessment_run,
    indicator_update,
    observation_approve,
    observation_enter,
    plan_import,
)

D = Decimal
COCKPIT = "/plans/cockpit/"
COMPARISON = "/plans/cockpit/comparison/"
TOWNS = ("450223100", "450223101", "450223102")  # 鹿寨镇, 中渡镇, 寨沙镇


def indicator(code, name, baseline, target, *, unit="亿元", precision=1, kind="level", direction="increase"):
    return {
        "code": code,
        "group": "专栏2",
        "name": name,
        "unit": unit,
        "precision": precision,
        "growth_precision": 1,
        "kind": kind,
        "direction": direction,
        "attribute": "expected",
        "baseline": None if baseline is None else D(baseline),
        "target": D(target),
        "show_cagr": True,
        "annual_targets": {},
        "metric": "",
        "definition": "",
        "source": "",
        "department": "",
        "frequency": "",
        "revisions": [],
    }


INDICATORS = [
    indicator("revenue", "高新技术企业营业收入", "29.9", "40"),
    indicator("rd_share", "研发经费投入强度", "0.91", "1.0", unit="%", precision=2, kind="share"),
    indicator("patents", "申请专利（5年合计）", "1830", "2730", unit="件", precision=0, kind="cumulative"),
    indicator("energy", "单位工业增加值能耗", "0.60", "0.50", unit="吨标准煤/万元", precision=2, direction="decrease"),
]
# Approved values of the county by indicator and year (flows for the cumulative patents).
COUNTY = {
    "revenue": {2021: "31.7", 2022: "33.5"},
    "rd_share": {2021: "0.93", 2022: "0.95"},
    "patents": {2021: "400", 2022: "450"},
    "energy": {2021: "0.58", 2022: "0.57"},
}
# Two townships with values for 2022; 寨沙镇 is assessed without any value; the other townships are not assessed.
TOWN_VALUES = {
    "450223100": {"revenue": "12.0", "energy": "0.55"},
    "450223101": {"revenue": "15.5", "energy": "0.62"},
}


def import_plan(code="luzhai-test", region="450223", indicators=None, name="鹿寨县测试规划"):
    data = {
        "code": code,
        "name": name,
        "region": region,
        "baseline_year": 2020,
        "target_year": 2025,
        "thresholds": {},
        "indicators": indicators or INDICATORS,
    }
    return plan_import(actor=None, data=data)[0]


def approve_values(plan, region, values: dict[str, dict[int, str]]):
    indicators = {i.code: i for i in plan.indicators.all()}
    for code, years in values.items():
        for year, value in years.items():
            observation, _ = observation_enter(
                actor=None,
                indicator=indicators[code],
                region=region,
                year=year,
                value=D(value),
                source="鹿寨县统计公报",
                vintage=Vintage.ANNUAL,
            )
            observation_approve(actor=None, observation=observation)


@pytest.fixture
def plan(regions):
    plan = import_plan()
    approve_values(plan, regions["450223"], COUNTY)
    for town, values in TOWN_VALUES.items():
        approve_values(plan, regions[town], {code: {2022: value} for code, value in values.items()})
    for year in (2021, 2022):
        assessment_run(actor=None, plan=plan, region=regions["450223"], year=year)
    for town in TOWNS:
        assessment_run(actor=None, plan=plan, region=regions[town], year=2022)
    return plan


@pytest.fixture
def leader(make_user):
    return make_user(Role.LEADER, full_name="县领导")


def page(client, url=COCKPIT, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def card_html(html: str, code: str) -> str:
    start = html.index(f'data-indicator="{code}"')
    end = html.find('class="cockpit-card"', start)
    return html[start : end if end > 0 else len(html)]


def chart_data(html: str) -> dict:
    found = re.search(r'<script id="cockpit-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def ranked_regions(html: str) -> list[str]:
    return re.findall(r'<tr data-region="(\d+)">', html)


def records(code, indicator_code, region="450223", year=2022):
    path = reverse("plans:records", kwargs={"code": code, "indicator": indicator_code})
    return f"{path}?region={region}&amp;year={year}"


def pct(x: float) -> str:
    return f"{x * 100:.2f}%"


# --- cards ------------------------------------------------------------------------------------------------------


def test_cards_show_value_target_completion_status_and_what_it_still_takes(plan, leader, login):
    html = page(login(leader))
    revenue = card_html(html, "revenue")
    assert "33.5<small>亿元</small>" in revenue and "40.0亿元" in revenue
    assert pct(33.5 / 40) in revenue  # 83.75%
    # E_2022 = 29.9·(40/29.9)^(2/5) = 33.59; P = (33.5 − 29.9)/(E − 29.9) = 0.975 → 符合预期
    expected = 29.9 * (40 / 29.9) ** (2 / 5)
    assert 0.9 <= (33.5 - 29.9) / (expected - 29.9) < 1.1 and "符合预期" in revenue
    assert f"年均还需增长 {pct((40 / 33.5) ** (1 / 3) - 1)}" in revenue  # 6.09%
    assert f'href="{records(plan.code, "revenue")}"' in revenue

    share = card_html(html, "rd_share")
    assert "0.95<small>%</small>" in share and "1.00%" in share and pct(0.95 / 1.0) in share
    assert (0.95 - 0.91) / (0.91 + 0.09 * 2 / 5 - 0.91) >= 1.1 and "快于预期" in share
    assert f"每年还需增加 {(1.0 - 0.95) / 3:.2f}%" in share  # units per year: 0.02%

    patents = card_html(html, "patents")
    growth = (2730 / 1830) ** (1 / 5)
    flows = [growth**k for k in range(1, 6)]
    planned = 2730 * sum(flows[:2]) / sum(flows)
    assert 0.6 <= 850 / planned < 0.9 and "滞后" in patents
    assert "850<small>件</small>" in patents and pct(850 / 2730) in patents  # C_2022 = 400 + 450
    assert f"每年还需增加 {round((2730 - 850) / 3)}件" in patents

    energy = card_html(html, "energy")
    assert "0.57<small>吨标准煤/万元</small>" in energy and pct((0.60 - 0.57) / (0.60 - 0.50)) in energy
    assert f"年均还需下降 {pct(1 - (0.50 / 0.57) ** (1 / 3))}" in energy


def test_the_legend_names_every_status_in_chinese(plan, leader, login):
    html = page(login(leader))
    legend = html[html.index("cockpit-legend") :]
    for label in ("已完成／提前完成", "未完成", "快于预期", "符合预期", "滞后", "严重滞后", "无法评估"):
        assert label in legend


def test_a_card_number_leads_to_the_approved_observations_behind_it(plan, leader, login):
    client = login(leader)
    html = page(client)
    href = re.search(r'class="cockpit-card-value" href="([^"]+)"', card_html(html, "revenue")).group(1)
    drill = client.get(href.replace("&amp;", "&"))
    assert drill.status_code == 200
    assert "33.5" in drill.content.decode() and "鹿寨县统计公报" in drill.content.decode()


# --- charts -----------------------------------------------------------------------------------------------------


def test_completion_and_increase_multiple_charts(plan, leader, login):
    charts = chart_data(page(login(leader)))["charts"]
    completion = charts["completion"]
    assert completion["categories"] == [i["name"] for i in INDICATORS]
    values = [round(v * 100, 2) for v in (33.5 / 40, 0.95 / 1.0, 850 / 2730, (0.60 - 0.57) / 0.10)]
    assert [item["value"] for item in completion["items"]] == pytest.approx(values)
    assert completion["line"]["value"] == 100
    assert completion["items"][0]["url"] == records(plan.code, "revenue").replace("&amp;", "&")
    multiples = [(40 - 29.9) / 29.9, (1.0 - 0.91) / 0.91, (2730 - 1830) / 1830, (0.50 - 0.60) / 0.60]
    assert [item["text"] for item in charts["multiple"]["items"]] == [f"{m:.2f}" for m in multiples]  # 0.34 …


def test_trend_has_the_actual_values_the_planned_path_and_the_target(plan, leader, login):
    trend = chart_data(page(login(leader)))["charts"]["trend"]
    assert trend["categories"] == ["2020", "2021", "2022", "2023", "2024", "2025"]
    actual, path = trend["series"]
    assert [p and p["value"] for p in actual["items"]] == [29.9, 31.7, 33.5, None, None, None]
    assert actual["items"][1]["url"] == records(plan.code, "revenue", year=2021).replace("&amp;", "&")
    planned = [29.9 * (40 / 29.9) ** (k / 5) for k in range(6)]
    assert [p["value"] for p in path["items"]] == pytest.approx(planned, abs=0.0006)
    assert trend["line"]["value"] == 40 and "40.0亿元" in trend["line"]["text"]


def test_cumulative_trend_is_the_running_total_on_the_flows_path(plan, leader, login):
    trend = chart_data(page(login(leader), indicator="patents"))["charts"]["trend"]
    actual, path = trend["series"]
    assert [p and p["value"] for p in actual["items"]] == [None, 400, 850, None, None, None]
    growth = (2730 / 1830) ** (1 / 5)
    flows = [growth**k for k in range(1, 6)]
    planned = [2730 * sum(flows[:k]) / sum(flows) for k in range(6)]
    assert [p["value"] for p in path["items"]] == pytest.approx(planned, abs=0.01)


def test_screen_layout_is_dark_and_carries_the_same_charts(plan, leader, login):
    html = page(login(leader), layout="screen")
    assert 'data-bs-theme="dark"' in html and "cockpit-screen" in html
    data = chart_data(html)
    assert data["theme"] == "dark" and set(data["charts"]) == {"completion", "multiple", "trend", "comparison"}
    assert html.count('data-chart="') == 4
    assert "33.5<small>亿元</small>" in card_html(html, "revenue")


# --- comparison and ranking -------------------------------------------------------------------------------------


def test_an_increase_indicator_ranks_the_highest_value_first(plan, leader, login):
    html = page(login(leader), indicator="revenue")
    order = ranked_regions(html)
    assert order[:3] == ["450223101", "450223100", "450223102"]  # 15.5 > 12.0, then 寨沙镇 without a value
    assert len(order) == 9  # every township of 鹿寨县 is listed
    row = html[html.index('data-region="450223101"') :]
    assert '<td class="num">1</td>' in row[:200] and "15.5亿元" in row[:800]
    comparison = chart_data(html)["charts"]["comparison"]
    assert comparison["categories"] == ["中渡镇", "鹿寨镇"]
    assert comparison["items"][0]["url"] == records(plan.code, "revenue", "450223101").replace("&amp;", "&")


def test_a_decrease_indicator_ranks_the_lowest_value_first(plan, leader, login):
    order = ranked_regions(page(login(leader), indicator="energy"))
    assert order[:2] == ["450223100", "450223101"]  # 0.55 < 0.62


def test_regions_without_an_assessment_are_listed_as_not_assessed(plan, leader, login):
    html = page(login(leader), COMPARISON, indicator="revenue")
    rows = {code: html[html.index(f'data-region="{code}"') :].split("</tr>")[0] for code in ranked_regions(html)}
    assert "无法评估" in rows["450223102"] and "未评估" not in rows["450223102"]  # assessed, but no value
    not_assessed = [code for code, row in rows.items() if "未评估" in row]
    assert not_assessed == ["450223103", "450223104", "450223105", "450223200", "450223201", "450223202"]
    assert all('<td class="num">—</td>' in rows[code] for code in not_assessed)


def test_comparison_exports_the_ranked_table(plan, leader, login):
    response = login(leader).get(COMPARISON, {"indicator": "revenue", "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("排名", "区划代码", "区划", "实际值（亿元）")
    assert rows[1][:4] == (1, "450223101", "中渡镇", "15.5") and rows[2][:4] == (2, "450223100", "鹿寨镇", "12.0")
    assert rows[3][2:] == ("寨沙镇", "—", "40.0", "—", "无法评估")
    assert rows[-1][1:] == ("450223202", "拉沟乡", "—", "—", "—", "未评估")


def test_a_city_plan_ranks_its_counties_and_leaves_out_abolished_ones(regions, make_user, login):
    city = import_plan("liuzhou-test", "450200", [INDICATORS[1]], name="柳州市测试规划")
    values = {"450223": "0.95", "450224": "1.20", "450222": "0.80"}
    for county, value in values.items():
        approve_values(city, regions[county], {"rd_share": {2021: value}})
        assessment_run(actor=None, plan=city, region=regions[county], year=2021)
    html = page(login(make_user(Role.LEADER, region="450200")), COMPARISON)
    order = ranked_regions(html)
    assert order[:3] == ["450224", "450223", "450222"]
    assert "450221" not in order and "450206" in order  # 柳江县 abolished in 2016; 柳江区 is not assessed
    assert "2021年" in html  # the year of the counties' assessments, though the city itself has none


# --- selection and access ---------------------------------------------------------------------------------------


def test_defaults_are_the_users_plan_region_and_latest_assessed_year(plan, leader, login, regions):
    import_plan("other-plan", "450223", [INDICATORS[0]], name="另一个规划")
    html = page(login(leader))
    assert "鹿寨县测试规划" in html.split("cockpit-filters")[0]
    assert '<option value="2022" selected>' in html and "2023年（未评估）" in html


def test_a_year_not_yet_assessed_says_so(plan, leader, login):
    html = page(login(leader), year="2024")
    assert "鹿寨县2024年尚未评估" in html and 'data-chart="' not in html


@pytest.mark.parametrize("role", [Role.LEADER, Role.BUREAU_ADMIN, Role.BUREAU_STAFF])
def test_leaders_and_the_bureau_may_open_the_cockpit(plan, make_user, login, role):
    client = login(make_user(role))
    assert client.get(COCKPIT).status_code == 200
    assert client.get(COMPARISON).status_code == 200


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.EXPERT, Role.SYSADMIN])
def test_other_roles_are_refused(plan, make_user, make_org, login, role):
    organisation = make_org() if role == Role.ENTERPRISE else None
    client = login(make_user(role, organisation=organisation))
    assert client.get(COCKPIT).status_code == 403
    assert client.get(COMPARISON, {"export": "xlsx"}).status_code == 403


def test_anonymous_users_are_sent_to_sign_in(plan, client):
    response = client.get(COCKPIT)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_region_or_plan_outside_the_users_scope_is_not_found(plan, make_user, login):
    client = login(make_user(Role.LEADER))
    assert client.get(COCKPIT, {"region": "450224"}).status_code == 404  # 融安县, outside the plan and the scope
    township = client.get(COCKPIT, {"region": "450223100"})
    assert township.status_code == 200 and "没有下级区划" in township.content.decode()
    neighbour = login(make_user(Role.LEADER, region="450224"))
    assert neighbour.get(COCKPIT, {"plan": plan.code}).status_code == 404
    assert neighbour.get(COMPARISON, {"plan": plan.code}).status_code == 404
    assert client.get(COCKPIT, {"year": "2031"}).status_code == 404
    assert client.get(COCKPIT, {"indicator": "nope"}).status_code == 404


def test_a_user_without_any_plan_sees_an_empty_cockpit(regions, make_user, login):
    html = page(login(make_user(Role.LEADER)))
    assert "暂无可查看的规划" in html


# --- cost -------------------------------------------------------------------------------------------------------


def test_query_count_does_not_grow_with_indicators_or_regions(
    plan, leader, login, regions, django_assert_max_num_queries
):
    client = login(leader)
    counts = {}
    for url in (COCKPIT, COMPARISON):
        with CaptureQueriesContext(connection) as queries:
            page(client, url)
        counts[url] = len(queries)
    more = INDICATORS + [indicator(f"extra{n}", f"附加指标{n}", "10", "20") for n in range(8)]
    import_plan(indicators=more)
    extra = {f"extra{n}": {2021: "12", 2022: "14"} for n in range(8)}
    approve_values(plan, regions["450223"], extra)
    for town in ("450223103", "450223104"):
        approve_values(plan, regions[town], {"extra0": {2022: "3"}})
        assessment_run(actor=None, plan=plan, region=regions[town], year=2022)
    for year in (2021, 2022):
        assessment_run(actor=None, plan=plan, region=regions["450223"], year=year)
    for url in (COCKPIT, COMPARISON):
        with django_assert_max_num_queries(counts[url], info=url):
            page(client, url)
    assert len(chart_data(page(client))["charts"]["completion"]["items"]) == 12  # the bigger plan was shown
    assert counts[COCKPIT] <= 21  # built afresh: the page is not yet in the cache


# --- cache ------------------------------------------------------------------------------------------------------


def test_a_page_is_built_once_until_an_assessment_or_an_indicator_changes(plan, leader, login, regions):
    client = login(leader)
    for url in (COCKPIT, COMPARISON):
        first = page(client, url)
        with CaptureQueriesContext(connection) as queries:
            again = page(client, url)
        content = '<div class="cockpit cockpit-office">'  # the frame around it carries a fresh CSRF token
        assert again[again.index(content) :] == first[first.index(content) :]
        # The session and the user; the version key and the unread count were read by the first request.
        assert len(queries) <= 2, [q["sql"] for q in queries.captured_queries]
    assert "33.5<small>亿元</small>" in card_html(page(client), "revenue")
    approve_values(plan, regions["450223"], {"revenue": {2022: "35.0"}})
    assert "33.5<small>亿元</small>" in card_html(page(client), "revenue")  # the stored assessment still says 33.5
    assessment_run(actor=None, plan=plan, region=regions["450223"], year=2022)
    assert "35.0<small>亿元</small>" in card_html(page(client), "revenue")
    indicator_update(actor=None, indicator=plan.indicators.get(code="revenue"), data={"name": "高企营收"})
    assert chart_data(page(client))["charts"]["completion"]["categories"][0] == "高企营收"
    assert "高企营收" in page(client, COMPARISON)


def test_a_change_made_by_another_process_shows_within_the_version_window(plan, leader, login):
    """Another web process or the background worker writes without forgetting this process's version: the page
    follows when the version expires (VERSION_SECONDS), which forgetting it stands in for here."""
    client = login(leader)
    assert "鹿寨县测试规划" in page(client)
    Plan.objects.filter(pk=plan.pk).update(name="鹿寨县科技规划", updated=timezone.now())
    assert "鹿寨县测试规划" in page(client)
    forget_assessments_version()
    assert "鹿寨县科技规划" in page(client)


def test_a_cached_page_is_never_shown_to_another_scope(plan, leader, make_user, login, regions):
    client = login(leader)
    assert "33.5<small>亿元</small>" in card_html(page(client, plan=plan.code), "revenue")
    neighbour = login(make_user(Role.LEADER, region="450224"))
    for url in (COCKPIT, COMPARISON):
        assert neighbour.get(url, {"plan": plan.code}).status_code == 404
    refused = login(make_user(Role.EXPERT))
    assert refused.get(COCKPIT, {"plan": plan.code}).status_code == 403
    leader.region = regions["450224"]  # moved: the cached page of the old region is not shown
    leader.save()
    assert client.get(COCKPIT, {"plan": plan.code}).status_code == 404


def test_a_target_met_before_the_target_year_shows_as_met_early(plan, leader, login, regions):
    approve_values(plan, regions["450223"], {"rd_share": {2023: "1.05"}})
    assessment_run(actor=None, plan=plan, region=regions["450223"], year=2023)
    html = page(login(leader), year="2023")
    share = card_html(html, "rd_share")
    assert "提前完成" in share and "已达到目标" in share and pct(1.05 / 1.0) in share
    assert "提前完成 1" in html.split("cockpit-legend")[0]  # the headline counts it apart from 已完成
