"""/api/v1/talent: people, titles, commissioners, service logs and the figures — same services, restrict() and
audit as the web; identity numbers masked unless the caller may read them. The role table is written by hand."""

import datetime

import pytest

from kechuang.accounts.choices import Role
from kechuang.core.models import AuditLog
from kechuang.talent.choices import TitleLevel
from kechuang.talent.models import Commissioner, Person, ServiceLog, Title
from tests.api.conftest import JsonClient

from .conftest import make_id

pytestmark = pytest.mark.django_db
BASE = "/api/v1/talent"


@pytest.fixture
def api(bureau):
    client = JsonClient()
    client.force_login(bureau)
    return client


def as_user(user) -> JsonClient:
    client = JsonClient()
    client.force_login(user)
    return client


def test_person_crud_with_titles(api, make_org):
    org = make_org(region="450223100")
    number = make_id(birth="19790505", serial=5)
    response = api.send(
        "post",
        f"{BASE}/people",
        {
            "id_number": number,
            "name": "韦志强",
            "organisation": org.uscc,
            "is_researcher": True,
            "programmes": ["八桂学者"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["id_number"], body["id_number_masked"], body["region"], body["gender"]) == (
        number, number[:4] + "*" * 10 + number[-4:], "450223100", "male",
    )  # fmt: skip
    pk = body["id"]
    response = api.send("put", f"{BASE}/people/{pk}/titles/senior", {"name": "高级工程师", "obtained": "2019-12-20"})
    assert response.status_code == 200 and response.json()["level"] == "senior"
    response = api.send("patch", f"{BASE}/people/{pk}", {"phone": "13807720000", "education": "master"})
    assert response.status_code == 200
    assert response.json()["titles"] == [{"level": "senior", "name": "高级工程师", "obtained": "2019-12-20"}]
    assert api.get(f"{BASE}/people?title_level=senior").json()["items"][0]["id"] == pk
    assert api.send("delete", f"{BASE}/people/{pk}/titles/senior").status_code == 204
    assert api.send("delete", f"{BASE}/people/{pk}").status_code == 204
    assert not Person.objects.exists() and not Title.objects.exists()
    assert number not in str(list(AuditLog.objects.values_list("before", "after")))


def test_person_errors_name_the_field(api, make_person):
    person = make_person()
    response = api.send("post", f"{BASE}/people", {"id_number": person.id_number, "name": "重复", "region": "450223"})
    assert response.status_code == 400
    assert response.json()["errors"]["id_number"] == ["该身份证号码已登记在人才库中，请勿重复登记"]
    response = api.send("post", f"{BASE}/people", {"id_number": "123", "name": "x", "region": "450223"})
    assert response.status_code == 400 and "应为18位" in response.json()["errors"]["id_number"][0]
    response = api.send("patch", f"{BASE}/people/{person.pk}", {"name": None})
    assert response.status_code == 422


def test_moving_a_person_to_an_organisation_drops_their_own_region(api, make_person, make_org):
    person = make_person(region="450223104")
    org = make_org(region="450223100")
    response = api.send("patch", f"{BASE}/people/{person.pk}", {"organisation": org.uscc})
    assert response.status_code == 200, response.content
    assert response.json()["region"] == "450223100"
    assert Person.objects.get(pk=person.pk).region is None


def test_commissioner_and_log_crud_and_summary(api, make_person):
    person = make_person()
    response = api.send(
        "post",
        f"{BASE}/commissioners",
        {"id_number": person.id_number, "year": 2020, "township": "450223101", "village": "大兆村",
         "sending_unit_name": "鹿寨县农业技术推广中心", "level": "city"},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    commissioner = response.json()
    assert (commissioner["township_name"], commissioner["id_number"]) == ("中渡镇", person.id_number)
    for day, kind, trainees in (("2020-03-01", "guidance", 0), ("2020-04-01", "training", 40)):
        response = api.send(
            "post",
            f"{BASE}/service-logs",
            {"commissioner_id": commissioner["id"], "date": day, "kind": kind, "trainees": trainees, "content": "x"},
        )
        assert response.status_code == 201, response.content
    log_id = response.json()["id"]
    assert api.send("patch", f"{BASE}/service-logs/{log_id}", {"trainees": 45}).json()["trainees"] == 45
    summary = api.get(f"{BASE}/commissioners/summary?year=2020").json()
    assert [(r["visits"], r["days"], r["villages"], r["trainings"], r["trainees"]) for r in summary] == [
        (1, 1, 1, 1, 45)
    ]
    figures = api.get(f"{BASE}/figures?year=2020&region=450223").json()
    assert figures["commissioners"] == {
        "commissioners": 1, "visits": 1, "days": 1, "villages": 1, "trainings": 1, "trainees": 45,
    }  # fmt: skip
    response = api.send("delete", f"{BASE}/commissioners/{commissioner['id']}")
    assert response.status_code == 400 and "请先删除服务记录" in response.json()["detail"]
    assert api.send("delete", f"{BASE}/service-logs/{log_id}").status_code == 204


def test_figures_count_titles_at_the_year_end(api, make_person):
    make_person("甲", titles=[(TitleLevel.SENIOR, "高级农艺师", datetime.date(2020, 12, 1))])
    make_person("乙", titles=[(TitleLevel.INTERMEDIATE, "农艺师", datetime.date(2020, 1, 1))], is_researcher=True)
    assert api.get(f"{BASE}/figures?year=2019").json()["intermediate"] == 0
    body = api.get(f"{BASE}/figures?year=2020&region=450223").json()
    assert (body["senior"], body["intermediate"], body["researchers"]) == (1, 1, 1)


def test_openapi_lists_the_paths_with_chinese_summaries(api):
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    expected = {
        f"{BASE}/people": {"get", "post"},
        f"{BASE}/people/{{person_id}}": {"get", "patch", "delete"},
        f"{BASE}/people/{{person_id}}/titles/{{level}}": {"put", "delete"},
        f"{BASE}/commissioners": {"get", "post"},
        f"{BASE}/commissioners/summary": {"get"},
        f"{BASE}/commissioners/{{commissioner_id}}": {"get", "patch", "delete"},
        f"{BASE}/service-logs": {"get", "post"},
        f"{BASE}/service-logs/{{log_id}}": {"get", "patch", "delete"},
        f"{BASE}/figures": {"get"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
        assert all(op["tags"] == ["科技人才"] for op in paths[path].values())


# --- the role table ---------------------------------------------------------------------------------------------

ROLES = (Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN, Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.LEADER,
         Role.ENTERPRISE, Role.EXPERT, Role.PROVIDER)  # fmt: skip
# The status each role gets; "0" is a list answering 200 with nothing in it. Side B lies in 柳城县.
EXPECTED = """
                              sys sec aud adm stf ldr ent exp prv
people.list                    0   0   0   200 200 200 200 0   200
people.detail                  404 404 404 200 200 200 200 404 200
people.create                  403 403 403 201 201 403 403 403 403
people.patch                   404 404 404 200 200 403 403 404 403
people.delete                  404 404 404 204 403 403 403 404 403
title.put                      404 404 404 200 200 403 403 404 403
peopleB.detail                 404 404 404 404 404 404 404 404 404
peopleB.patch                  404 404 404 404 404 404 404 404 404
roster.list                    0   0   0   200 200 200 0   0   0
roster.detail                  404 404 404 200 200 200 404 404 404
roster.create                  403 403 403 201 201 403 403 403 403
roster.patch                   404 404 404 200 200 403 404 404 404
rosterB.detail                 404 404 404 404 404 404 404 404 404
summary                        0   0   0   200 200 200 0   0   0
logs.list                      0   0   0   200 200 200 0   0   0
logs.create                    404 404 404 201 201 403 404 404 404
logs.patch                     404 404 404 200 200 403 404 404 404
logs.delete                    404 404 404 204 403 403 404 404 404
figures                        403 403 403 200 200 200 403 403 403
"""


def _table(text: str) -> dict[tuple[str, str], str]:
    lines = [line.split() for line in text.strip().splitlines()]
    return {(name, role.value): cell for name, *cells in lines[1:] for role, cell in zip(ROLES, cells, strict=True)}


EXPECT = _table(EXPECTED)


@pytest.fixture
def sides(make_org, make_person, make_commissioner, make_log, far_township):
    a, b = make_org("鹿寨甲科技有限公司", region="450223100"), make_org("柳城丙机械有限公司", region="450222")
    person_a, person_b = make_person("韦甲", organisation=a), make_person("李丙", organisation=b)
    technician = make_person("覃技", region="450223101")
    roster_a = make_commissioner(technician, year=2020)
    roster_b = make_commissioner(person_b, year=2020, township=far_township, village="某村")
    return {"org": a, "a": person_a, "b": person_b, "tech": technician, "roster_a": roster_a,
            "roster_b": roster_b, "log": make_log(roster_a)}  # fmt: skip


def requests(s) -> dict:
    new_number = make_id(birth="19930303", serial=77)
    return {
        "people.list": ("get", f"{BASE}/people", None),
        "people.detail": ("get", f"{BASE}/people/{s['a'].pk}", None),
        "people.create": ("post", f"{BASE}/people", {"id_number": new_number, "name": "新人", "region": "450223102"}),
        "people.patch": ("patch", f"{BASE}/people/{s['a'].pk}", {"phone": "1"}),
        "title.put": ("put", f"{BASE}/people/{s['a'].pk}/titles/senior", {"name": "高工", "obtained": "2020-01-01"}),
        "peopleB.detail": ("get", f"{BASE}/people/{s['b'].pk}", None),
        "peopleB.patch": ("patch", f"{BASE}/people/{s['b'].pk}", {"phone": "1"}),
        "roster.list": ("get", f"{BASE}/commissioners", None),
        "roster.detail": ("get", f"{BASE}/commissioners/{s['roster_a'].pk}", None),
        "roster.create": (
            "post",
            f"{BASE}/commissioners",
            {
                "id_number": s["tech"].id_number,
                "year": 2021,
                "township": "450223101",
                "village": "大兆村",
                "sending_unit_name": "x",
            },
        ),
        "roster.patch": ("patch", f"{BASE}/commissioners/{s['roster_a'].pk}", {"field": "桑蚕"}),
        "rosterB.detail": ("get", f"{BASE}/commissioners/{s['roster_b'].pk}", None),
        "summary": ("get", f"{BASE}/commissioners/summary?year=2020", None),
        "logs.list": ("get", f"{BASE}/service-logs", None),
        "logs.create": (
            "post",
            f"{BASE}/service-logs",
            {"commissioner_id": s["roster_a"].pk, "date": "2020-08-01", "kind": "other", "content": "x"},
        ),
        "logs.patch": ("patch", f"{BASE}/service-logs/{s['log'].pk}", {"days": 2}),
        "figures": ("get", f"{BASE}/figures?year=2020", None),
        # Deletions last: later requests need the records.
        "logs.delete": ("delete", f"{BASE}/service-logs/{s['log'].pk}", None),
        "people.delete": ("delete", f"{BASE}/people/{s['a'].pk}", None),
    }


def state():
    return [list(m.objects.order_by("pk").values()) for m in (Person, Title, Commissioner, ServiceLog)]


@pytest.mark.parametrize("role", [r.value for r in ROLES])
def test_role_table(role, sides, make_user):
    if role in (Role.ENTERPRISE, Role.PROVIDER):
        user = make_user(role, organisation=sides["org"])
    elif role in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN):
        user = make_user(role, region=None)
    else:
        user = make_user(role)
    for name, (method, url, data) in requests(sides).items():
        expected = EXPECT[(name, role)]
        before = state()
        client = as_user(user)
        response = client.send(method, url, data) if data is not None else getattr(client, method)(url)
        if expected == "0":
            assert response.status_code == 200, (name, response.content)
            items = response.json()
            items = items["items"] if isinstance(items, dict) else items
            assert items == [], name
            continue
        assert response.status_code == int(expected), (name, response.status_code, response.content)
        if not expected.startswith("2"):
            assert state() == before, name
        if name.endswith("list") and expected == "200":
            body = response.json()["items"]
            assert body, name
            if name == "people.list":
                listed = {item["name"]: item["id_number"] for item in body}
                assert "李丙" not in listed
                a = sides["a"]
                shown = a.id_number if role in (Role.BUREAU_ADMIN, Role.BUREAU_STAFF) else a.id_number_masked
                assert listed["韦甲"] == shown
