"""A county leader opens the cockpit (领导驾驶舱) on the large screen and in the office, sees every chart drawn
without a console error, and drills down from a card and from a bar to the approved statistics behind them — in a
real chromium against a real gunicorn."""

import os
import subprocess
from pathlib import Path

import pytest

from .conftest import BIN, ROOT

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("KECHUANG_SCREENSHOTS")
PASSWORD = "Browser-2026!"

# A plan with manual indicators of every kind, approved statistics of the county and two townships, and the
# assessments of 2021 and 2022 (the townships for 2022), as the bureau would have left them.
SEED = """
from decimal import Decimal as D
from kechuang.accounts.models import User
from kechuang.plans.services import assessment_run, observation_approve, observation_enter, plan_import
from kechuang.regions.models import Region

def item(code, name, baseline, target, unit, precision, kind="level", direction="increase"):
    return {"code": code, "group": "专栏2", "name": name, "unit": unit, "precision": precision,
            "growth_precision": 1, "kind": kind, "direction": direction, "attribute": "expected",
            "baseline": D(baseline), "target": D(target), "show_cagr": True, "annual_targets": {}, "metric": "",
            "definition": "", "source": "", "department": "", "frequency": "", "revisions": []}

plan, _ = plan_import(actor=None, data={
    "code": "cockpit-demo", "name": "鹿寨县科技创新规划（驾驶舱测试）", "region": "450223",
    "baseline_year": 2020, "target_year": 2025, "thresholds": {},
    "indicators": [
        item("revenue", "高新技术企业营业收入", "29.9", "40", "亿元", 1),
        item("rd_share", "研发经费投入强度", "0.91", "1.0", "%", 2, kind="share"),
        item("patents", "申请专利（5年合计）", "1830", "2730", "件", 0, kind="cumulative"),
        item("energy", "单位工业增加值能耗", "0.60", "0.50", "吨标准煤/万元", 2, direction="decrease"),
    ],
})
indicators = {i.code: i for i in plan.indicators.all()}
values = {
    "450223": {"revenue": {2021: "31.7", 2022: "33.5"}, "rd_share": {2021: "0.93", 2022: "0.95"},
               "patents": {2021: "400", 2022: "450"}, "energy": {2021: "0.58", 2022: "0.57"}},
    "450223100": {"revenue": {2022: "12.0"}, "energy": {2022: "0.55"}},
    "450223101": {"revenue": {2022: "15.5"}, "energy": {2022: "0.62"}},
}
for code, by_indicator in values.items():
    region = Region.objects.get(code=code)
    for indicator, years in by_indicator.items():
        for year, value in years.items():
            observation, _ = observation_enter(actor=None, indicator=indicators[indicator], region=region,
                                               year=year, value=D(value), source="鹿寨县统计公报", vintage="年报")
            observation_approve(actor=None, observation=observation)
county = Region.objects.get(code="450223")
for year in (2021, 2022):
    assessment_run(actor=None, plan=plan, region=county, year=year)
for code in ("450223100", "450223101", "450223102"):
    assessment_run(actor=None, plan=plan, region=Region.objects.get(code=code), year=2022)
leader = User(username="leader", role="leader", region=county, full_name="县领导")
leader.set_password("Browser-2026!")
leader.save()
"""


@pytest.fixture(scope="module")
def live_server_url(live_server_url, tmp_path_factory):
    """The shared server, with the cockpit's plan, statistics, assessments and leader added to its database."""
    # The shared fixture's database is in the session's numbered temporary folder "var<N>" (its only one).
    databases = list(Path(tmp_path_factory.getbasetemp()).glob("var[0-9]*/browser.sqlite3"))
    assert len(databases) == 1, databases
    var = databases[0].parent
    env = {**os.environ, "KECHUANG_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{databases[0]}"}
    subprocess.run([str(BIN / "kechuang"), "shell", "-c", SEED], env=env, check=True, cwd=ROOT, capture_output=True)
    return live_server_url


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def sign_in(page):
    page.goto("/accounts/login/")
    page.fill("#id_username", "leader")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def watch_errors(page) -> list[str]:
    """Console errors and uncaught exceptions of the page (the site has no favicon yet, which is not the cockpit's)."""
    errors = []

    def console(message):
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def charts_drawn(page) -> int:
    """Wait until every chart container holds the canvas ECharts draws into and its opening animation has ended;
    return how many charts there are."""
    containers = page.locator("[data-chart]")
    count = containers.count()
    for index in range(count):
        containers.nth(index).locator("canvas").first.wait_for(state="attached")
    page.wait_for_function(f"document.querySelectorAll('[data-chart][data-drawn]').length === {count}")
    return count


def test_large_screen_fits_1920_by_1080_and_draws_every_chart(page):
    page.set_viewport_size({"width": 1920, "height": 1080})
    errors = watch_errors(page)
    sign_in(page)
    page.goto("/plans/cockpit/?layout=screen")
    assert charts_drawn(page) == 4
    assert page.locator(".cockpit-card").count() == 4
    size = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight, innerWidth, innerHeight]"
    )
    assert size[0] <= size[2] and size[1] <= size[3], size  # no scrolling at 1920×1080
    shot(page, "cockpit-screen")
    assert errors == []


def test_office_layout_draws_every_chart_and_a_card_leads_to_the_records(page):
    errors = watch_errors(page)
    sign_in(page)
    page.goto("/plans/cockpit/")
    assert charts_drawn(page) == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    card = page.locator(".cockpit-card[data-indicator=revenue]")
    assert "33.5" in card.inner_text() and "83.75%" in card.inner_text()
    shot(page, "cockpit-office")
    card.locator("a[data-number=value]").click()
    page.wait_for_url("**/indicators/revenue/records/?region=450223&year=2022")
    text = page.locator("main").inner_text()
    assert "高新技术企业营业收入" in text and "鹿寨县统计公报" in text and "33.5" in text
    shot(page, "cockpit-records")
    assert errors == []


def test_a_click_on_a_bar_opens_the_records_behind_it(page):
    errors = watch_errors(page)
    sign_in(page)
    page.goto("/plans/cockpit/?indicator=revenue")
    charts_drawn(page)
    chart = page.locator("[data-chart=comparison]")
    chart.scroll_into_view_if_needed()
    # The middle of the first bar (中渡镇, the highest value), in the chart's own pixel coordinates.
    x, y = chart.evaluate(
        "el => { const c = echarts.getInstanceByDom(el); return c.convertToPixel({seriesIndex: 0}, [0, 15.5 / 2]); }"
    )
    box = chart.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url("**/indicators/revenue/records/?region=450223101&year=2022")
    assert "15.5" in page.locator("main").inner_text()
    assert errors == []
