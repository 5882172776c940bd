"""The carriers API (codes in, Chinese errors out, audit rows) and the pages around it (forms, master-file tabs)."""

import datetime

import pytest

from kechuang.accounts.choices import Role
from kechuang.carriers.models import Carrier, Tenant
from kechuang.core.models import AuditLog

D = datetime.date
pytestmark = pytest.mark.django_db
BASE = "/api/v1/carriers"


def test_create_by_credit_code_and_read_back(api, bureau, home):
    client = api(bureau)
    payload = {"kind": "etrc", "name": "柳州市某工程技术研究中心", "level": "city", "host": home.uscc.lower(),
               "recognised_date": "2019-11-06", "document_number": "柳科发〔2019〕72号"}  # fmt: skip
    response = client.send("post", f"{BASE}/", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["host"], body["host_name"], body["region"], body["location"]) == (
        home.uscc,
        home.name,
        None,
        "450223100",
    )
    carrier = Carrier.objects.get(pk=body["id"])
    assert AuditLog.objects.filter(content_type__model="carrier", object_id=str(carrier.pk), actor=bureau).exists()
    listed = client.get(f"{BASE}/", {"kind": "etrc", "year": 2020, "region": "450223"}).json()
    assert [item["id"] for item in listed["items"]] == [carrier.pk]
    assert client.get(f"{BASE}/", {"year": 2018}).json()["count"] == 0


def test_errors_are_chinese_and_name_the_field(api, bureau, home, far):
    client = api(bureau)
    base = {"kind": "park", "name": "园区", "level": "county", "recognised_date": "2019-01-01"}
    response = client.send("post", f"{BASE}/", base)
    assert response.status_code == 400
    assert response.json()["errors"] == {"region": ["没有依托单位的载体（如园区）须填写所在区划"]}
    response = client.send("post", f"{BASE}/", {**base, "host": far.uscc})
    assert response.status_code == 400
    assert response.json()["errors"]["host"] == [f"统一社会信用代码为“{far.uscc}”的单位不存在或不在您的管辖范围内"]
    response = client.send("post", f"{BASE}/", {**base, "region": "999999"})
    assert response.json()["errors"] == {"region": ["区划代码“999999”不存在"]}
    response = client.send("post", f"{BASE}/", {**base, "region": "450222"})  # 柳城县: outside the scope
    assert response.status_code == 403
    response = client.send("post", f"{BASE}/", {**base, "kind": "castle", "region": "450223"})
    assert response.status_code == 422 and response.json()["errors"]["kind"] == ["不是允许的选项"]
    assert not Carrier.objects.exists()


def test_patch_switches_from_host_to_region(api, bureau, home, make_carrier):
    carrier = make_carrier("某园区", kind="park", host=home)
    response = api(bureau).send("patch", f"{BASE}/{carrier.pk}", {"host": None, "region": "450223101"})
    assert response.status_code == 200, response.content
    assert response.json()["location"] == "450223101"
    response = api(bureau).send("patch", f"{BASE}/{carrier.pk}", {"name": None})
    assert response.status_code == 422


def test_counts_by_type_and_level(api, bureau, home, make_carrier):
    make_carrier("中心甲", host=home, recognised_date=D(2016, 1, 1))
    make_carrier("中心乙", host=home, recognised_date=D(2016, 1, 1), revoked_date=D(2020, 12, 31))
    make_carrier("空间甲", kind="maker_space", level="county", region="450223100", recognised_date=D(2020, 12, 31))
    response = api(bureau).get(f"{BASE}/counts", {"year": 2020, "region": "450223"})
    assert response.json() == [
        {"kind": "etrc", "level": "city", "count": 1},
        {"kind": "maker_space", "level": "county", "count": 1},
    ]


def test_tenant_api(api, bureau, home, make_carrier):
    space = make_carrier("某众创空间", kind="maker_space", region="450223100")
    centre = make_carrier("某中心", host=home)
    client = api(bureau)
    payload = {"carrier": space.pk, "organisation": home.uscc, "entry_date": "2019-04-01"}
    response = client.send("post", f"{BASE}/tenants", payload)
    assert response.status_code == 201, response.content
    assert response.json()["tenant_name"] == home.name
    response = client.send("post", f"{BASE}/tenants", {**payload, "carrier": centre.pk})
    assert response.status_code == 400
    assert "科技企业孵化器或众创空间" in response.json()["errors"]["carrier"][0]
    response = client.send("post", f"{BASE}/tenants", {**payload, "organisation": None, "team_name": ""})
    assert response.json()["errors"]["team_name"] == ["请选择入驻单位，或填写尚未在单位档案中的团队/企业名称"]
    listed = client.get(f"{BASE}/tenants", {"year": 2020}).json()
    assert listed["count"] == 1 and listed["items"][0]["carrier_name"] == "某众创空间"
    assert Tenant.objects.count() == 1


def test_enterprise_sees_its_carriers_on_its_master_file(login, make_user, home, make_carrier, make_tenant, make_org):
    incubator = make_carrier("鹿寨甲孵化器", kind="incubator", host=home)
    guest = make_org(name="鹿寨某电商有限公司", region="450223100")
    make_tenant(incubator, organisation=guest)
    client = login(make_user(Role.ENTERPRISE, organisation=home))
    page = client.get(f"/orgs/{home.pk}/")
    assert page.status_code == 200
    tabs = {item["section"].tab: item["count"] for item in page.context["sections"]}
    assert tabs["carriers"] == 1 and tabs["tenancies"] == 1
    guest_page = login(make_user(Role.ENTERPRISE, organisation=guest)).get(f"/orgs/{guest.pk}/")
    tabs = {item["section"].tab: item["count"] for item in guest_page.context["sections"]}
    assert tabs["carriers"] == 0 and tabs["tenancies"] == 1


def test_forms_show_rules_and_preselect(login, bureau, home, make_carrier):
    client = login(bureau)
    page = client.get(f"/carriers/new/?host={home.pk}")
    assert page.context["form"].initial["host"] == home.pk
    data = {"kind": "etrc", "name": "某中心", "level": "city", "host": home.pk, "region": "",
            "recognised_date": "2019-05-01", "revoked_date": "2019-01-01"}  # fmt: skip
    response = client.post("/carriers/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["revoked_date"] == ["撤销日期须晚于认定日期（2019-05-01）"]
    space = make_carrier("某众创空间", kind="maker_space", region="450223100")
    page = client.get(f"/carriers/tenants/new/?carrier={space.pk}")
    assert page.context["form"].initial["carrier"] == space.pk
    assert list(page.context["form"].fields["carrier"].queryset) == [space]
    detail = client.get(f"/carriers/{space.pk}/")
    assert "新增入驻企业" in detail.content.decode()


def test_navigation_lists_the_registry(login, bureau, make_user):
    labels = {item["label"] for group in login(bureau).get("/").context["nav_groups"] for item in group["items"]}
    assert {"创新载体", "入驻企业"} <= labels
    expert = make_user(Role.EXPERT)
    labels = {item["label"] for group in login(expert).get("/").context["nav_groups"] for item in group["items"]}
    assert not {"创新载体", "入驻企业"} & labels
