"""/api/v1/achievements: codes in, records out, Chinese errors, the audit trail, filters and the data scope."""

import pytest

from kechuang.accounts.choices import Role
from kechuang.accounts.services import token_create
from kechuang.achievements.models import Achievement, Award, Conversion, TechContract
from kechuang.core.models import AuditLog
from tests.api.conftest import JsonClient

BASE = "/api/v1/achievements"


@pytest.fixture
def client(bureau) -> JsonClient:
    client = JsonClient()
    client.force_login(bureau)
    return client


def test_register_an_achievement_by_credit_codes(world, client):
    payload = {
        "number": "2021４５０２２３a009",
        "title": "桑树病虫害绿色防控技术",
        "discipline": "植物保护",
        "organisation": world.a.uscc.lower(),
        "units": [world.p.uscc, "广西大学", f"{world.b.name}（{world.b.uscc}）"],
        "registration_date": "2021-05-06",
        "evaluation_method": "acceptance",
        "people": ["韦建华", "覃丽萍"],
    }
    response = client.send("post", f"{BASE}/", payload)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == "2021450223A009" and body["region"] == "450223100"
    assert body["units"] == [
        {"position": 2, "uscc": world.p.uscc, "name": world.p.name},
        {"position": 3, "uscc": None, "name": "广西大学"},
        {"position": 4, "uscc": world.b.uscc, "name": world.b.name},
    ]
    assert body["evaluation_conclusion"] == "" and body["people"] == ["韦建华", "覃丽萍"]
    assert AuditLog.objects.filter(content_type__model="achievementunit", action="create").count() >= 3


def test_errors_are_chinese_and_name_the_field(world, client):
    response = client.send("post", f"{BASE}/", {
        "number": "2021450223A009", "title": "成果", "organisation": world.a.uscc, "registration_date": "2021-05-06",
    })  # fmt: skip
    assert response.status_code == 400
    assert response.json()["errors"]["discipline"] == ["请选择高新技术领域，或填写学科（行业）领域"]
    response = client.send("post", f"{BASE}/", {
        "number": "2021450223A009", "title": "成果", "hitech_domain": 4, "organisation": "91450223MA5N7B2T5X",
        "registration_date": "2021-05-06",
    })  # fmt: skip
    assert response.status_code == 400 and "不在单位档案中" in response.json()["errors"]["organisation"][0]
    response = client.send("post", f"{BASE}/", {"title": "成果"})
    assert response.status_code == 422 and response.json()["errors"]["number"] == ["必填项"]
    response = client.send("patch", f"{BASE}/{world.record('achievement').pk}", {"title": None})
    assert response.status_code == 422 and response.json()["errors"]["title"] == ["不能为空"]
    response = client.send("post", f"{BASE}/", {
        "number": "2021450223A009", "title": "成果", "hitech_domain": 4, "organisation": world.a.uscc,
        "registration_date": "2021-05-06", "units": ["91450223MA5N7B2T5X"],
    })  # fmt: skip
    assert response.status_code == 400 and "不在单位档案中" in response.json()["errors"]["units"][0]
    assert not Achievement.objects.filter(number="2021450223A009").exists()


def test_patching_the_units_replaces_them(world, client):
    achievement = world.record("achievement")
    response = client.send("patch", f"{BASE}/{achievement.pk}", {"units": ["广西科技大学"], "title": "新名称"})
    assert response.status_code == 200, response.json()
    assert [u["name"] for u in response.json()["units"]] == ["广西科技大学"]
    response = client.send("patch", f"{BASE}/{achievement.pk}", {"summary": "简介"})
    assert [u["name"] for u in response.json()["units"]] == ["广西科技大学"]  # left out: kept


