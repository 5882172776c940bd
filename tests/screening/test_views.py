"""The screening pages as the bureau uses them: start a run, decide candidates one by one and in bulk, read the
members' trajectories (chart data and table, export) and the expiring certificates (list, export, the overview);
the API round trip; the command."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from kechuang.accounts.choices import Role
from kechuang.evaluation.services import evaluations_store
from kechuang.orgs.models import PoolMembership
from kechuang.screening.models import Candidate, ScreeningRun
from kechuang.screening.selectors import expiring_certificates
from tests.screening.conftest import hte_certificate, member
from tests.web.conftest import xlsx_rows

D = datetime.date
pytestmark = pytest.mark.django_db


def test_starting_a_run_from_the_overview(county, pools, make_user, login):
    client = login(make_user(Role.BUREAU_STAFF))
    page = client.get("/screening/")
    assert page.status_code == 200 and "开始筛选" in page.content.decode()
    assert page.context["form"]["year"].value() == 2024  # the county's figures end there, not last year
    assert list(page.context["form"].fields["pool"].queryset.values_list("code", flat=True)) == [
        "hte-reserve", "high-growth-tsme", "gazelle"
    ]  # fmt: skip
    response = client.post("/screening/", {"pool": pools["hte-reserve"].pk, "year": 2024})
    run = ScreeningRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/screening/runs/{run.pk}/"
    detail = client.get(response["Location"])
    body = detail.content.decode()
    assert [row["candidate"].organisation.name for row in detail.context["rows"]] == [
        "鹿寨乙材料有限公司", "鹿寨甲科技有限公司"
    ]  # fmt: skip
    assert "科技型中小企业评价得分 62 分" in body and 'name="candidate"' in body
    assert detail.context["counts"] == {"entry": 2, "exit": 0, "stay": 0, "pending": 2}


def test_one_by_one_and_in_bulk(county, pools, make_org, firm, make_user, login):
    staff = make_user(Role.BUREAU_STAFF)
    client = login(staff)
    client.post("/screening/", {"pool": pools["hte-reserve"].pk, "year": 2024})
    run = ScreeningRun.objects.get()
    first, second = (run.candidates.get(organisation=county[k]) for k in ("first", "second"))
    # Rejecting without a comment is refused with the reason; nothing changes.
    response = client.post(f"/screening/candidates/{first.pk}/decide/", {"decision": "rejected"}, follow=True)
    assert "不予采纳时须填写意见" in response.content.decode()
    assert Candidate.objects.get(pk=first.pk).decision == "pending"
    client.post(f"/screening/candidates/{first.pk}/decide/", {"decision": "rejected", "comment": "已迁出"})
    assert Candidate.objects.get(pk=first.pk).decision == "rejected"
    response = client.post(f"/screening/runs/{run.pk}/decide/",
                           {"decision": "confirmed", "candidate": [first.pk, second.pk]}, follow=True)  # fmt: skip
    assert "已处理 1 家，跳过已处理的 1 家" in response.content.decode()
    assert list(PoolMembership.objects.values_list("organisation__name", "entry_year")) == [
        ("鹿寨乙材料有限公司", 2025)
    ]


def test_candidate_export(county, pools, make_user, login):
    client = login(make_user(Role.LEADER))
    from kechuang.screening.services import screening_run

    run = screening_run(actor=make_user(Role.BUREAU_ADMIN), pool=pools["high-growth-tsme"], year=2024)
    rows = xlsx_rows(client.get(f"/screening/runs/{run.pk}/?export=xlsx"))
    header = rows[0]
    row = dict(zip(header, rows[1], strict=True))
    assert row["单位名称"] == "鹿寨乙材料有限公司" and row["排名"] == 1 and row["建议"] == "建议入库"
    assert row["销售收入增长率（%）"] == 20 and row["研发费用占比（%）"] == 3 and row["销售收入（万元）"] == 1200
    assert "销售收入比上年增长 20.00%" in row["理由"]


def test_trajectory_of_a_member(county, pools, make_user, login):
    staff = make_user(Role.BUREAU_STAFF)
    evaluations_store(actor=staff, kind="tsme", year=2024)
    membership = member(county["second"], pools["high-growth-tsme"], 2024)
    client = login(make_user(Role.LEADER))
    page = client.get(f"/screening/trajectories/{membership.pk}/?year=2024")
    assert page.status_code == 200
    chart = page.context["chart"]
    assert chart["years"] == ["2020", "2021", "2022", "2023", "2024"]
    assert chart["series"][0]["data"] == [None, None, None, 1000.0, 1200.0]
    assert chart["series"][1]["data"] == [None, None, None, 3.0, 3.0]
    body = page.content.decode()
    assert 'id="trajectory-data"' in body and "vendor/echarts/echarts.min.js" in body
    rows = xlsx_rows(client.get(f"/screening/trajectories/{membership.pk}/?year=2024&export=xlsx"))
    last = dict(zip(rows[0], rows[-1], strict=True))
    assert last["年度"] == 2024 and last["销售收入（万元）"] == Decimal(1200) and last["科技人员数"] == 20
    assert last["Ⅰ类知识产权"] == 1 and last["科技型中小企业评价"] == "不符合"  # stored: basic declarations missing
    assert client.get(f"/screening/trajectories/{membership.pk}/").context["year"] == 2024  # its last figures
    listing = client.get("/screening/trajectories/?year=2024&pool=high-growth-tsme")
    assert [r["membership"] for r in listing.context["rows"]] == [membership]


def test_expiring_certificates_within_twelve_months(county, make_user, login):
    day = D(2026, 3, 1)
    ends_inside = hte_certificate(county["first"], D(2024, 2, 28), "GR202445000001")  # valid to 2027-02-27
    hte_certificate(county["second"], D(2024, 3, 1), "GR202445000002")  # to 2027-02-28: the last day, inside
    hte_certificate(county["third"], D(2024, 3, 2), "GR202445000003")  # to 2027-03-01: outside
    hte_certificate(county["outside"], D(2024, 2, 28), "GR202445000004")  # inside the window, outside the county
    staff = make_user(Role.BUREAU_STAFF)
    found = list(expiring_certificates(user=staff, day=day))
    assert [c.number for c in found] == ["GR202445000001", "GR202445000002"]
    assert expiring_certificates(user=None, day=day).count() == 3
    # Recognised again: a later certificate valid beyond the year takes the firm off the list.
    hte_certificate(county["first"], D(2026, 2, 1), "GR202645000005")
    assert [c.number for c in expiring_certificates(user=staff, day=day)] == ["GR202445000002"]
    client = login(staff)
    rows = xlsx_rows(client.get("/screening/expiring/?day=2026-03-01&export=xlsx"))
    assert rows[1][0] == "鹿寨乙材料有限公司" and rows[1][-1] == "须申请重新认定"
    assert ends_inside.valid_until == D(2027, 2, 27)


def test_the_overview_flags_expiring_certificates(county, make_user, login):
    today = datetime.date.today()
    hte_certificate(county["first"], today.replace(year=today.year - 2, day=1), f"GR{today.year - 2}45000001")
    page = login(make_user(Role.LEADER)).get("/screening/")
    assert page.context["expiring_total"] == 1 and "鹿寨甲科技有限公司" in page.content.decode()
    assert page.context["form"] is None  # the leader reads only


def test_api_round_trip(county, pools, make_user, api):
    client = api(make_user(Role.BUREAU_ADMIN))
    created = client.send("post", "/api/v1/screening/runs", {"pool": "high-growth-tsme", "year": 2024})
    assert created.status_code == 201, created.content
    run = created.json()
    assert (run["intake_year"], run["region"], run["counts"]) == (2025, "450223", {"entry": 1, "exit": 0, "stay": 0,
                                                                                   "pending": 1})  # fmt: skip
    listed = client.get(f"/api/v1/screening/runs/{run['id']}/candidates").json()["items"]
    assert [(c["name"], c["proposal"], c["rank"]) for c in listed] == [("鹿寨乙材料有限公司", "entry", 1)]
    refused = client.send("post", f"/api/v1/screening/candidates/{listed[0]['id']}/decision", {"decision": "rejected"})
    assert refused.status_code == 400 and refused.json()["errors"] == {
        "comment": ["不予采纳时须填写意见，写明不采纳的理由"]
    }
    done = client.send("post", f"/api/v1/screening/candidates/{listed[0]['id']}/decision", {"decision": "confirmed"})
    assert done.status_code == 200 and done.json()["decision"] == "confirmed"
    assert PoolMembership.objects.filter(pool__code="high-growth-tsme", entry_year=2025).count() == 1
    unknown = client.send("post", "/api/v1/screening/runs", {"pool": "listing-reserve", "year": 2024})
    assert unknown.status_code == 400 and "须手工入库" in unknown.json()["detail"]


def test_the_command_prints_the_count_by_proposal(county, pools, make_user, capsys):
    make_user(Role.BUREAU_STAFF, username="luzhai-staff")
    member(county["first"], pools["hte-reserve"], 2022)  # three years in: proposed to exit
    call_command("screen", "hte-reserve", "--year", "2024", "--user", "luzhai-staff")
    out = capsys.readouterr().out
    assert "后备高新技术企业库 2024年度筛选（鹿寨县）：参评 3 家" in out
    assert "建议入库\t1" in out and "建议出库\t1" in out and "继续在库\t0" in out
    call_command("screen", "gazelle", "--year", "2024", "--region", "450222")
    assert ScreeningRun.objects.filter(region__code="450222", run_by=None).count() == 1
    with pytest.raises(CommandError, match="请指定筛选范围"):
        call_command("screen", "gazelle", "--year", "2024")
    with pytest.raises(CommandError, match="没有代码为“nope”的培育库"):
        call_command("screen", "nope", "--year", "2024")
    make_user(Role.LEADER, username="luzhai-leader")
    with pytest.raises(CommandError, match="无权"):
        call_command("screen", "gazelle", "--year", "2024", "--user", "luzhai-leader")


def test_the_run_form_offers_last_year_when_the_scope_has_no_figures_or_newer_ones(make_user, make_org, login):
    from django.utils import timezone

    from kechuang.orgs.models import AnnualFigures

    client = login(make_user(Role.BUREAU_STAFF))
    last_year = timezone.localdate().year - 1
    assert client.get("/screening/").context["form"]["year"].value() == last_year
    AnnualFigures.objects.create(organisation=make_org(region="450223100"), year=last_year + 1)
    assert client.get("/screening/").context["form"]["year"].value() == last_year
