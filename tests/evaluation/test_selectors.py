"""The evaluation inputs read from the master file as columns: which organisations, which years in which slots, the
IP, certificates, standards, awards and conversions counted, the user's scope, and what the master file lacks."""

import datetime
from decimal import Decimal

import pytest

from kechuang.accounts.choices import Role
from kechuang.achievements.models import Award, AwardParticipant, Conversion
from kechuang.carriers.models import Carrier
from kechuang.evaluation import hte, tsme
from kechuang.evaluation.selectors import hte_columns, tsme_columns
from kechuang.ip.models import OtherIP
from kechuang.orgs.choices import IndustryLevel
from kechuang.orgs.models import (
    AnnualFigures,
    Certificate,
    Industry,
    IntegrityRecord,
    MonthlyHeadcount,
    RDManagementEvidence,
)
from kechuang.orgs.services import evaluation_record_create
from tests.ip.conftest import make_patent  # noqa: F401  (the fixture)

D = datetime.date
pytestmark = pytest.mark.django_db


def figures(organisation, year, status="approved", **values):
    amounts = {k: Decimal(v) for k, v in values.items() if k not in ("staff_total", "st_staff")}
    counts = {k: v for k, v in values.items() if k in ("staff_total", "st_staff")}
    return AnnualFigures.objects.create(organisation=organisation, year=year, review_status=status, **amounts, **counts)


def sales(amount: str, **more) -> dict:
    return {"sales_revenue": amount, "total_income": amount, "rd_expense": "600000", "rd_domestic": "500000",
            "net_assets": "2000000", "total_assets": "9000000", "total_costs": "8000000", **more}  # fmt: skip


@pytest.fixture
def county(make_org, make_patent):  # noqa: F811
    """甲: a manufacturer with three years, an invention patent, a high-tech certificate, a national standard it led,
    two conversions, a national award as second unit and an 自治区级 enterprise technology centre; 乙: a retailer with
    only the last year; 丙: figures only for 2023; 丁: outside the county."""
    manufacturing, retail = (
        Industry.objects.get_or_create(code=code, defaults={"name": name, "level": IndustryLevel.DIVISION})[0]
        for code, name in (("30", "非金属矿物制品业"), ("52", "零售业"))
    )
    first = make_org(name="鹿寨甲科技有限公司", region="450223100", registration_date=D(2015, 3, 1), hitech_domain=4,
                     industry=manufacturing)  # fmt: skip
    second = make_org(name="鹿寨乙材料有限公司", region="450223101", registration_date=D(2024, 3, 1), industry=retail)
    third = make_org(name="鹿寨丙机械有限公司", region="450223101")
    outside = make_org(name="柳城丁机械有限公司", region="450222")
    for year, amount in ((2022, "10000000"), (2023, "11000000"), (2024, "12100000")):
        figures(first, year, staff_total=100, st_staff=20, hitech_revenue="9000000", **sales(amount))
    figures(first, 2021, **sales("9000000"))  # before the three years
    figures(second, 2024, staff_total=10, st_staff=3, **sales("500000"))
    figures(second, 2023, status="submitted", **sales("400000"))  # not approved: not counted
    figures(third, 2023, **sales("800000"))
    figures(outside, 2024, staff_total=50, st_staff=5, **sales("700000"))
    make_patent(first, filed=D(2020, 3, 1), granted=D(2022, 5, 1), acquisition="own_rd")
    make_patent(second, patent_type="utility", filed=D(2023, 7, 1), granted=D(2024, 2, 1))
    make_patent(second, patent_type="utility", filed=D(2024, 7, 1), granted=D(2025, 2, 1))  # granted after 2024
    Certificate.objects.create(organisation=first, kind="hte", number="GR202345000123", year=2023,
                               issue_date=D(2023, 12, 1))  # fmt: skip
    OtherIP.objects.create(organisation=first, kind="standard", number="GB/T 99999-2022", title="石墨烯粉体",
                           date=D(2022, 8, 1), standard_level="national", standard_role="lead")  # fmt: skip
    Conversion.objects.create(subject="ZL2020", year=2022, form="transfer", organisation=first)
    Conversion.objects.create(subject="ZL2021", year=2024, form="licensing", organisation=first)
    Conversion.objects.create(subject="ZL2019", year=2021, form="transfer", organisation=first)  # too early
    award = Award.objects.create(name="国家科学技术进步奖", level="national", grade="second", year=2021,
                                 project="石墨烯", organisation=outside)  # fmt: skip
    AwardParticipant.objects.create(award=award, kind="unit", position=2, organisation=first)
    for host, kind, level, revoked in ((first, "etc", "region", None), (second, "etc", "city", None),
                                       (second, "key_lab", "region", D(2024, 6, 1))):  # fmt: skip
        Carrier.objects.create(kind=kind, name=f"{host.name}{kind}", level=level, host=host,
                               recognised_date=D(2020, 1, 1), revoked_date=revoked)  # fmt: skip
    return {"first": first, "second": second, "third": third, "outside": outside}


