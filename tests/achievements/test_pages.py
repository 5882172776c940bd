"""Pages of the registry: lists with filters and exports, forms in 万元 with ranked units, detail pages, the tabs on
the organisation's master-file page, and list costs that do not grow with the rows."""

from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.achievements import services
from kechuang.achievements.models import Achievement, Award, Conversion, TechContract
from tests.web.conftest import describe, xlsx_rows

from .conftest import achievement_fields, contract_fields


@pytest.fixture
def client(bureau, login):
    return login(bureau)


def test_lists_filter_and_export_with_the_filters_in_the_file_name(world, client):
    response = client.get("/achievements/", {"q": "广西大学"})
    assert [a.pk for a in response.context["page"].object_list] == [world.record("achievement").pk]
    assert client.get("/achievements/", {"q": "韦建华"}).context["total"] == 1
    assert client.get("/achievements/", {"year": 2019}).context["total"] == 0
    response = client.get("/achievements/", {"export": "xlsx", "kind": "applied"})
    assert "科技成果-成果类型应用技术" in unquote(response["Content-Disposition"])
    rows = xlsx_rows(response)
    assert rows[0][:3] == ("登记号", "成果名称", "成果类型")
    assert rows[1][5] == "广西大学"
    rows = xlsx_rows(client.get("/achievements/contracts/", {"export": "xlsx"}))
    assert rows[0][6:8] == ("合同成交额（万元）", "技术交易额（万元）") and rows[1][6:8] == (150, 120)
    assert client.get("/achievements/conversions/", {"major": "1"}).context["total"] == 0
    assert client.get("/achievements/awards/", {"level": "region"}).context["total"] == 1


def test_the_lists_offer_import_and_add(world, client):
    page = client.get("/achievements/").content.decode()
    assert "/imports/achievements/" in page and "/achievements/new/" in page
    assert "/imports/" not in client.get("/achievements/awards/").content.decode()


def test_create_an_achievement_with_ranked_units_and_people(world, client):
    response = client.post("/achievements/new/", {
        "number": "2021450223a009", "title": "桑树病虫害绿色防控技术", "kind": "applied", "hitech_domain": "",
        "discipline": "植物保护", "organisation": world.a.pk, "registration_date": "2021-05-06",
        "evaluation_method": "acceptance", "evaluation_conclusion": "", "evaluation_date": "", "summary": "",
        "units": f"{world.p.uscc}\n广西大学", "people_text": "韦建华、覃丽萍\n黄志强",
    })  # fmt: skip
    assert response.status_code == 302, describe(response)
    achievement = Achievement.objects.get(number="2021450223A009")
    assert [u.display_name for u in achievement.units.all()] == [world.p.name, "广西大学"]
    assert achievement.people == ["韦建华", "覃丽萍", "黄志强"]
    form = client.get(f"/achievements/{achievement.pk}/edit/").context["form"]
    assert form["units"].initial == f"{world.p.name}（{world.p.uscc}）\n广西大学"
    assert form["people_text"].initial == "韦建华、覃丽萍、黄志强"


def test_form_errors_are_shown_on_the_fields(world, client):
    response = client.post("/achievements/new/", {
        "number": "2021450223A009", "title": "成果", "kind": "applied", "hitech_domain": "", "discipline": "",
        "organisation": world.a.pk, "registration_date": "2021-05-06", "evaluation_method": "none",
        "evaluation_conclusion": "domestic_leading", "units": "91450223MA5N7B2T5X", "people_text": "",
    })  # fmt: skip
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "不在单位档案中" in errors["units"][0]
    response = client.post("/achievements/new/", {
        "number": "2021450223A009", "title": "成果", "kind": "applied", "hitech_domain": "", "discipline": "",
        "organisation": world.a.pk, "registration_date": "2021-05-06", "evaluation_method": "none",
        "evaluation_conclusion": "domestic_leading", "units": "", "people_text": "",
    })  # fmt: skip
    errors = response.context["form"].errors
    assert "请选择高新技术领域，或填写学科（行业）领域" in errors["discipline"]
    assert not Achievement.objects.filter(number="2021450223A009").exists()


