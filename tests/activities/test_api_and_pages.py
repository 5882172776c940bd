"""The activities API (codes in, Chinese errors out) and the pages: forms in 万元, per-resident drill-down, tabs."""

import datetime
from decimal import Decimal

import pytest

from kechuang.accounts.choices import Role
from kechuang.activities.models import Activity, PopularisationSpending

D = datetime.date
pytestmark = pytest.mark.django_db
BASE = "/api/v1/activities"


def test_activity_api_round_trip(api, bureau, make_org):
    host = make_org(name="鹿寨县众创科技服务有限公司", region="450223100")
    client = api(bureau)
    payload = {"kind": "competition", "title": "第四届鹿寨县创新创业大赛", "region": "450223100",
               "start_date": "2020-10-15", "end_date": "2020-10-16", "organiser": "鹿寨县科学技术局",
               "organisation": host.uscc, "entries": 46, "awards": 15, "spending": "150000"}  # fmt: skip
    response = client.send("post", f"{BASE}/", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["region"], body["organisation"], body["spending"]) == ("450223100", host.uscc, "150000.00")
    response = client.send("patch", f"{BASE}/{body['id']}", {"trainees": 5})
    assert response.status_code == 400
    assert response.json()["errors"] == {"trainees": ["培训人数只适用于培训，创新创业大赛请留空"]}
    response = client.send("post", f"{BASE}/", payload)
    assert response.status_code == 400
    assert response.json()["errors"]["__all__"] == ["同一区划同一天已登记过同类型、同名称的活动"]
    listed = client.get(f"{BASE}/", {"kind": "competition", "year": 2020, "region": "450223"}).json()
    assert listed["count"] == 1
    assert client.get(f"{BASE}/", {"year": 2019}).json()["count"] == 0


def test_spending_api_and_per_resident(api, bureau, population):
    population("450223", 2020, 361600)
    client = api(bureau)
    response = client.send("post", f"{BASE}/spending", {"region": "450223", "year": 2020, "amount": "10800000"})
    assert response.status_code == 201, response.content
    client.send("post", f"{BASE}/spending", {"region": "450223100", "year": 2020, "amount": "1132800"})
    again = client.send("post", f"{BASE}/spending", {"region": "450223", "year": 2020, "amount": "1"})
    assert again.status_code == 400
    assert again.json()["errors"]["__all__"] == ["该区划该年度的科普经费已经登记过，请在列表中点“编辑”修改"]
    figure = client.get(f"{BASE}/spending/per-resident", {"region": "450223", "year": 2020}).json()
    assert figure == {
        "region": "450223",
        "region_name": "鹿寨县",
        "year": 2020,
        "spending": "11932800.00",
        "population": 361600,
        "per_resident": "33.00",
    }
    township = client.get(f"{BASE}/spending/per-resident", {"region": "450223100", "year": 2020}).json()
    assert township["per_resident"] is None and township["spending"] == "1132800.00"
    assert client.get(f"{BASE}/spending/per-resident", {"region": "450222", "year": 2020}).status_code == 404
    assert client.get(f"{BASE}/spending", {"year": 2020}).json()["count"] == 2


def test_forms_take_wan_yuan(login, bureau, regions):
    client = login(bureau)
    data = {"region": regions["450223"].pk, "year": 2020, "amount": "1193.28", "source": "决算", "notes": ""}
    response = client.post("/activities/spending/new/", data)
    assert response.status_code == 302
    spending = PopularisationSpending.objects.get()
    assert spending.amount == Decimal("11932800.00")
    form = client.get(f"/activities/spending/{spending.pk}/edit/").context["form"]
    assert form.initial["amount"] == Decimal("1193.28")
    assert form.fields["region"].disabled and form.fields["year"].disabled
    response = client.post("/activities/spending/new/", {**data, "amount": ""})
    assert response.context["form"].errors["amount"] == ["请填写科普经费"]
    activity = {"kind": "training", "title": "培训班", "region": regions["450223"].pk, "start_date": "2020-05-21",
                "organiser": "鹿寨县科学技术局", "trainees": 120, "entries": 3, "spending": "0.9"}  # fmt: skip
    response = client.post("/activities/new/", activity)
    assert response.context["form"].errors["entries"] == ["参赛项目数只适用于创新创业大赛，培训请留空"]
    response = client.post("/activities/new/", {**activity, "entries": ""})
    assert response.status_code == 302
    assert Activity.objects.get().spending == Decimal("9000.00")


def test_per_resident_page_drills_down(login, bureau, make_spending, population):
    population("450223", 2020, 361600)
    population("450223100", 2020, 120000)
    make_spending("450223", 2020, "10800000.00")
    make_spending("450223100", 2020, "360000.00")
    page = login(bureau).get("/activities/spending/per-resident/", {"year": 2020})
    assert page.status_code == 200
    assert page.context["figure"].value == Decimal("11160000") / 361600
    rows = {row.region.name: row for row in page.context["children"]}
    assert rows["鹿寨镇"].value == Decimal(3)
    assert "元/人" in page.content.decode()
    spending_page = login(bureau).get("/activities/spending/")
    assert [row[0].population for row in spending_page.context["table"].rows()] == [361600, 120000]


def test_activities_appear_on_the_organisers_master_file(login, bureau, make_activity, make_org, make_user):
    host = make_org(name="鹿寨县众创科技服务有限公司", region="450223100")
    make_activity("第一届大赛", kind="competition", organisation=host, entries=28, awards=10)
    tabs = {item["section"].tab: item["count"] for item in login(bureau).get(f"/orgs/{host.pk}/").context["sections"]}
    assert tabs["activities"] == 1
    enterprise = login(make_user(Role.ENTERPRISE, organisation=host)).get(f"/orgs/{host.pk}/")
    assert "activities" not in {item["section"].tab for item in enterprise.context["sections"]}
