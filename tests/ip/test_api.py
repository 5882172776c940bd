"""/api/v1/ip: patents with owners and events, the statistics endpoint, other IP; Chinese errors by field."""

import datetime

import pytest

from kechuang.core.models import AuditLog
from kechuang.ip.models import OtherIP, Patent
from kechuang.regions.models import Population

from .conftest import make_number

pytestmark = pytest.mark.django_db
D = datetime.date
BASE = "/api/v1/ip"


def test_create_read_update_a_patent(bureau, home, neighbour, api):
    client = api(bureau)
    number = make_number(2019)
    response = client.send("post", f"{BASE}/patents", {
        "number": number, "title": "一种汽车制动盘的铸造方法", "application_date": "2019-03-01",
        "grant_date": "2021-06-08", "owners": [{"uscc": home.uscc}, {"name": "广西科技大学"}],
        "inventors": ["韦志强", "覃丽萍"],
    })  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["number"], body["number_display"], body["patent_type"], body["ip_class"]) == (
        number.replace(".", ""), number, "invention", "I"
    )  # fmt: skip
    assert body["region"] == "450223100" and body["status"] == "有效"
    assert [o["name"] for o in body["owners"]] == [home.name, "广西科技大学"]
    assert [e["status"] for e in body["events"]] == ["pending", "granted"]
    pk = body["id"]
    response = client.send("patch", f"{BASE}/patents/{pk}", {"owners": [{"uscc": neighbour.uscc}]})
    assert response.status_code == 200 and response.json()["region"] == "450223101"
    response = client.send("post", f"{BASE}/patents/{pk}/events", {"status": "lapsed", "date": "2023-03-01"})
    assert response.status_code == 201
    detail = client.get(f"{BASE}/patents/{pk}").json()
    assert (detail["ended_on"], detail["end_reason"], detail["status"]) == ("2023-03-01", "lapsed", "失效")
    event_id = next(e["id"] for e in detail["events"] if e["status"] == "lapsed")
    assert client.delete(f"{BASE}/patents/events/{event_id}").status_code == 204
    assert client.get(f"{BASE}/patents/{pk}").json()["status"] == "有效"
    assert AuditLog.objects.filter(content_type__model="patent", object_id=str(pk)).count() >= 3


def test_errors_name_the_field_in_chinese(bureau, home, api):
    client = api(bureau)
    response = client.send("post", f"{BASE}/patents", {
        "number": make_number(2019), "title": "x", "application_date": "2019-03-01",
        "owners": [{"name": "韦志强"}],
    })  # fmt: skip
    assert response.status_code == 400
    assert "不是已登记的单位" in response.json()["errors"]["owners"][0]
    response = client.send("post", f"{BASE}/patents", {
        "number": "202010566088.8", "title": "x", "application_date": "2020-03-01", "owners": [{"uscc": home.uscc}],
    })  # fmt: skip
    assert response.status_code == 400 and "校验码错误" in response.json()["errors"]["number"][0]
    response = client.send("post", f"{BASE}/patents", {"number": "x", "title": "x", "application_date": "2020-03-01"})
    assert response.status_code == 422 and response.json()["errors"]["owners"] == ["必填项"]
    patent = client.send("post", f"{BASE}/patents", {
        "number": make_number(2019), "title": "x", "application_date": "2019-03-01", "owners": [{"uscc": home.uscc}],
    }).json()  # fmt: skip
    response = client.send("post", f"{BASE}/patents/{patent['id']}/events", {"status": "lapsed", "date": "2020-01-01"})
    assert response.status_code == 400 and "只有已授权的专利" in response.json()["errors"]["date"][0]
    assert not Patent.objects.filter(ended_on__isnull=False).exists()


def test_list_filters_and_summary(bureau, home, make_patent, api, regions):
    make_patent(home, filed=D(2016, 2, 1), granted=D(2018, 3, 5))
    make_patent(home, patent_type="utility", filed=D(2019, 3, 1), granted=D(2019, 10, 8))
    make_patent(home, filed=D(2020, 2, 2), events=[("rejected", D(2022, 5, 1))])
    Population.objects.create(region=regions["450223"], year=2020, resident=10000)
    client = api(bureau)
    items = client.get(f"{BASE}/patents", {"category": "invention", "status": "valid", "day": "2020-12-31"}).json()
    assert items["count"] == 1
    assert client.get(f"{BASE}/patents", {"organisation": home.pk}).json()["count"] == 3
    summary = client.get(f"{BASE}/patents/summary", {"since": 2016, "until": 2020, "region": "450223"}).json()
    assert summary["applications"] == {"invention": 2, "utility": 1, "design": 0, "total": 3}
    assert summary["grants"] == {"invention": 1, "utility": 1, "design": 0, "total": 2}
    assert (summary["valid_inventions"], summary["per_10k"]) == (1, "1.00")


def test_other_ip(bureau, home, far, api):
    client = api(bureau)
    payload = {"uscc": home.uscc, "kind": "software", "number": "2020sr0123456", "title": "系统", "date": "2020-03-16"}
    response = client.send("post", f"{BASE}/other", payload)
    assert response.status_code == 201 and response.json()["number"] == "2020SR0123456"
    assert response.json()["ip_class"] == "II"
    pk = response.json()["id"]
    response = client.send("patch", f"{BASE}/other/{pk}", {"kind": "standard"})
    assert response.status_code == 400 and set(response.json()["errors"]) >= {"standard_level", "standard_role"}
    response = client.send("post", f"{BASE}/other", {**payload, "uscc": far.uscc, "number": "2020SR0000002"})
    assert response.status_code == 400 and "不在您的管辖范围内" in response.json()["errors"]["uscc"][0]
    assert client.get(f"{BASE}/other", {"kind": "software"}).json()["count"] == 1
    assert client.delete(f"{BASE}/other/{pk}").status_code == 204
    assert not OtherIP.objects.exists()
