"""The pools' criteria at their bounds, inclusive exactly as pools.yaml says ("min" is ≥, "max" is ≤), computed
column-wise over many organisations at once; the ranking order; the criteria file and its overrides."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from kechuang.screening import rules
from kechuang.screening.screen import MEASURES, _values, rank_key

D = datetime.date
YEAR = 2024
SHIPPED = rules.criteria()


def columns(firms: list[dict]) -> dict[str, list]:
    """What the high-tech loader gives for these firms: ``revenues`` oldest first (the consecutive years up to
    2024), ``rd`` the R&D expense of 2024, ``registered`` the registration date."""
    out: dict[str, list] = {"years": [], "registration_date": [], "staff_total": [], "st_staff": []}
    for slot in (1, 2, 3):
        out[f"sales_revenue_{slot}"], out[f"rd_expense_{slot}"] = [], []
    for firm in firms:
        revenues = [None if r is None else Decimal(r) for r in firm.get("revenues", ["1000000"])]
        out["years"].append(len(revenues))
        out["registration_date"].append(firm.get("registered", D(2015, 1, 1)))
        out["staff_total"].append(100)
        out["st_staff"].append(20)
        for slot in (1, 2, 3):
            out[f"sales_revenue_{slot}"].append(revenues[slot - 1] if slot <= len(revenues) else None)
            rd = Decimal(firm["rd"]) if slot == len(revenues) and firm.get("rd") is not None else None
            out[f"rd_expense_{slot}"].append(rd)
    return out


def measure(pool: str, name: str, firms: list[dict]) -> list[bool]:
    ok, texts = MEASURES[name](_values(columns(firms), YEAR), SHIPPED["pools"][pool], name)
    assert len(texts) == len(firms)
    return [bool(v) for v in ok]


# Revenue growth over the previous year, ≥ 20 % (high-growth-tsme): (previous, current) → passes.
GROWTH = [
    (("10000000", "12000000"), True),  # exactly 20 %
    (("10000000", "11999999.99"), False),  # one fen short
    (("10000000", "12000000.01"), True),
    (("3", "3.6"), True),  # exactly 20 % again, on amounts a float cannot hold exactly
    (("0.03", "0.036"), True),
    (("0", "5000000"), False),  # no revenue the year before: no growth rate
    ((None, "5000000"), False),  # the year before is missing
    (("12000000", "10000000"), False),  # shrinking
]


@pytest.mark.parametrize(("amounts", "passes"), GROWTH)
def test_revenue_growth_of_at_least_20_percent(amounts, passes):
    previous, current = amounts
    revenues = [current] if previous is None else [previous, current]
    assert measure("high-growth-tsme", "revenue_growth", [{"revenues": revenues}]) == [passes]


def test_the_growth_bound_is_decided_per_row_in_one_pass():
    firms = [{"revenues": list(a) if a[0] else [a[1]]} for a, _ in GROWTH]
    assert measure("high-growth-tsme", "revenue_growth", firms) == [p for _, p in GROWTH]


# R&D expense over sales revenue of the data year, ≥ 3 %: (sales, R&D) → passes.
RD_RATIO = [
    (("12000000", "360000"), True),  # exactly 3 %
    (("12000000", "359999.99"), False),
    (("1", "0.03"), True),
    (("0", "360000"), False),  # no sales: no ratio
    (("12000000", None), False),  # R&D not reported
]


@pytest.mark.parametrize(("figures", "passes"), RD_RATIO)
def test_rd_ratio_of_at_least_3_percent(figures, passes):
    sales, rd = figures
    assert measure("high-growth-tsme", "rd_ratio", [{"revenues": [sales], "rd": rd}]) == [passes]


# Two-year compound revenue growth, ≥ 20 % (gazelle): revenue two years before and now → passes.
CAGR = [
    (("10000000", "14400000"), True),  # 1.44 = 1.2²: exactly 20 % a year
    (("10000000", "14399999.99"), False),
    (("25", "36"), True),  # 1.44 again
    (("0", "14400000"), False),
    (("10000000", "20000000"), True),
]


@pytest.mark.parametrize(("amounts", "passes"), CAGR)
def test_two_year_compound_growth_of_at_least_20_percent(amounts, passes):
    first, last = amounts
    assert measure("gazelle", "revenue_cagr_2y", [{"revenues": [first, "1", last]}]) == [passes]


def test_compound_growth_needs_three_consecutive_years():
    assert measure("gazelle", "revenue_cagr_2y", [{"revenues": ["10000000", "20000000"]}]) == [False]


@pytest.mark.parametrize(
    ("revenue", "passes"), [("10000000", True), ("9999999.99", False), ("10000000.01", True), (None, False)]
)
def test_gazelle_revenue_of_at_least_1000_wan(revenue, passes):
    assert measure("gazelle", "revenue", [{"revenues": [revenue]}]) == [passes]


# Registered years to 31 December 2024: at least 1 (hte-reserve), at most 10 (gazelle).
@pytest.mark.parametrize(
    ("registered", "pool", "passes"),
    [
        (D(2023, 12, 31), "hte-reserve", True),  # exactly one year
        (D(2024, 1, 1), "hte-reserve", False),  # a day short
        (D(2014, 12, 31), "gazelle", True),  # exactly ten years
        (D(2014, 12, 30), "gazelle", False),  # a day over
        (D(2024, 6, 1), "gazelle", True),
        (None, "gazelle", False),  # not recorded
    ],
)
def test_registered_years(registered, pool, passes):
    assert measure(pool, "registered_years", [{"registered": registered}]) == [passes]


def test_reasons_give_the_numbers():
    _ok, texts = MEASURES["revenue_growth"](
        _values(columns([{"revenues": ["10000000", "12000000"]}]), YEAR), SHIPPED["pools"]["high-growth-tsme"],
        "revenue_growth",
    )  # fmt: skip
    assert texts == ["销售收入比上年增长 20.00%（标准：不低于 20.00%）：1,000.00 万元 → 1,200.00 万元"]


@given(
    first=st.decimals(min_value=1, max_value=10**9, places=2),
    factor=st.decimals(min_value=Decimal("0.5"), max_value=Decimal(3), places=4),
)
def test_compound_growth_passes_exactly_when_the_yearly_rate_reaches_the_bound(first, factor):
    """(last/first)^½ − 1 ≥ 20 % ⇔ last ≥ 1.44 × first, whatever the amounts."""
    last = (first * factor).quantize(Decimal("0.01"))
    ok = measure("gazelle", "revenue_cagr_2y", [{"revenues": [str(first), "1", str(last)]}])[0]
    assert ok == (last >= first * Decimal("1.44"))


def test_ranking_puts_higher_values_first_and_missing_last():
    values = {"a": (34, "0.05"), "b": (36, "0.03"), "c": (36, "0.04"), "d": (None, "0.09"), "e": (36, None)}
    assert sorted(values, key=lambda k: rank_key(values[k])) == ["c", "b", "e", "a", "d"]


def test_the_shipped_criteria_say_what_the_manual_says():
    pools = SHIPPED["pools"]
    assert set(pools) == {"hte-reserve", "high-growth-tsme", "gazelle"}  # listing-reserve is entered by hand
    assert rules.bound(pools["high-growth-tsme"], "revenue_growth", "min") == Decimal("0.20")
    assert rules.bound(pools["high-growth-tsme"], "rd_ratio", "min") == Decimal("0.03")
    assert rules.bound(pools["gazelle"], "revenue", "min") == Decimal(10_000_000)
    assert rules.bound(pools["gazelle"], "registered_years", "max") == 10
    assert pools["hte-reserve"]["exit"] == {"hte_certificate": True, "fails_years": 2, "max_years": 3}


def test_an_installation_file_overrides_a_threshold(tmp_path, settings):
    path = tmp_path / "criteria.yaml"
    path.write_text('pools:\n  gazelle:\n    criteria:\n      revenue: {min: "20000000"}\n', encoding="utf-8")
    settings.SCREENING_CRITERIA_FILE = str(path)
    merged = rules.criteria()
    assert rules.bound(merged["pools"]["gazelle"], "revenue", "min") == Decimal(20_000_000)
    assert rules.bound(merged["pools"]["gazelle"], "revenue_cagr_2y", "min") == Decimal("0.20")  # kept
    assert rules.digest(merged["pools"]["gazelle"]) != rules.digest(SHIPPED["pools"]["gazelle"])
    assert measure_with(merged, "gazelle", "revenue", [{"revenues": ["10000000"]}]) == [False]


def measure_with(data, pool, name, firms):
    ok, _texts = MEASURES[name](_values(columns(firms), YEAR), data["pools"][pool], name)
    return [bool(v) for v in ok]


def test_an_unknown_criterion_is_refused(tmp_path, settings):
    path = tmp_path / "criteria.yaml"
    path.write_text("pools:\n  gazelle:\n    criteria:\n      turnover_magic: {min: 1}\n", encoding="utf-8")
    settings.SCREENING_CRITERIA_FILE = str(path)
    with pytest.raises(ImproperlyConfigured, match="turnover_magic"):
        rules.criteria()