def test_contract_amounts_are_typed_in_wan(world, client):
    response = client.post("/achievements/contracts/new/", {
        "number": "2021450223000009", "name": "技术服务", "kind": "service", "seller": world.a.pk, "buyer": "",
        "buyer_name": "柳州某公司", "buyer_region": "", "amount": "12.3456", "technical_income": "10",
        "signing_date": "2021-01-05", "registration_date": "2021-01-20",
    })  # fmt: skip
    assert response.status_code == 302, describe(response)
    contract = TechContract.objects.get(number="2021450223000009")
    assert (contract.amount, contract.technical_income) == (Decimal("123456.00"), Decimal("100000.00"))
    form = client.get(f"/achievements/contracts/{contract.pk}/edit/").context["form"]
    assert form.initial["amount"] == Decimal("12.3456")
    response = client.post("/achievements/contracts/new/", {
        "number": "2021450223000010", "name": "技术服务", "kind": "service", "seller": world.a.pk, "buyer": "",
        "buyer_name": "柳州某公司", "amount": "10", "technical_income": "12", "signing_date": "2021-01-05",
        "registration_date": "2021-01-20",
    })  # fmt: skip
    assert "技术交易额不能大于合同成交额" in response.context["form"].errors["technical_income"][0]


def test_a_new_conversion_starts_from_its_achievement(world, client):
    achievement = world.record("achievement")
    page = client.get(f"/achievements/{achievement.pk}/").content.decode()
    assert f"/achievements/conversions/new/?achievement={achievement.pk}" in page
    form = client.get(f"/achievements/conversions/new/?achievement={achievement.pk}").context["form"]
    assert form["achievement"].initial == achievement.pk
    outside = world.record("achievement", "b")
    form = client.get(f"/achievements/conversions/new/?achievement={outside.pk}").context["form"]
    assert form["achievement"].initial is None  # not offered out of scope


def test_detail_pages_show_the_ranked_units_and_the_history(world, client):
    achievement = world.record("achievement")
    services.achievement_update(actor=None, achievement=achievement, data={"title": "改过的名称"})
    page = client.get(f"/achievements/{achievement.pk}/").content.decode()
    assert "2. 广西大学" in page and "改过的名称" in page and "修改记录" in page
    award = world.record("award", "b")
    Award.objects.filter(pk=award.pk).update(organisation=world.a)  # now in scope
    page = client.get(f"/achievements/awards/{award.pk}/").content.decode()
    assert world.p.name in page and "覃丽萍" in page


def test_the_master_file_page_has_a_tab_per_kind(world, client):
    page = client.get(f"/orgs/{world.a.pk}/").content.decode()
    for tab in ('id="achievements"', 'id="achievement-conversions"', 'id="tech-contracts"', 'id="st-awards"'):
        assert tab in page
    assert world.record("achievement").title in page and world.record("contract").number in page
    assert f"/achievements/new/?organisation={world.a.pk}" in page


def count_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    ["/achievements/", "/achievements/conversions/", "/achievements/contracts/", "/achievements/awards/",
     "/achievements/?export=xlsx", "/achievements/awards/?export=xlsx"],
)  # fmt: skip
def test_lists_cost_the_same_for_few_and_many_rows(world, client, url):
    def add(start, n):
        for i in range(start, start + n):
            achievement = services.achievement_create(
                actor=None, units=[(world.p, ""), (None, "广西大学")],
                **achievement_fields(world.a, f"2019450223A{i:03d}"),
            )  # fmt: skip
            Conversion.objects.create(achievement=achievement, year=2020, form="transfer", organisation=world.p)
            Conversion.objects.filter(achievement=achievement).update(organisation=None)
            services.contract_create(actor=None, **contract_fields(world.a, f"2019450223{i:04d}", buyer=world.p))
            services.award_create(
                actor=None, units=[(world.p, "")], people=["韦建华"], name="市奖", level="city", grade="first",
                year=2019, project=f"项目{i}", organisation=world.a,
            )  # fmt: skip

    add(1, 2)
    few = count_queries(client, url)
    add(3, 10)
    assert count_queries(client, url) == few


def test_the_master_file_page_cost_does_not_grow(world, client):
    def add(start, n):
        for i in range(start, start + n):
            fields = achievement_fields(world.a, f"2019450223A{i:03d}", evaluation_date=None)
            services.achievement_create(actor=None, units=[(world.p, "")], **fields)

    add(1, 1)
    few = count_queries(client, f"/orgs/{world.a.pk}/")
    add(2, 5)
    assert count_queries(client, f"/orgs/{world.a.pk}/") == few