def test_tech_sme_columns_of_the_county(county, make_user):
    columns = tsme_columns(user=make_user(Role.BUREAU_STAFF), year=2024)
    assert columns["name"] == ["鹿寨甲科技有限公司", "鹿寨乙材料有限公司"]  # 丙 has no 2024 figures; 丁 is outside
    assert columns["staff_total"] == [100, 10] and columns["sales_revenue"] == [Decimal("12100000"), Decimal("500000")]
    assert columns["class1_ip"] == [1, 0] and columns["class2_ip"] == [0, 1]
    assert columns["hte_valid"] == [True, False]
    assert columns["led_standard_5y"] == [True, False]
    assert columns["national_award_top3_5y"] == [True, False]
    assert columns["resident"] == [True, True]  # enterprises registered with their credit code
    assert columns["excluded_industry"] == [False, True]  # 零售业 (52) is on the negative list
    # 乙's centre is 市级 and its 自治区级 laboratory was revoked before the end of 2024.
    assert columns["provincial_rd_institution"] == [True, False]
    assert columns["audit_taxation"] == [None, None]  # the yearly figures do not say
    assert columns["violation"] == [False, False]  # no integrity record
    results = tsme.Evaluation(columns=columns).results()
    assert results[0]["missing"] == ["audit_taxation"]
    # S&T staff 20 % (12) + R&D 4.96 % of sales (30) + a Class I patent (30) = 72: the score route, and the valid
    # certificate would do too; still "fails" while 查账征收 is not stated.
    assert results[0]["route"] == "score" and results[0]["total"] == [72, 72] and results[0]["verdict"] == "fails"


def test_high_tech_columns_place_the_years_oldest_first(county):
    columns = hte_columns(user=None, year=2024)
    assert columns["name"] == ["鹿寨甲科技有限公司", "鹿寨乙材料有限公司", "柳城丁机械有限公司"]
    assert columns["years"] == [3, 1, 1]
    assert [columns[f"year_{slot}"][0] for slot in (1, 2, 3)] == [2022, 2023, 2024]
    assert [columns["year_1"][1], columns["year_2"][1]] == [2024, None]
    assert columns["sales_revenue_3"][0] == Decimal("12100000") and columns["sales_revenue_1"][1] == Decimal("500000")
    assert columns["registration_date"][:2] == [D(2015, 3, 1), D(2024, 3, 1)]
    assert columns["domain"][0] == 4 and columns["hitech_revenue_last_year"][0] == Decimal("9000000")
    assert columns["conversions_3y"] == [2, 0, 0] and columns["standards_drafted"] == [True, False, False]
    assert columns["own_rd_ip"][0] is True and columns["application_date"][0] == D(2025, 1, 1)
    evaluation = hte.Evaluation(columns=columns)
    first = evaluation.result(0)
    assert [c["passed"] for c in first["conditions"][:7]] == [True, True, True, True, True, True, True]
    assert first["missing"] == []  # no R&D-management evidence (all four False), no integrity record
    assert [columns[f"rd_management_{k}"][0] for k in (1, 2, 3, 4)] == [False] * 4
    assert columns["violation_last_year"] == [False, False, False]
    young = evaluation.record(1)
    assert young["years"] == [{"year": 2024, "sales_revenue": Decimal("500000"), "total_income": Decimal("500000"),
                               "rd_expense": Decimal("600000"), "rd_domestic": Decimal("500000"),
                               "net_assets": Decimal("2000000")}]  # fmt: skip
    assert evaluation.result(1)["conditions"][0]["passed"] is False  # registered 2024-03-01: 306 days by 2025


def test_a_firm_user_sees_only_its_own_row(county, make_user):
    user = make_user(Role.ENTERPRISE, organisation=county["second"], region="450223101")
    assert tsme_columns(user=user, year=2024)["name"] == ["鹿寨乙材料有限公司"]
    assert hte_columns(user=user, year=2024)["name"] == ["鹿寨乙材料有限公司"]


