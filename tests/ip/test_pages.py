"""The pages a bureau user clicks through: register a patent, record its status, find it, see it on the master file."""

import datetime

import pytest
from django.urls import reverse

from kechuang.ip.models import OtherIP, Patent

from ..web.conftest import describe, xlsx_rows
from .conftest import make_number

pytestmark = pytest.mark.django_db
D = datetime.date


def form(**changes) -> dict:
    data = {"number": "", "patent_type": "", "title": "一种桉木单板旋切装置", "application_date": "2019-03-01",
            "publication_number": "", "acquisition": "own_rd", "owners": "", "owner_region": "",
            "inventors_text": "韦志强\n覃丽萍", "grant_date": ""}  # fmt: skip
    return {**data, **changes}


def test_register_a_patent_then_its_lapse(bureau, login, home, regions):
    client = login(bureau)
    number = make_number(2019, "utility")
    response = client.post("/ip/new/", form(number=number, owners=f"韦志强\n{home.uscc}",
                                            owner_region=regions["450223104"].pk, grant_date="2019-10-08"))  # fmt: skip
    assert response.status_code == 302, describe(response)
    patent = Patent.objects.get()
    assert (patent.patent_type, patent.region.code, patent.owner_names) == (
        "utility",
        "450223104",
        ["韦志强", home.name],
    )
    page = client.get(response["Location"]).content.decode()
    assert number in page and "有效" in page and home.name in page and "第一专利权人" in page
    response = client.post(reverse("ip:event_create", args=[patent.pk]), {"status": "lapsed", "date": "2019-10-08"})
    assert "“失效”的日期应晚于授权日期 2019-10-08" in response.content.decode()
    response = client.post(reverse("ip:event_create", args=[patent.pk]), {"status": "lapsed", "date": "2021-11-20"})
    assert response.status_code == 302
    patent.refresh_from_db()
    assert patent.ended_on == D(2021, 11, 20) and patent.status_on(D(2026, 1, 1)) == "失效"


def test_form_reports_problems_by_field(bureau, login, home):
    client = login(bureau)
    response = client.post("/ip/new/", form(number="202010566088.8", owners="韦志强"))
    errors = response.context["form"].errors
    assert "校验码错误" in errors["number"][0]
    assert "不是已登记的单位" in errors["owners"][0]
    response = client.post("/ip/new/", form(number=make_number(2019), owners=home.name, patent_type="design"))
    assert "不一致" in response.context["form"].errors["patent_type"][0]
    assert not Patent.objects.exists()


def test_edit_keeps_owners_and_list_finds_and_exports(bureau, login, home, make_patent):
    patent = make_patent(home, filed=D(2019, 3, 1), granted=D(2021, 6, 8), title="一种滑石粉改性方法")
    client = login(bureau)
    edit = client.get(reverse("ip:patent_edit", args=[patent.pk]))
    assert edit.context["form"].initial["owners"] == home.uscc and "grant_date" not in edit.context["form"].fields
    for query in ({"q": "滑石粉"}, {"q": home.name[:4]}, {"q": f"ZL{patent.number_display}"}, {"status": "valid"},
                  {"category": "invention", "granted_year": 2021}):  # fmt: skip
        assert [p.pk for p in client.get("/ip/", query).context["page"].object_list] == [patent.pk], query
    assert not client.get("/ip/", {"status": "pending"}).context["page"].object_list
    rows = xlsx_rows(client.get("/ip/?export=xlsx&category=invention"))
    assert rows[0][:3] == ("申请号", "专利名称", "专利类型") and rows[1][0] == patent.number_display
    assert rows[1][4] == home.name


def test_other_ip_from_the_master_file(bureau, login, home):
    client = login(bureau)
    new = client.get(f"/ip/other/new/?organisation={home.pk}")
    assert new.context["form"].fields["organisation"].disabled
    data = {"kind": "software", "number": "2020SR0123456", "title": "生产管理系统V1.0", "date": "2020-03-16",
            "acquisition": "own_rd", "organisation": home.pk}  # fmt: skip
    response = client.post(f"/ip/other/new/?organisation={home.pk}", data)
    assert response.status_code == 302, describe(response)
    record = OtherIP.objects.get()
    assert record.organisation == home and response["Location"] == record.get_absolute_url()
    page = client.get(reverse("orgs:detail", args=[home.pk])).content.decode()
    assert "2020SR0123456" in page and "其他知识产权" in page


def test_navigation_lists_the_registry(bureau, login):
    page = login(bureau).get("/").content.decode()
    assert 'href="/ip/"' in page and 'href="/ip/other/"' in page


def test_list_pages_do_not_query_per_row(bureau, login, home, neighbour, make_patent, api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, json_client = login(bureau), api(bureau)

    def queries(url, c) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert c.get(url).status_code == 200
        return len(captured)

    make_patent(home, neighbour)
    queries("/ip/", client), queries("/api/v1/ip/patents", json_client)  # a session's first request writes more
    before = [queries("/ip/", client), queries("/api/v1/ip/patents", json_client)]
    for _ in range(6):
        make_patent(home, neighbour, filed=D(2018, 5, 1), granted=D(2020, 3, 3))
    assert [queries("/ip/", client), queries("/api/v1/ip/patents", json_client)] == before
