"""高新技术企业认定 (policy-rules.md §1) at every band boundary, inclusive or exclusive exactly as the rules say, the
growth edge cases, the verdicts, and its properties. Expected values are worked out here from the rules' text."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.evaluation import hte
from kechuang.evaluation.common import apply

D = Decimal


def year(y, sales, rd=None, domestic=None, net_assets="1000000", income=None):
    sales = D(sales)
    rd = D(rd) if rd is not None else sales * D("0.06")
    return {
        "year": y,
        "sales_revenue": sales,
        "total_income": D(income) if income is not None else sales,
        "rd_expense": rd,
        "rd_domestic": D(domestic) if domestic is not None else rd,
        "net_assets": D(net_assets),
    }


def firm(**changes) -> dict:
    """A firm that meets every condition: three years of sales growing 10 % a year, R&D 6 %, all of it domestic."""
    record = {
        "uscc": "91450223MA5KFDKX1R",
        "name": "鹿寨示例新材料有限公司",
        "registration_date": datetime.date(2015, 1, 1),
        "application_date": datetime.date(2025, 6, 1),
        "domain": 4,
        "staff_total": D(100),
        "st_staff": D(20),
        "years": [year(2022, "10000000"), year(2023, "11000000"), year(2024, "12100000")],
        "hitech_revenue_last_year": D(10_000_000),
        "class1_ip": 1,
        "class2_ip": 2,
        "own_rd_ip": True,
        "conversions_3y": 9,
        "standards_drafted": False,
        "rd_management": [True, True, True, True],
        "violation_last_year": False,
        "expert_scores": {},
    }
    return record | changes


def one(**changes) -> dict:
    return hte.evaluate([firm(**changes)])[0]


def condition(result: dict, code: str) -> dict:
    return next(c for c in result["conditions"] if c["code"] == code)


def growth_years(name, v1, v2=None, v3=None):
    values = [v for v in (v1, v2, v3) if v is not None]
    years = []
    for n, value in enumerate(values):
        item = year(2022 + n, "10000000")
        item[name] = D(value)
        years.append(item)
    return years


# --- conditions ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "passed"), [(365, True), (364, False), (3000, True)])
def test_registered_for_365_days(days, passed):
    applied = datetime.date(2025, 6, 1)
    result = one(application_date=applied, registration_date=applied - datetime.timedelta(days=days))
    assert condition(result, "registered_1y")["passed"] is passed
    assert condition(result, "registered_1y")["margin"] == days - 365


@pytest.mark.parametrize(("st_staff", "passed"), [("10", True), ("9.99", False)])
def test_st_staff_ratio_of_ten_percent_is_enough(st_staff, passed):
    assert condition(one(st_staff=D(st_staff)), "st_staff_ratio")["passed"] is passed


@pytest.mark.parametrize(
    ("last_sales", "bound"),
    [("50000000", "0.05"), ("50000000.01", "0.04"), ("200000000", "0.04"), ("200000000.01", "0.03")],
)
def test_the_rd_bound_is_chosen_by_last_years_sales_inclusive(last_sales, bound):
    # One year only (a young firm): the ratio over the actual years. R&D exactly at the bound passes; a cent less fails.
    sales = D(last_sales)
    exact = (sales * D(bound)).quantize(D("0.01"))
    on = one(years=[year(2024, sales, rd=exact)])
    assert condition(on, "rd_ratio")["threshold"] == float(bound)
    assert condition(on, "rd_ratio")["passed"] is (exact / sales >= D(bound))
    below = one(years=[year(2024, sales, rd=exact - D("0.01"))])
    assert condition(below, "rd_ratio")["passed"] is False


def test_the_rd_ratio_is_over_three_years():
    years = [year(2022, "10000000", rd="0"), year(2023, "10000000", rd="0"), year(2024, "10000000", rd="1500000")]
    result = one(years=years)  # 150 万 / 3,000 万 = 5 %: passes though the first two years had none
    assert condition(result, "rd_ratio")["value"] == 0.05 and condition(result, "rd_ratio")["passed"] is True


@pytest.mark.parametrize(("domestic", "passed"), [("360000", True), ("359999.99", False)])
def test_domestic_rd_of_sixty_percent(domestic, passed):
    result = one(years=[year(2024, "10000000", rd="600000", domestic=domestic)])
    assert condition(result, "rd_domestic_ratio")["passed"] is passed


@pytest.mark.parametrize(("hitech", "passed"), [("7260000", True), ("7259999.99", False)])
def test_high_tech_revenue_of_sixty_percent_of_last_years_income(hitech, passed):
    assert condition(one(hitech_revenue_last_year=D(hitech)), "hitech_revenue_ratio")["passed"] is passed  # of 1,210 万


def test_no_ip_fails_and_scores_nothing_on_ip():
    result = one(class1_ip=0, class2_ip=0, standards_drafted=True)
    assert condition(result, "core_ip")["passed"] is False and result["verdict"] == "fails"
    assert all(result["scores"][item] == [0, 0] for item in (*hte.IP_PARTS, "ip"))


# --- score items ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("class1", "class2", "points"), [(1, 0, [7, 8]), (0, 5, [5, 6]), (0, 4, [3, 4]), (0, 3, [3, 4]), (0, 2, [1, 2]),
                                     (0, 1, [1, 2])],
)  # fmt: skip
def test_ip_quantity_bands(class1, class2, points):
    assert one(class1_ip=class1, class2_ip=class2)["scores"]["ip_quantity"] == points


def test_ip_items_without_expert_scores_span_their_range_and_the_ip_total_is_capped():
    scores = one(standards_drafted=True)["scores"]
    assert scores["ip_advancement"] == [0, 8] and scores["ip_core_support"] == [0, 8]
    assert scores["ip_acquisition"] == [1, 6] and one(own_rd_ip=False)["scores"]["ip_acquisition"] == [1, 3]
    assert scores["ip_standards_bonus"] == [1, 2]
    assert scores["ip"] == [0 + 0 + 7 + 1 + 1, 30]  # 8 + 8 + 8 + 6 + 2 = 32, capped at 30


@pytest.mark.parametrize(
    ("conversions", "years", "points"),
    [(15, 3, [25, 30]), (14, 3, [19, 24]), (12, 3, [19, 24]), (9, 3, [13, 18]), (6, 3, [7, 12]), (3, 3, [1, 6]),
     (2, 3, [0, 0]), (5, 1, [25, 30]), (8, 2, [19, 24])],
)  # fmt: skip
def test_conversions_are_a_yearly_average_over_the_actual_years(conversions, years, points):
    record_years = [year(2022, "10000000"), year(2023, "11000000"), year(2024, "12100000")][-years:]
    assert one(conversions_3y=conversions, years=record_years)["scores"]["conversion"] == points


def test_rd_management_flags_span_one_to_the_sub_items_maximum():
    assert one(rd_management=[True, False, True, False])["scores"]["rd_management"] == [2, 6 + 4]
    assert one(rd_management=[False] * 4)["scores"]["rd_management"] == [0, 0]


@pytest.mark.parametrize(
    ("values", "points"),
    [
        (("100", "135", "182.25"), [9, 10]),  # exactly 35 % both years: band A (inclusive)
        (("100", "125", "156.25"), [7, 8]),  # exactly 25 %
        (("100", "115", "132.25"), [5, 6]),
        (("100", "105", "110.25"), [3, 4]),  # exactly 5 %
        (("100", "101", "102.01"), [1, 2]),  # 1 %: above zero
        (("100", "100", "100"), [0, 0]),  # zero growth
        (("100", "90", "81"), [0, 0]),  # negative
        (("0", "100", "135"), [9, 10]),  # year 1 zero: the last two years, 35 %
        (("100", "0", "200"), [0, 0]),  # year 2 zero: no points
        (("100", "135", None), [9, 10]),  # two years: V₂/V₁ − 1 = 35 %
        (("100", "134.99", None), [7, 8]),
        (("100", None, None), [0, 0]),  # one year: not computable
    ],
)
def test_growth_bands_and_edge_cases(values, points):
    assert one(years=growth_years("sales_revenue", *values))["scores"]["growth_sales"] == points
    assert one(years=growth_years("net_assets", *values))["scores"]["growth_net_assets"] == points


def test_a_negative_net_asset_value_gives_no_growth_points():
    assert one(years=growth_years("net_assets", "-100", "135", "182.25"))["scores"]["growth_net_assets"] == [0, 0]


# --- verdicts ------------------------------------------------------------------------------------------------------


def test_without_expert_scores_a_firm_that_meets_every_condition_is_borderline():
    result = one()
    assert result["verdict"] == "borderline" and condition(result, "innovation_score")["passed"] is None
    assert result["route"] is None and result["rd_method"] is None and result["gaps"] == []


def test_expert_scores_decide_between_likely_and_fails():
    # Without them: IP 7 + 1 … 30, conversion (9 in 3 years: band C) 13–18, management 4–20, sales growth (10 %:
    # band D) 3–4, net-asset growth (flat: band F) 0.
    assert one()["total"] == [8 + 13 + 4 + 3, 30 + 18 + 20 + 4]
    lowest = {"ip_advancement": 0, "ip_core_support": 0, "ip_quantity": 7, "ip_acquisition": 1, "conversion": 13,
              "rd_management": 4, "growth_sales": 3, "growth_net_assets": 0}  # fmt: skip
    result = one(expert_scores=lowest)
    assert result["total"] == [28, 28] and result["verdict"] == "fails"
    assert condition(result, "innovation_score")["passed"] is False
    highest = {"ip_advancement": 8, "ip_core_support": 8, "ip_quantity": 8, "ip_acquisition": 6, "conversion": 18,
               "rd_management": 20, "growth_sales": 4}  # fmt: skip
    result = one(expert_scores=highest)
    assert result["total"] == [72, 72] and result["verdict"] == "likely"
    assert condition(result, "innovation_score")["passed"] is True
    exactly = one(expert_scores=highest | {"rd_management": 18})
    assert exactly["total"] == [70, 70] and exactly["verdict"] == "fails"  # 70 is not above 70


def test_an_expert_score_outside_the_band_is_refused():
    with pytest.raises(hte.ExpertScoreError) as refused:
        hte.evaluate([firm(class1_ip=0, class2_ip=3, expert_scores={"ip_quantity": 8})])
    message = "第1家企业 expert_scores.ip_quantity：专家评分 8 不在按数据所属档次的分值范围 3–4 内"
    assert refused.value.messages == [message]


def test_a_failed_condition_fails_whatever_the_score():
    result = one(violation_last_year=True)
    assert result["verdict"] == "fails"
    assert result["gaps"] == ["申请前一年内不得发生重大安全、重大质量事故或严重环境违法行为"]


def test_missing_data_is_named_and_never_likely():
    result = one(domain=None, years=[year(2024, "10000000") | {"net_assets": None}])
    assert result["missing"] == ["domain", "years[0].net_assets"]
    assert condition(result, "domain")["passed"] is None and result["verdict"] != "likely"


# --- properties ----------------------------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
# Sales of at least 1 元 a year: with none at all the R&D ratio has no base, and its gap is stated without numbers.
sales = st.decimals(min_value=1, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
year_values = st.tuples(sales, st.decimals(0, 1, places=3), st.decimals(0, 1, places=3), money)


def _years(values):
    cents = D("0.01")
    return [
        {"year": 2022 + n, "sales_revenue": sales, "total_income": sales + 1,
         "rd_expense": (sales * share).quantize(cents), "rd_domestic": (sales * share * home).quantize(cents),
         "net_assets": assets}
        for n, (sales, share, home, assets) in enumerate(values)
    ]  # fmt: skip


firms = st.builds(
    lambda days, staff, st_share, years, hitech_share, c1, c2, own, conv, std, mgmt, violation: firm(
        registration_date=datetime.date(2025, 6, 1) - datetime.timedelta(days=days),
        staff_total=staff,
        st_staff=(staff * st_share).quantize(D("0.1")),
        years=_years(years),
        hitech_revenue_last_year=(_years(years)[-1]["total_income"] * hitech_share).quantize(D("0.01")),
        class1_ip=c1,
        class2_ip=c2,
        own_rd_ip=own,
        conversions_3y=conv,
        standards_drafted=std,
        rd_management=mgmt,
        violation_last_year=violation,
    ),
    st.integers(0, 4000),
    st.decimals(0, 1000, places=1),
    st.decimals(0, 1, places=3),
    st.lists(year_values, min_size=1, max_size=3),
    st.decimals(0, 1, places=3),
    st.integers(0, 2),
    st.integers(0, 8),
    st.booleans(),
    st.integers(0, 20),
    st.booleans(),
    st.lists(st.booleans(), min_size=4, max_size=4),
    st.booleans(),
)


@given(firms, money)
@settings(max_examples=100, deadline=None)
def test_more_rd_never_lowers_a_score(record, extra):
    more = apply(record, {"years[-1].rd_expense": record["years"][-1]["rd_expense"] + extra,
                          "years[-1].rd_domestic": record["years"][-1]["rd_domestic"] + extra})  # fmt: skip
    before, after = hte.evaluate([record, more])
    assert after["total"][0] >= before["total"][0] and after["total"][1] >= before["total"][1]
    assert condition(after, "rd_ratio")["passed"] >= condition(before, "rd_ratio")["passed"]


@given(firms)
@settings(max_examples=150, deadline=None)
def test_applying_the_gaps_lifts_the_verdict_out_of_fails(record):
    changed = record
    for gap in hte.gaps(record):
        changed = apply(changed, gap.changes)
    result = hte.evaluate([changed])[0]
    assert result["verdict"] != "fails", result
    assert all(c["passed"] for c in result["conditions"] if c["code"] != "innovation_score")


@given(st.lists(firms, min_size=1, max_size=6))
@settings(max_examples=30, deadline=None)
def test_a_batch_gives_what_each_firm_gives_alone(records):
    records = [r | {"uscc": f"{n}"} for n, r in enumerate(records)]
    assert hte.evaluate(records) == [hte.evaluate([r])[0] for r in records]
    # The same from columns (a screening's input), each record rebuilt from them for its result and gaps.
    assert hte.Evaluation(columns=hte.columns_of(records)).results() == hte.evaluate(records)


# --- cases found in review -----------------------------------------------------------------------------------------

EXPERTS_HIGH = {"ip_advancement": 8, "ip_core_support": 8, "ip_quantity": 8, "ip_acquisition": 6, "conversion": 18,
                "rd_management": 20, "growth_sales": 4}  # fmt: skip


def lifted(record: dict) -> tuple[list[str], dict]:
    changed, gaps = record, hte.gaps(record)
    for gap in gaps:
        changed = apply(changed, gap.changes)
    return [gap.text for gap in gaps], hte.evaluate([changed])[0]


def test_innovation_score_is_undecided_while_the_verdict_is_borderline():
    result = one(violation_last_year=None, expert_scores=EXPERTS_HIGH)  # 72 points, but a declaration is missing
    assert result["verdict"] == "borderline" and result["total"] == [72, 72]
    assert condition(result, "innovation_score")["passed"] is None


def test_gaps_of_a_firm_with_expert_scores():
    # Expert scores of bands the gaps then change must not break the gap analysis; the experts must score again.
    record = firm(class1_ip=0, class2_ip=1, conversions_3y=3, rd_management=[True, False, False, False],
                  expert_scores={"ip_quantity": 1, "conversion": 1})  # fmt: skip
    texts, result = lifted(record)
    assert texts[-1].startswith("须请专家重新评分") and result["verdict"] != "fails"
    # Failing only because of what the experts gave: the gap says so.
    record = firm(expert_scores={"ip_advancement": 0, "ip_core_support": 0, "rd_management": 4, "conversion": 13})
    assert hte.evaluate([record])[0]["verdict"] == "fails"
    texts, result = lifted(record)
    assert (
        texts == ["须请专家重新评分（按现有专家评分，总分最高 35 分，未超过 70 分）"] and result["verdict"] != "fails"
    )


def test_a_missing_figure_leaves_the_condition_undecided():
    years = [year(2022, "10000000"), year(2023, "11000000"), year(2024, "12100000")]
    years[0]["sales_revenue"] = None
    result = one(years=years)
    assert condition(result, "rd_ratio")["passed"] is None and "years[0].sales_revenue" in result["missing"]
    assert result["scores"]["growth_sales"] == [0, 10]  # the rate cannot be computed: the whole range