def test_only_the_consecutive_years_up_to_the_last_count(county, make_org):
    gap = make_org(name="鹿寨戊科技有限公司", region="450223100")
    figures(gap, 2022, **sales("1000000"))
    figures(gap, 2024, **sales("3000000"))  # 2023 missing: 2022 is not the year before 2024
    columns = hte_columns(user=None, year=2024)
    row = columns["name"].index("鹿寨戊科技有限公司")
    assert columns["years"][row] == 1 and columns["year_1"][row] == 2024


def test_a_conversion_counts_once_for_its_unit(county):
    from kechuang.achievements.models import Achievement

    achievement = Achievement.objects.create(
        number="2023450001", title="石墨烯改性", kind="applied", registration_date=D(2023, 1, 5),
        organisation=county["second"],
    )  # fmt: skip
    # Converted in two forms in two years, without naming the implementer: the first completing unit (乙), once.
    Conversion.objects.create(achievement=achievement, year=2023, form="self")
    Conversion.objects.create(achievement=achievement, year=2024, form="licensing")
    columns = hte_columns(user=None, year=2024)
    assert columns["conversions_3y"][columns["name"].index("鹿寨乙材料有限公司")] == 1


# --- what the master file now holds for the evaluations: head counts, evidence, integrity records, 查账征收 ----------


def _integrity(organisation, kind: str, day: datetime.date, until=None):
    return IntegrityRecord.objects.create(organisation=organisation, kind=kind, date=day, until=until,
                                          description="记录", source="处罚决定书")  # fmt: skip


def _hte_row(organisation, year=2024) -> tuple[dict, int]:
    columns = hte_columns(user=None, year=year)
    return columns, columns["organisation_id"].index(organisation.pk)


def _condition(result: dict, code: str) -> dict:
    return next(c for c in result["conditions"] if c["code"] == code)


APPLICATION = D(2025, 1, 1)  # a 2024 evaluation applies on 1 January 2025


def test_a_serious_environmental_violation_200_days_before_application_fails_no_violation(county):
    first = county["first"]
    columns, row = _hte_row(first)
    assert _condition(hte.Evaluation(columns=columns).result(row), "no_violation")["passed"] is True
    _integrity(first, "environment", APPLICATION - datetime.timedelta(days=200))
    columns, row = _hte_row(first)
    assert columns["violation_last_year"][row] is True
    result = hte.Evaluation(columns=columns).result(row)
    assert _condition(result, "no_violation")["passed"] is False and result["verdict"] == "fails"


@pytest.mark.parametrize(
    ("days", "kind", "counted"),
    [
        (364, "safety", True),
        (365, "quality", True),  # "申请认定前一年内": the 365 days before the application date
        (366, "safety", False),
        (1, "environment", True),
        (0, "environment", False),  # on the application day itself: not before it
        (100, "fraud", False),  # condition 8 asks about accidents and environmental violations only
        (100, "abnormal_list", False),
    ],
)
def test_the_high_tech_violation_window_is_the_365_days_before_application(county, days, kind, counted):
    _integrity(county["first"], kind, APPLICATION - datetime.timedelta(days=days))
    columns, row = _hte_row(county["first"])
    assert columns["violation_last_year"][row] is counted


def test_r_and_d_management_flags_come_from_confirmed_evidence_of_the_year(county, make_user):
    first = county["first"]
    for year, item in ((2024, 1), (2024, 3), (2023, 2)):  # item 2 is evidence of another year
        evaluation_record_create(actor=None, model=RDManagementEvidence, organisation=first, year=year, item=item,
                                 description="研发管理制度")  # fmt: skip
    own = make_user(Role.ENTERPRISE, organisation=first, region="450223100")
    evaluation_record_create(
        actor=own, model=RDManagementEvidence, organisation=first, year=2024, item=4, description="人才激励办法"
    )  # fmt: skip  (not confirmed by the bureau yet)
    columns, row = _hte_row(first)
    assert [columns[f"rd_management_{k}"][row] for k in (1, 2, 3, 4)] == [True, False, True, False]
    # Sub-items 1 (max 6) and 3 (max 4) hold: experts give 1..6 and 1..4, so 2..10 in all.
    assert hte.Evaluation(columns=columns).result(row)["scores"]["rd_management"] == [2, 10]


