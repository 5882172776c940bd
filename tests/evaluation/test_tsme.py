"""科技型中小企业评价 (policy-rules.md §2) at every band boundary, inclusive exactly as the rules say, and its
properties. The expected points are read from the rules' text, not from the engine. No database is touched."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.evaluation import tsme
from kechuang.evaluation.common import apply

D = Decimal


def firm(**changes) -> dict:
    """A small firm that qualifies by score: 30 % S&T staff (20), R&D 6 % of sales (50), one Class I IP (30)."""
    record = {
        "uscc": "91450223MA5KFDKX1R",
        "name": "鹿寨示例科技有限公司",
        "resident": True,
        "audit_taxation": True,
        "excluded_industry": False,
        "violation": False,
        "staff_total": D(100),
        "st_staff": D(30),
        "sales_revenue": D(10_000_000),
        "total_assets": D(20_000_000),
        "rd_expense": D(600_000),
        "total_costs": D(9_000_000),
        "class1_ip": 1,
        "class2_ip": 0,
        "hte_valid": False,
        "national_award_top3_5y": False,
        "provincial_rd_institution": False,
        "led_standard_5y": False,
    }
    return record | changes


def one(**changes) -> dict:
    return tsme.evaluate([firm(**changes)])[0]


def condition(result: dict, code: str) -> dict:
    return next(c for c in result["conditions"] if c["code"] == code)


@pytest.mark.parametrize(
    ("st_staff", "points"),
    [("30", 20), ("29.99", 16), ("25", 16), ("24.99", 12), ("20", 12), ("15", 8), ("14.99", 4), ("10", 4), ("9.99", 0)],
)
def test_st_staff_bands_are_inclusive_at_their_lower_bound(st_staff, points):
    assert one(st_staff=D(st_staff))["scores"]["st_staff"] == [points, points]  # of 100 staff


@pytest.mark.parametrize(
    ("rd", "points"),
    [("600000", 50), ("599999.99", 40), ("500000", 40), ("400000", 30), ("300000", 20), ("200000", 10),
     ("199999.99", 0)],
)  # fmt: skip
def test_rd_over_sales_bands(rd, points):
    # Total costs so large that the cost ratio never scores more than the sales ratio.
    assert one(rd_expense=D(rd), total_costs=D(10**12))["scores"]["rd"] == [points, points]


def test_the_better_of_the_two_rd_ratios_counts_and_says_which():
    by_costs = one(rd_expense=D(300_000), total_costs=D(1_000_000))  # sales 3 % → 20; costs exactly 30 % → 50
    assert by_costs["scores"]["rd"] == [50, 50] and by_costs["rd_method"] == "costs"
    tie = one(rd_expense=D(600_000), total_costs=D(2_000_000))  # 6 % of sales and 30 % of costs: both 50
    assert tie["rd_method"] == "sales"


@pytest.mark.parametrize(
    ("class1", "class2", "points"), [(1, 0, 30), (0, 4, 24), (0, 3, 18), (0, 2, 12), (0, 1, 6), (0, 0, 0)]
)
def test_ip_bands(class1, class2, points):
    assert one(class1_ip=class1, class2_ip=class2)["scores"]["ip"] == [points, points]


@pytest.mark.parametrize(
    ("field", "inside", "outside"),
    [("staff_total", "500", "501"), ("sales_revenue", "200000000", "200000000.01"),
     ("total_assets", "200000000", "200000000.01")],
)  # fmt: skip
def test_size_limits_are_inclusive(field, inside, outside):
    changes = {"st_staff": D(outside)} if field == "staff_total" else {}
    assert condition(one(**{field: D(inside)} | changes), "size")["passed"] is True
    failed = one(**{field: D(outside)} | changes)
    assert condition(failed, "size")["passed"] is False and failed["verdict"] == "fails"


def test_eighty_points_with_no_st_staff_points_fail():
    result = one(st_staff=D(9))  # 9 % → 0; R&D 50 + IP 30 = 80
    assert result["total"] == [80, 80] and result["verdict"] == "fails" and result["route"] is None
    assert condition(result, "score")["passed"] is True and condition(result, "st_staff_nonzero")["passed"] is False


def test_a_valid_high_tech_certificate_qualifies_directly():
    weak = {"st_staff": D(0), "rd_expense": D(0), "class1_ip": 0}
    assert one(**weak)["verdict"] == "fails"
    result = one(**weak, hte_valid=True)
    assert (result["verdict"], result["route"], result["total"]) == ("qualifies", "hte", [0, 0])
    assert one(**weak, hte_valid=True, resident=False)["verdict"] == "fails"  # the basic conditions still hold


def test_routes_are_reported_in_the_rules_order():
    weak = {"st_staff": D(0), "rd_expense": D(0), "class1_ip": 0}
    assert one(**weak, led_standard_5y=True, national_award_top3_5y=True)["route"] == "national_award"
    assert one(**weak, provincial_rd_institution=True)["route"] == "rd_institution"
    assert one(**weak, led_standard_5y=True)["route"] == "standard"
    assert one()["route"] == "score"


@pytest.mark.parametrize(
    ("flag", "value", "code"),
    [("resident", False, "resident"), ("audit_taxation", False, "audit_taxation"),
     ("excluded_industry", True, "not_excluded_industry"), ("violation", True, "no_violation")],
)  # fmt: skip
def test_each_basic_condition_fails_the_firm(flag, value, code):
    result = one(**{flag: value})
    assert condition(result, code)["passed"] is False and result["verdict"] == "fails" and result["gaps"]


def test_missing_data_is_named_and_the_condition_undecided():
    result = one(resident=None, total_costs=None)
    assert result["missing"] == ["total_costs", "resident"]
    assert condition(result, "resident")["passed"] is None and result["verdict"] == "fails"
    assert result["scores"]["rd"] == [50, 50]  # the sales ratio alone decides


def test_gaps_in_the_firms_own_numbers():
    result = one(st_staff=D(5), rd_expense=D(100_000), class1_ip=0, class2_ip=1)
    # S&T staff 5 % → 0: 5 more to reach 10 %; then 4 + 6 (IP) = 10, so R&D must bring 50: 6 % of 1,000 万 = 60 万.
    assert result["gaps"] == [
        "科技人员须增加 5 人（职工总数不变），使科技人员占比达到 10%",
        "研发费用须增加 50.00 万元，使研发费用占销售收入比例达到 6%",
    ]


# --- properties ---------------------------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
staff_counts = st.decimals(min_value=0, max_value=800, places=1, allow_nan=False, allow_infinity=False)
firms = st.builds(
    lambda staff, st_share, sales, assets, rd, costs, c1, c2, flags: firm(
        staff_total=staff,
        st_staff=(staff * st_share).quantize(D("0.1")),
        sales_revenue=sales,
        total_assets=assets,
        rd_expense=rd,
        total_costs=costs,
        class1_ip=c1,
        class2_ip=c2,
        resident=flags[0],
        audit_taxation=flags[1],
        excluded_industry=flags[2],
        violation=flags[3],
    ),
    staff_counts,
    st.decimals(min_value=0, max_value=1, places=3),
    amounts,
    amounts,
    amounts,
    amounts,
    st.integers(0, 2),
    st.integers(0, 6),
    st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans()),
)


@given(firms, amounts)
@settings(max_examples=200, deadline=None)
def test_more_rd_never_lowers_a_score(record, extra):
    before, after = tsme.evaluate([record, record | {"rd_expense": record["rd_expense"] + extra}])
    assert after["scores"]["rd"][0] >= before["scores"]["rd"][0]
    assert after["total"][0] >= before["total"][0]


@given(firms)
@settings(max_examples=200, deadline=None)
def test_applying_the_gaps_makes_the_firm_qualify(record):
    evaluation = tsme.Evaluation([record])
    changed = record
    for gap in evaluation.gaps(0):
        changed = apply(changed, gap.changes)
    assert tsme.evaluate([changed])[0]["verdict"] == "qualifies"


@given(st.lists(firms, min_size=1, max_size=8))
@settings(max_examples=100, deadline=None)
def test_a_batch_gives_what_each_firm_gives_alone(records):
    records = [r | {"uscc": f"{n}"} for n, r in enumerate(records)]
    assert tsme.evaluate(records) == [tsme.evaluate([r])[0] for r in records]
    columns = {name: [r[name] for r in records] for name in records[0]}
    assert tsme.Evaluation(columns=columns).results() == tsme.evaluate(records)


# --- cases found in review -----------------------------------------------------------------------------------------


def test_a_count_just_above_a_limit_is_above_it():
    # 500.00000000000001 rounds to 500.0 as a float; the exact check still sees it above the limit.
    assert condition(one(staff_total=D("500.00000000000001")), "size")["passed"] is False
    assert condition(one(staff_total=D("500")), "size")["passed"] is True


def test_gaps_when_the_staff_count_is_missing():
    record = firm(staff_total=None, st_staff=D(501), rd_expense=D(0), class1_ip=0)
    evaluation = tsme.Evaluation([record])
    gaps = evaluation.gaps(0)
    assert next(g.text for g in gaps) == "须填报职工总数（不超过 500）"
    assert not any("增加 0 人" in g.text for g in gaps)
    for gap in gaps:
        record = apply(record, gap.changes)
    assert tsme.evaluate([record])[0]["verdict"] == "qualifies"
