"""A bureau user finds an organisation by pinyin initials, is told what is wrong with a figure, fixes it,
and sees the change in the audit history — in a real chromium against a real gunicorn."""

import os

import pytest

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("KECHUANG_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_find_by_initials_fix_invalid_figure_and_see_history(page):
    page.goto("/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "staff")
    page.fill("#id_password", "Browser-2026!")
    shot(page, "01-login")
    page.click("button[type=submit]")
    page.wait_for_url("**/")

    page.click("#mainnav .dropdown-toggle:has-text('单位档案')")
    page.click("#mainnav .dropdown-item:has-text('单位档案')")
    page.fill("#id_q", "lzxhd")
    page.click("button:has-text('查询')")
    page.wait_for_load_state()
    shot(page, "02-search")
    page.click("a:has-text('鹿寨县恒达汽车配件有限公司')")
    page.wait_for_url("**/orgs/*/")

    page.click("button[data-bs-target='#figures']")
    page.click("text=新增年度数据")
    page.fill("#id_year", "2024")
    page.fill("#id_staff_total", "10")
    page.fill("#id_st_staff", "20")
    page.fill("#id_sales_revenue", "1234.5")
    page.click("button:has-text('保存')")
    error = page.locator("[data-field=st_staff]")
    assert "科技人员数不能大于职工总数" in error.inner_text()
    shot(page, "03-invalid-figure")

    page.fill("#id_st_staff", "5")
    page.click("button:has-text('保存')")
    page.wait_for_url("**/orgs/*/#figures")
    figures = page.locator("#figures")
    assert "2024" in figures.inner_text() and "1,234.50" in figures.inner_text()
    shot(page, "04-saved")

    page.click("#history-tab")
    history = page.locator("#history.show.active")
    history.wait_for(state="visible")
    text = history.inner_text()
    assert "staff" in text and "新增" in text and "科技人员数" in text and "12345000.00" in text
    shot(page, "05-history")


def test_phone_width_login_and_menu(browser, live_server_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", base_url=live_server_url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", "staff")
    page.fill("#id_password", "Browser-2026!")
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    page.click(".navbar-toggler")
    page.click("#mainnav .dropdown-toggle:has-text('单位档案')")
    page.click("#mainnav .dropdown-item:has-text('单位档案')")
    page.wait_for_url("**/orgs/")
    # Nothing wider than the screen: the table scrolls inside its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "06-phone")
    context.close()