def test_a_conversion_names_its_achievement_by_number(world, client):
    achievement = world.record("achievement")
    response = client.send("post", f"{BASE}/conversions", {
        "achievement": achievement.number.lower(), "year": 2021, "form": "transfer", "organisation": world.a.uscc,
        "amount": "350000", "major": True, "major_reason": "填补县内空白",
    })  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["achievement"], body["implementer"], body["amount"]) == (achievement.number, world.a.name, "350000.00")
    outside = world.record("achievement", "b")
    response = client.send("post", f"{BASE}/conversions", {
        "achievement": outside.number, "year": 2021, "form": "transfer", "organisation": world.a.uscc,
    })  # fmt: skip
    assert response.status_code == 400
    assert "不存在或不在您的管辖范围内" in response.json()["errors"]["achievement"][0]
    listed = client.get(f"{BASE}/conversions?major=true&year=2021").json()["items"]
    assert [item["id"] for item in listed] == [body["id"]]


def test_contracts_with_a_buyer_outside_the_register(world, client):
    response = client.send("post", f"{BASE}/contracts", {
        "number": "2021450223000009", "name": "技术开发", "kind": "development", "seller": world.a.uscc,
        "buyer_name": "柳州某公司", "buyer_region": "450200", "amount": "1000000", "technical_income": "900000.5",
        "signing_date": "2021-01-05", "registration_date": "2021-01-20",
    })  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["buyer"], body["buyer_name"], body["buyer_region"]) == (None, "柳州某公司", "450200")
    assert body["technical_income"] == "900000.50"
    contract = TechContract.objects.get(number="2021450223000009")
    response = client.send("patch", f"{BASE}/contracts/{contract.pk}", {"technical_income": "2000000"})
    assert response.status_code == 400
    assert "技术交易额不能大于合同成交额" in response.json()["errors"]["technical_income"][0]
    response = client.send("patch", f"{BASE}/contracts/{contract.pk}", {"buyer": world.p.uscc})
    assert response.json()["buyer_name"] == world.p.name and response.json()["buyer_region"] == "450222"
    contract.refresh_from_db()
    assert (contract.buyer_name, contract.buyer_region) == ("", None)
    assert client.get(f"{BASE}/contracts?region=450223&kind=development").json()["count"] == 2


def test_awards_carry_units_and_people_in_rank(world, client):
    response = client.send("post", f"{BASE}/awards", {
        "name": "自治区科学技术进步奖", "level": "region", "grade": "first", "year": 2018,
        "project": "桑蚕茧丝绸产业发展关键技术研究开发与应用", "organisation": world.a.uscc,
        "units": ["广西壮族自治区蚕业技术推广站"], "people": ["韦建华", "覃丽萍", "黄志强"],
    })  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["units"] == [{"position": 2, "uscc": None, "name": "广西壮族自治区蚕业技术推广站"}]
    assert body["people"] == ["韦建华", "覃丽萍", "黄志强"]
    response = client.send("patch", f"{BASE}/awards/{body['id']}", {"people": ["黄志强"]})
    assert response.json()["people"] == ["黄志强"] and len(response.json()["units"]) == 1
    assert client.get(f"{BASE}/awards?level=region&year=2018").json()["count"] == 1
    assert client.delete(f"{BASE}/awards/{body['id']}").status_code == 204
    assert not Award.objects.filter(pk=body["id"]).exists()


def test_deleting_an_achievement_with_conversions_is_a_400(world, client):
    achievement = world.record("achievement")
    Conversion.objects.create(achievement=achievement, year=2020, form="self")
    response = client.delete(f"{BASE}/{achievement.pk}")
    assert response.status_code == 400 and "有 1 条成果转化记录" in response.json()["detail"]


def test_an_enterprise_reads_its_records_by_token(world, make_user):
    user = make_user(Role.ENTERPRISE, organisation=world.p)
    _token, key = token_create(actor=user, user=user, name="pytest")
    client = JsonClient(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert [i["id"] for i in client.get(f"{BASE}/").json()["items"]] == [world.record("achievement", "b").pk]
    assert client.get(f"{BASE}/{world.record('achievement', 'a').pk}").status_code == 404
    response = client.send("patch", f"{BASE}/{world.record('achievement', 'b').pk}", {"title": "改名"})
    assert response.status_code == 403
