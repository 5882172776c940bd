"""The master file's evaluation inputs: the rules of monthly head counts, R&D-management evidence and integrity
records (with the Chinese messages that say what to fix), who confirms what, the audit trail, and the yearly
averages of the monthly head counts (policy-rules.md §1.3)."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.accounts.choices import Role
from kechuang.core.models import AuditLog
from kechuang.orgs.forms import AnnualFiguresForm
from kechuang.orgs.models import IntegrityRecord, MonthlyHeadcount, RDManagementEvidence
from kechuang.orgs.selectors import headcount_average_of, headcount_averages, operating_months
from kechuang.orgs.services import evaluation_record_create, evaluation_record_update

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def firm(make_org):
    return make_org(name="鹿寨甲科技有限公司", region="450223100", registration_date=D(2015, 3, 1))


def months(organisation, year, counts, actor=None):
    """Record ``counts``: {month: (staff_start, staff_end, st_start, st_end)}."""
    for month, (a, b, c, d) in counts.items():
        evaluation_record_create(actor=actor, model=MonthlyHeadcount, organisation=organisation, year=year,
                                 month=month, staff_start=a, staff_end=b, st_start=c, st_end=d)  # fmt: skip


def refusal(model, organisation, actor=None, **fields) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        evaluation_record_create(actor=actor, model=model, organisation=organisation, **fields)
    return caught.value.message_dict


# --- the rules of each record ------------------------------------------------------------------------------------


def test_a_month_refuses_more_st_staff_than_staff_and_says_which_numbers(firm):
    errors = refusal(MonthlyHeadcount, firm, year=2024, month=5, staff_start=10, staff_end=12, st_start=11, st_end=3)
    assert errors == {"st_start": ["月初科技人员数（11）不能大于月初职工人数（10）"]}


def test_a_month_must_be_one_to_twelve_and_not_before_registration(firm):
    assert refusal(MonthlyHeadcount, firm, year=2024, month=13, staff_start=1, staff_end=1, st_start=0, st_end=0)[
        "month"
    ] == ["月份应为 1 至 12"]
    errors = refusal(MonthlyHeadcount, firm, year=2015, month=2, staff_start=1, staff_end=1, st_start=0, st_end=0)
    assert errors["month"] == ["该单位 2015-03-01 成立，2015年2月尚未成立，不能填报这个月的人数"]
    next_year = datetime.date.today().year + 1
    errors = refusal(MonthlyHeadcount, firm, year=next_year, month=1, staff_start=1, staff_end=1, st_start=0, st_end=0)
    assert errors["year"] == [f"年度 {next_year} 还没有到，不能填报"]


def test_a_month_is_recorded_once(firm):
    months(firm, 2024, {4: (10, 10, 2, 2)})
    errors = refusal(MonthlyHeadcount, firm, year=2024, month=4, staff_start=11, staff_end=11, st_start=2, st_end=2)
    assert errors["__all__"] == ["该单位这个月的职工人数已经填过，请在列表中点“编辑”修改"]


def test_a_negative_count_is_refused(firm):
    errors = refusal(MonthlyHeadcount, firm, year=2024, month=4, staff_start=-1, staff_end=10, st_start=0, st_end=0)
    assert "staff_start" in errors


def test_integrity_records_name_what_is_wrong(firm):
    base = {"description": "事故", "source": "鹿应急罚〔2024〕1号"}
    errors = refusal(IntegrityRecord, firm, kind="safety", date=D(2024, 3, 1), until=D(2024, 6, 1), **base)
    assert errors["until"] == ["只有“列入经营异常名录”和“列入严重违法失信名单”的记录才填写移出日期"]
    errors = refusal(IntegrityRecord, firm, kind="abnormal_list", date=D(2024, 3, 1), until=D(2024, 2, 1), **base)
    assert errors["until"] == ["移出日期 2024-02-01 不能早于列入日期 2024-03-01"]
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    errors = refusal(IntegrityRecord, firm, kind="fraud", date=tomorrow, **base)
    assert errors["date"] == [f"发生或列入日期 {tomorrow.isoformat()} 晚于今天，请核对"]
    errors = refusal(IntegrityRecord, firm, kind="fraud", date=D(2024, 3, 1), description="弄虚作假", source=" ")
    assert errors["source"] == ["请填写认定文书或来源，如处罚决定书文号或公示系统网址"]


def test_evidence_needs_a_description(firm):
    errors = refusal(RDManagementEvidence, firm, year=2024, item=1, description="  ")
    assert errors["description"] == ["请填写佐证说明，如制度名称和文号、研发机构名称或合作协议"]


# --- who confirms what, and the audit trail ------------------------------------------------------------------------


def test_what_an_enterprise_enters_counts_once_the_bureau_saves_it(firm, make_user, bureau):
    own = make_user(Role.ENTERPRISE, organisation=firm, region="450223100")
    before = AuditLog.objects.count()
    evidence = evaluation_record_create(actor=own, model=RDManagementEvidence, organisation=firm, year=2024, item=2,
                                        description="与广西大学共建联合实验室")  # fmt: skip
    assert evidence.confirmed is False and AuditLog.objects.count() == before + 1
    assert RDManagementEvidence.objects.confirmed().count() == 0
    evidence = evaluation_record_update(actor=bureau, instance=evidence, data={})
    assert evidence.confirmed is True and AuditLog.objects.count() == before + 2
    # The enterprise corrects it: to be confirmed again.
    evidence = evaluation_record_update(actor=own, instance=evidence, data={"description": "联合实验室协议"})
    assert RDManagementEvidence.objects.get(pk=evidence.pk).confirmed is False


def test_an_enterprise_cannot_write_integrity_records_nor_another_firms_months(firm, make_org, make_user):
    from kechuang.core.exceptions import AccessDenied

    own = make_user(Role.ENTERPRISE, organisation=firm, region="450223100")
    with pytest.raises(AccessDenied):
        evaluation_record_create(actor=own, model=IntegrityRecord, organisation=firm, kind="fraud",
                                 date=D(2024, 3, 1), description="x", source="y")  # fmt: skip
    other = make_org(name="鹿寨乙材料有限公司", region="450223100")
    with pytest.raises(AccessDenied):
        months(other, 2024, {1: (5, 5, 1, 1)}, actor=own)
    assert not MonthlyHeadcount.objects.exists() and not IntegrityRecord.objects.exists()


# --- yearly averages (§1.3) ------------------------------------------------------------------------------------------


def test_the_yearly_average_is_the_mean_of_the_month_averages(firm):
    # Jan–Jun: staff 100 → 104 (month average 102), S&T 10 → 12 (11); Jul–Dec: staff 120 → 126 (123), S&T 30 (30).
    months(firm, 2024, {m: (100, 104, 10, 12) for m in range(1, 7)} | {m: (120, 126, 30, 30) for m in range(7, 13)})
    # (6 × 102 + 6 × 123) / 12 = 112.5; (6 × 11 + 6 × 30) / 12 = 20.5
    assert headcount_averages(organisations=[firm.pk], year=2024) == {firm.pk: (Decimal("112.5"), Decimal("20.5"))}


def test_no_average_while_a_month_is_missing_or_unconfirmed(firm, make_user):
    months(firm, 2024, {m: (10, 10, 2, 2) for m in range(1, 12)})
    assert headcount_averages(organisations=[firm.pk], year=2024) == {}
    own = make_user(Role.ENTERPRISE, organisation=firm, region="450223100")
    months(firm, 2024, {12: (10, 10, 2, 2)}, actor=own)  # entered by the firm, not yet confirmed
    assert headcount_averages(organisations=[firm.pk], year=2024) == {}
    assert headcount_average_of(user=own, organisation=firm, year=2024)["missing"] == [12]


def test_a_firm_registered_during_the_year_averages_over_its_operating_months(make_org):
    young = make_org(name="鹿寨丙机械有限公司", region="450223100", registration_date=D(2024, 3, 15))
    assert list(operating_months(young.registration_date, 2024)) == list(range(3, 13))
    assert list(operating_months(young.registration_date, 2023)) == []
    # Mar–Jul: staff 8 → 10 (9); Aug–Dec: 12 → 14 (13): (5 × 9 + 5 × 13) / 10 = 11. S&T 2 → 3 (2.5) all year.
    months(young, 2024, {m: (8, 10, 2, 3) for m in range(3, 8)} | {m: (12, 14, 2, 3) for m in range(8, 13)})
    assert headcount_averages(organisations=[young.pk], year=2024) == {young.pk: (Decimal(11), Decimal("2.5"))}


def test_the_bureau_sees_the_average_on_the_month_page(firm, login, bureau):
    months(firm, 2024, {m: (20, 20, 4, 4) for m in range(1, 13)})
    page = login(bureau).get(MonthlyHeadcount.objects.get(month=1).get_absolute_url())
    assert "年平均职工人数 20.00 人" in page.content.decode()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 5000), st.integers(0, 50), st.integers(0, 50)),
                min_size=12, max_size=12))  # fmt: skip
def test_the_averages_are_exact_or_keep_their_ratio_exact(counts):
    """Each Decimal average equals Σ(start + end) / 24 exactly when that is a finite decimal, and to 40 significant
    digits otherwise; the ratio of S&T staff to staff is always exactly the ratio of the sums (what the S&T-staff
    conditions compare with their bounds)."""
    from kechuang.orgs.models import Organisation
    from kechuang.regions.models import Region
    from tests.conftest import make_uscc

    firm, _ = Organisation.objects.get_or_create(
        name="鹿寨性质科技有限公司", defaults={"region": Region.objects.get(code="450223"), "uscc": make_uscc("450223")}
    )
    MonthlyHeadcount.objects.filter(organisation=firm).delete()
    MonthlyHeadcount.objects.bulk_create(
        MonthlyHeadcount(organisation=firm, year=2024, month=m, staff_start=a + c, staff_end=b + d, st_start=c,
                         st_end=d)
        for m, (a, b, c, d) in enumerate(counts, start=1)
    )  # fmt: skip
    staff, st_staff = headcount_averages(organisations=[firm.pk], year=2024)[firm.pk]
    staff_sum = sum(a + b + c + d for a, b, c, d in counts)
    st_sum = sum(c + d for _, _, c, d in counts)
    for value, total in ((staff, staff_sum), (st_staff, st_sum)):
        exact = Fraction(total, 24)
        assert Fraction(value) <= exact and exact - Fraction(value) <= exact * Fraction(1, 10**39)
    if all(Fraction(total, 24).denominator in (1, 2, 4, 8) for total in (staff_sum, st_sum)):  # 24 = 8 × 3
        assert (Fraction(staff), Fraction(st_staff)) == (Fraction(staff_sum, 24), Fraction(st_sum, 24))
    if staff_sum:
        assert Fraction(st_staff) / Fraction(staff) == Fraction(st_sum, staff_sum)


def test_s_and_t_staff_exactly_on_a_band_bound_stay_on_it(firm):
    # Staff 100 all year but 100 → 104 in December: 2404 / 24 = 100.1666…; S&T staff a quarter of it: 601 / 24 =
    # 25.041666…. Neither is a finite decimal; their ratio is still exactly 25 % (the tech-SME band B bound).
    months(firm, 2024, {m: (100, 100, 25, 25) for m in range(1, 12)} | {12: (100, 104, 25, 26)})
    staff, st_staff = headcount_averages(organisations=[firm.pk], year=2024)[firm.pk]
    assert Fraction(st_staff) / Fraction(staff) == Fraction(1, 4)
    assert staff < Fraction(2404, 24) and Fraction(2404, 24) - Fraction(staff) < Fraction(1, 10**37)


# --- the yearly figures' 查账征收 and the master-file page ------------------------------------------------


def test_the_figures_form_takes_audit_taxation(firm, bureau):
    form = AnnualFiguresForm({"year": 2024, "audit_taxation": "true", "source": "entry", "basis": ""}, user=bureau)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["audit_taxation"] is True


def test_the_master_file_page_shows_the_tabs_an_enterprise_may_use(firm, make_user, login):
    own = make_user(Role.ENTERPRISE, organisation=firm, region="450223100")
    months(firm, 2024, {1: (10, 10, 2, 2)})
    IntegrityRecord.objects.create(organisation=firm, kind="fraud", date=D(2024, 3, 1), description="虚报材料",
                                   source="鹿科通〔2024〕3号")  # fmt: skip
    page = login(own).get(firm.get_absolute_url())
    sections = {item["section"].tab: item for item in page.context["sections"]}
    assert sections["headcounts"]["count"] == 1 and sections["headcounts"]["create_url"]
    assert sections["rd-management"]["create_url"]  # the firm adds its own evidence
    assert sections["integrity"]["count"] == 1 and sections["integrity"]["create_url"] is None  # the bureau's


# --- the whole year on one page (全年填报) ----------------------------------------------------------------------------


def test_the_year_page_saves_the_months_entered_and_the_bureau_confirms_them(firm, make_user, login, bureau):
    own = make_user(Role.ENTERPRISE, organisation=firm, region="450223100")
    url = f"/orgs/{firm.pk}/headcounts/2024/"
    form = {
        f"{name}_{m}": value
        for m in range(1, 13)
        for name, value in zip(MonthlyHeadcount.COUNTS, (20, 22, 4, 4), strict=True)
    }
    response = login(own).post(url, {**form, "st_start_3": ""})  # March filled in part
    assert response.status_code == 200 and not MonthlyHeadcount.objects.exists()
    assert "3月的月初、月末职工人数和科技人员数要么都填，要么都不填" in response.content.decode()
    response = login(own).post(url, {**form, "st_start_5": "30"})  # May: more S&T staff than staff
    assert "5月：月初科技人员数（30）不能大于月初职工人数（20）" in response.content.decode()
    assert not MonthlyHeadcount.objects.exists()  # all or nothing
    # Every month's problems on one page at once: a part-filled month, a rule broken, a negative cell (said once).
    response = login(own).post(url, {**form, "st_start_3": "", "st_end_5": "30", "staff_end_7": "-1"})
    body = response.content.decode()
    assert "3月的月初、月末职工人数和科技人员数要么都填，要么都不填" in body
    assert "5月：月末科技人员数（30）不能大于月末职工人数（22）" in body
    assert "7月月末职工人数不能为负数" in body and "7月的月初" not in body and "确保该值" not in body
    assert not MonthlyHeadcount.objects.exists()
    assert login(own).post(url, form).status_code == 302
    assert MonthlyHeadcount.objects.filter(confirmed=False).count() == 12
    assert headcount_averages(organisations=[firm.pk], year=2024) == {}  # not yet confirmed
    before = AuditLog.objects.count()
    assert login(bureau).post(url, form).status_code == 302  # the bureau checks the page and saves it
    assert AuditLog.objects.count() == before + 12 and not MonthlyHeadcount.objects.filter(confirmed=False).exists()
    assert headcount_averages(organisations=[firm.pk], year=2024) == {firm.pk: (Decimal(21), Decimal(4))}
    assert login(bureau).post(url, form).status_code == 302 and AuditLog.objects.count() == before + 12  # unchanged
    assert login(own).post(url, form).status_code == 302  # the firm saves the same page again: nothing changes
    assert AuditLog.objects.count() == before + 12 and not MonthlyHeadcount.objects.filter(confirmed=False).exists()


def test_the_year_page_offers_only_the_operating_months(make_org, login, bureau):
    young = make_org(name="鹿寨丁新材料有限公司", region="450223100", registration_date=D(2024, 10, 8))
    page = login(bureau).get(f"/orgs/{young.pk}/headcounts/2024/")
    assert page.context["form"].months == [10, 11, 12]
    assert login(bureau).get(f"/orgs/{young.pk}/headcounts/{datetime.date.today().year + 1}/").status_code == 404


# --- evidence documents and the API -------------------------------------------------------------------------------


def test_an_enterprise_attaches_a_document_to_its_evidence_and_the_api_lists_it(firm, make_user, login, api, settings,
                                                                                  tmp_path):  # fmt: skip
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    own = make_user(Role.ENTERPRISE, organisation=firm, region="450223100")
    evidence = evaluation_record_create(actor=own, model=RDManagementEvidence, organisation=firm, year=2024, item=1,
                                        description="研发费用辅助账管理办法")  # fmt: skip
    content_type = ContentType.objects.get_for_model(RDManagementEvidence).pk
    upload = SimpleUploadedFile("辅助账办法.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    response = login(own).post(f"/attachments/{content_type}/{evidence.pk}/upload/", {"kind": "other", "file": upload})
    assert response.status_code == 302 and response["Location"] == evidence.get_absolute_url()
    page = login(own).get(evidence.get_absolute_url()).content.decode()
    assert "辅助账办法.pdf" in page and "科技局确认后才计入评价" in page
    [item] = api(own).get(f"/api/v1/orgs/{firm.pk}/rd-evidence").json()
    assert item["attachments"][0]["name"] == "辅助账办法.pdf" and item["confirmed"] is False
    assert item["item_name"] == "研发组织管理制度、研发投入核算体系和研发费用辅助账"


def test_the_api_average_names_the_months_still_missing(firm, api, bureau):
    months(firm, 2024, {m: (10, 14, 2, 2) for m in range(1, 12)})
    body = api(bureau).get(f"/api/v1/orgs/{firm.pk}/headcounts/2024/average").json()
    assert body["missing"] == [12] and body["staff_average"] is None
    months(firm, 2024, {12: (10, 14, 2, 2)})
    body = api(bureau).get(f"/api/v1/orgs/{firm.pk}/headcounts/2024/average").json()
    assert body["missing"] == [] and Decimal(body["staff_average"]) == 12 and Decimal(body["st_average"]) == 2


def test_the_api_refuses_an_integrity_record_without_its_source(firm, api, bureau):
    payload = {"kind": "fraud", "date": "2024-03-01", "description": "虚报", "source": ""}
    response = api(bureau).send("post", f"/api/v1/orgs/{firm.pk}/integrity", payload)
    assert response.status_code == 400
    assert response.json()["errors"]["source"] == ["请填写认定文书或来源，如处罚决定书文号或公示系统网址"]