def test_staff_are_the_yearly_averages_of_the_monthly_head_counts_when_complete(county):
    first = county["first"]  # yearly figures: 100 staff, 20 S&T staff (20 %)

    def month(m, staff, st):
        evaluation_record_create(actor=None, model=MonthlyHeadcount, organisation=first, year=2024, month=m,
                                 staff_start=staff[0], staff_end=staff[1], st_start=st[0], st_end=st[1])  # fmt: skip

    # Month averages: staff 118 (116 → 120) for Jan–Apr and 130 (128 → 132) for May–Dec; S&T 11 (10 → 12) all year.
    for m in range(1, 5):
        month(m, (116, 120), (10, 12))
    for m in range(5, 12):
        month(m, (128, 132), (10, 12))
    columns, row = _hte_row(first)
    assert (columns["staff_total"][row], columns["st_staff"][row]) == (100, 20)  # December missing: yearly figures
    month(12, (128, 132), (10, 12))
    # (4 × 118 + 8 × 130) / 12 = 1512 / 12 = 126; S&T 11: 11 / 126 = 8.7 % < 10 %.
    columns, row = _hte_row(first)
    assert (columns["staff_total"][row], columns["st_staff"][row]) == (Decimal(126), Decimal(11))
    assert _condition(hte.Evaluation(columns=columns).result(row), "st_staff_ratio")["passed"] is False
    tsme_cols = tsme_columns(user=None, year=2024)
    assert tsme_cols["staff_total"][tsme_cols["organisation_id"].index(first.pk)] == Decimal(126)


@pytest.mark.parametrize(
    ("kind", "day", "until", "counted"),
    [
        ("fraud", D(2024, 6, 1), None, True),  # in the fiscal year
        ("research", D(2025, 3, 1), None, True),  # in the year after
        ("safety", D(2023, 12, 31), None, False),  # before the fiscal year
        ("abnormal_list", D(2022, 5, 1), None, True),  # listed before, still on the list
        ("dishonesty_list", D(2022, 5, 1), D(2023, 5, 1), False),  # removed before the fiscal year
        ("abnormal_list", D(2022, 5, 1), D(2026, 1, 10), True),  # removed only after the year after
        ("dishonesty_list", D(2022, 5, 1), D(2025, 6, 1), False),  # removed within the year after
    ],
)
def test_the_tech_sme_violation_covers_the_fiscal_year_and_the_next(county, kind, day, until, counted):
    _integrity(county["first"], kind, day, until)
    columns = tsme_columns(user=None, year=2024)
    assert columns["violation"][:2] == [counted, False]  # 甲, 乙 (then 丁, outside the county)


def test_audit_taxation_comes_from_the_yearly_figures_and_lets_a_tech_sme_qualify(county):
    AnnualFigures.objects.filter(organisation=county["first"], year=2024).update(audit_taxation=True)
    AnnualFigures.objects.filter(organisation=county["second"], year=2024).update(audit_taxation=False)
    columns = tsme_columns(user=None, year=2024)
    assert columns["audit_taxation"] == [True, False, None]  # 丁's figures do not say
    first = tsme.Evaluation(columns=columns).result(0)
    assert first["missing"] == [] and first["verdict"] == "qualifies"
    _integrity(county["first"], "fraud", D(2025, 2, 1))  # 弄虚作假 in the year after: no longer qualifies
    first = tsme.Evaluation(columns=tsme_columns(user=None, year=2024)).result(0)
    assert _condition(first, "no_violation")["passed"] is False and first["verdict"] == "fails"


def test_the_master_file_inputs_cost_the_same_queries_for_more_organisations(county, make_org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as hte_run:
            hte_columns(user=None, year=2024)
        with CaptureQueriesContext(connection) as tsme_run:
            tsme_columns(user=None, year=2024)
        return len(hte_run) + len(tsme_run)

    before = queries()
    for n in range(5):
        firm = make_org(name=f"鹿寨新增{n}号科技有限公司", region="450223100")
        figures(firm, 2024, staff_total=10, st_staff=2, **sales("1000000"))
        _integrity(firm, "environment", D(2024, 8, 1))
    assert queries() == before


def test_a_quarter_of_staff_in_s_and_t_is_band_b_even_when_the_averages_repeat(county):
    first = county["first"]
    # 2404 / 24 = 100.1666… staff and 601 / 24 = 25.041666… S&T staff: exactly 25 %, band B (16 points), not C (12).
    for m in range(1, 13):
        staff, st = ((100, 104), (25, 26)) if m == 12 else ((100, 100), (25, 25))
        evaluation_record_create(actor=None, model=MonthlyHeadcount, organisation=first, year=2024, month=m,
                                 staff_start=staff[0], staff_end=staff[1], st_start=st[0], st_end=st[1])  # fmt: skip
    columns = tsme_columns(user=None, year=2024)
    row = columns["organisation_id"].index(first.pk)
    assert tsme.Evaluation(columns=columns).result(row)["scores"]["st_staff"] == [16, 16]
