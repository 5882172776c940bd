"""The yearly reporting round (年报填报) through its pages, as the enterprise and the bureau click through it."""

import datetime
import re

import pytest
from django.utils import timezone

from kechuang.notices.models import Message
from kechuang.orgs import services
from kechuang.orgs.models import AnnualFigures, ReportingRound

from .conftest import LAST_YEAR, describe, xlsx_rows

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def firm(make_org):
    return make_org(name="鹿寨县恒达汽车配件有限公司", region="450223100", contact="张三", phone="0772-6812345")


@pytest.fixture
def quiet(make_org):
    """An enterprise of the county that never reports."""
    return make_org(name="鹿寨县沉默机械有限公司", region="450223101", contact="李四")


@pytest.fixture
def firm_user(make_user, firm):
    return make_user("enterprise", organisation=firm)


@pytest.fixture
def reporting_round(bureau):
    return services.round_create(
        actor=bureau,
        year=LAST_YEAR,
        opens_on=TODAY - datetime.timedelta(days=3),
        deadline=TODAY + datetime.timedelta(days=30),
        instructions="请于截止日期前填报上一年度数据。",
    )


def text(response) -> str:
    assert response.status_code == 200, describe(response)
    return response.content.decode()


def test_the_round_from_filling_in_to_approval(firm, quiet, firm_user, bureau, reporting_round, login):
    company, county = login(firm_user), login(bureau)

    # The enterprise sees the open round on its organisation page and opens it.
    page = text(company.get(f"/orgs/{firm.pk}/"))
    assert f"鹿寨县{LAST_YEAR}年度年报填报正在进行" in page and "未填报" in page
    page = text(company.get(reporting_round.get_absolute_url()))
    assert "尚未填报" in page and "请于截止日期前填报上一年度数据。" in page
    assert f"/orgs/{firm.pk}/figures/new/?year={LAST_YEAR}" in page
    assert f'name="year" value="{LAST_YEAR}"' in text(company.get(f"/orgs/{firm.pk}/figures/new/?year={LAST_YEAR}"))

    # It fills in the form: a draft, not yet counted.
    data = {"year": LAST_YEAR, "staff_total": 120, "st_staff": 20, "sales_revenue": "3500", "basis": "企业财务报表口径"}
    response = company.post(f"/orgs/{firm.pk}/figures/new/", data)
    assert response.status_code == 302, describe(response)
    figures = AnnualFigures.objects.get(organisation=firm)
    assert (figures.review_status, figures.source, figures.basis) == ("draft", "report", "企业财务报表口径")
    page = text(company.get(reporting_round.get_absolute_url()))
    assert "草稿" in page and "提交审核" in page

    # The bureau's page lists it as not reported yet (a draft), next to the enterprise that has nothing.
    page = text(county.get(reporting_round.get_absolute_url()))
    assert 'data-count="missing">2<' in page and "草稿未提交" in page and quiet.name in page

    # The enterprise submits; the bureau returns it with a comment; the enterprise is told.
    response = company.post(f"/orgs/figures/{figures.pk}/submit/", {"next": reporting_round.get_absolute_url()})
    assert response["Location"] == reporting_round.get_absolute_url()
    assert AnnualFigures.objects.get().review_status == "submitted"
    page = text(county.get(f"/orgs/figures/{figures.pk}/"))
    assert "审核通过" in page and "退回（须填写意见）" in page and "3,500.00" in page
    response = county.post(f"/orgs/figures/{figures.pk}/return/", {"comment": ""})
    assert AnnualFigures.objects.get().review_status == "submitted"  # refused: a return needs a comment
    assert "退回时须填写退回意见" in text(county.get(response["Location"]))
    county.post(f"/orgs/figures/{figures.pk}/return/", {"comment": "职工总数与社保人数不符，请核对"})
    assert AnnualFigures.objects.get().review_status == "returned"
    message = Message.objects.filter(user=firm_user).latest("pk")
    assert "职工总数与社保人数不符" in message.body

    # The enterprise reads the comment, fixes the figures and submits again.
    assert "职工总数与社保人数不符，请核对" in text(company.get(reporting_round.get_absolute_url()))
    fixed = {**data, "staff_total": 98}
    del fixed["year"]
    assert company.post(f"/orgs/figures/{figures.pk}/edit/", fixed).status_code == 302
    company.post(f"/orgs/figures/{figures.pk}/submit/")
    assert AnnualFigures.objects.get().review_status == "submitted"

    # The bureau approves it with the bulk buttons of the round page.
    response = county.post(f"/orgs/rounds/{reporting_round.pk}/review/", {"figures": [figures.pk], "action": "approve"})
    assert response.status_code == 302
    approved = AnnualFigures.objects.get()
    assert (approved.review_status, approved.staff_total, approved.reviewer) == ("approved", 98, bureau)
    assert Message.objects.filter(user=firm_user, title=f"{LAST_YEAR}年度数据已审核通过").exists()
    page = text(county.get(reporting_round.get_absolute_url()))
    assert 'data-count="approved">1<' in page and 'data-count="missing">1<' in page


def test_an_enterprise_cannot_approve_from_the_web(firm, firm_user, login):
    figures = services.figures_save(
        actor=firm_user, organisation=firm, year=LAST_YEAR, data={"staff_total": 5, "basis": "税务口径"}
    )
    services.figures_submit(actor=firm_user, figures=figures)
    client = login(firm_user)
    assert "审核通过" not in text(client.get(f"/orgs/figures/{figures.pk}/"))
    assert client.post(f"/orgs/figures/{figures.pk}/approve/").status_code == 403
    assert AnnualFigures.objects.get().review_status == "submitted"


def test_exports_of_both_lists(firm, quiet, firm_user, bureau, reporting_round, login):
    figures = services.figures_save(
        actor=firm_user, organisation=firm, year=LAST_YEAR, data={"staff_total": 5, "basis": "税务口径"}
    )
    services.figures_submit(actor=firm_user, figures=figures)
    client = login(bureau)
    reported = xlsx_rows(client.get(f"{reporting_round.get_absolute_url()}?export=reported"))
    assert reported[0][:4] == ("单位名称", "统一社会信用代码", "所在区划", "审核状态")
    assert [row[:4] for row in reported[1:]] == [(firm.name, firm.uscc, "鹿寨镇", "已提交")]
    missing = xlsx_rows(client.get(f"{reporting_round.get_absolute_url()}?export=missing"))
    assert missing[0] == ("单位名称", "统一社会信用代码", "所在区划", "填报情况", "联系人", "联系电话")
    assert missing[1:] == [(quiet.name, quiet.uscc, "中渡镇", "未填报", "李四", None)]
    name = client.get(f"{reporting_round.get_absolute_url()}?export=reported&status=approved")["Content-Disposition"]
    assert re.search(r"filename\*=UTF-8''.*\.xlsx", name)
    assert len(xlsx_rows(client.get(f"{reporting_round.get_absolute_url()}?export=reported&status=approved"))) == 1


def test_the_enterprise_sees_its_own_report_not_the_bureaus_lists(firm, quiet, firm_user, reporting_round, login):
    client = login(firm_user)
    page = text(client.get(reporting_round.get_absolute_url()))
    assert quiet.name not in page and "未报送" not in page
    assert client.get(f"{reporting_round.get_absolute_url()}?export=missing").status_code == 403


def test_round_list_create_and_close(bureau, login):
    client = login(bureau)
    response = client.post(
        "/orgs/rounds/new/",
        {"year": LAST_YEAR, "opens_on": TODAY.isoformat(), "deadline": TODAY.isoformat(), "instructions": "按时"},
    )
    assert response.status_code == 302, describe(response)
    created = ReportingRound.objects.get()
    assert (created.region, created.year, created.status) == (bureau.region, LAST_YEAR, "open")
    assert f"鹿寨县{LAST_YEAR}年度年报填报" in text(client.get("/orgs/rounds/"))
    again = client.post(
        "/orgs/rounds/new/", {"year": LAST_YEAR, "opens_on": TODAY.isoformat(), "deadline": TODAY.isoformat()}
    )
    assert "已经发起过" in text(again)
    bad = client.post(
        "/orgs/rounds/new/",
        {"year": LAST_YEAR - 1, "opens_on": TODAY.isoformat(), "deadline": (TODAY - datetime.timedelta(1)).isoformat()},
    )
    assert "截止日期不能早于开始日期" in text(bad)
    edit = {"opens_on": TODAY.isoformat(), "deadline": TODAY.isoformat(), "status": "closed", "instructions": "按时"}
    assert client.post(f"/orgs/rounds/{created.pk}/edit/", edit).status_code == 302
    assert ReportingRound.objects.get().status == "closed"
    assert "已关闭" in text(client.get("/orgs/rounds/?status=closed"))


def test_figures_list_filters_and_exports_the_review_status(firm, firm_user, bureau, login):
    services.figures_save(actor=firm_user, organisation=firm, year=LAST_YEAR, data={"staff_total": 5})
    services.figures_save(actor=bureau, organisation=firm, year=LAST_YEAR - 1, data={"staff_total": 4})
    client = login(bureau)
    listed = client.get("/orgs/figures/?review_status=draft").context["page"].object_list
    assert [f.year for f in listed] == [LAST_YEAR]
    rows = xlsx_rows(client.get("/orgs/figures/?export=xlsx"))
    header = rows[0]
    assert header[-2:] == ("统计口径", "审核状态")
    assert sorted(row[-1] for row in rows[1:]) == ["已审核", "草稿"]


def test_the_figures_form_suggests_a_basis(firm, bureau, login):
    page = text(login(bureau).get(f"/orgs/{firm.pk}/figures/new/"))
    assert 'list="id_basis-options"' in page and '<option value="统计年报口径">' in page


def test_memberships_list_has_the_import_button(bureau, make_user, firm, login):
    assert "/imports/pools/" in text(login(bureau).get("/orgs/memberships/"))
    assert "/imports/pools/" not in text(login(make_user("enterprise", organisation=firm)).get("/orgs/memberships/"))


@pytest.mark.parametrize(
    ("role", "shown"), [("bureau_staff", True), ("enterprise", True), ("leader", True), ("expert", False)]
)
def test_navigation_entry(role, shown, make_user, firm, login):
    user = make_user(role, organisation=firm if role == "enterprise" else None)
    assert ('href="/orgs/rounds/"' in text(login(user).get("/"))) is shown
