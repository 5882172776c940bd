"""The arithmetic of a scoring model: which band a value falls in at every boundary (inclusive or exclusive), points
as a fraction of the weight, missing data named and deciding nothing, and a property: raising a field never lowers
the score when the bands ascend."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from kechuang.scoring.engine import Band, Rule, score, score_item
from kechuang.scoring.forms import band_lines, parse_band_lines

D = Decimal
# >= 5 : 10 · > 10 : 20 · >= 20 : 30 (weight 30, points)
RULE = Rule("rd", "研发投入强度", "rd_ratio", D(30), "points",
            (Band(D(5), True, D(10)), Band(D(10), False, D(20)), Band(D(20), True, D(30))))  # fmt: skip


@pytest.mark.parametrize(
    ("value", "points", "band"),
    [
        ("4.9999", "0", ""),  # below the first band
        ("5", "10", "≥ 5"),  # inclusive: exactly on the bound is in
        ("5.0001", "10", "≥ 5"),
        ("10", "10", "≥ 5"),  # exclusive: exactly on the bound is still the band below
        ("10.0001", "20", "> 10"),
        ("19.9999", "20", "> 10"),
        ("20", "30", "≥ 20"),
        ("1000", "30", "≥ 20"),
        ("-3", "0", ""),
    ],
)
def test_band_boundaries(value, points, band):
    item = score_item(RULE, D(value))
    assert (item.points, item.band) == (D(points), band)


@pytest.mark.parametrize(("value", "points"), [("59.99", "0"), ("60", "12"), ("75", "16"), ("90", "20"), ("100", "20")])
def test_fraction_of_the_weight(value, points):
    rule = Rule("team", "团队", "team", D(20), "fraction",
                (Band(D(60), True, D("0.6")), Band(D(75), True, D("0.8")), Band(D(90), True, D(1))))  # fmt: skip
    assert score_item(rule, D(value)).points == D(points)


def test_missing_data_is_named_and_leaves_the_verdict_open():
    other = Rule("ip", "知识产权", "class1_ip", D(70), "points", (Band(D(1), True, D(70)),))
    rules = [RULE, other]
    # 20 points known; the missing IP (70) could still lift it over 60: undecided, not a silent fail.
    outcome = score(rules, {"rd_ratio": D(15), "class1_ip": None}, pass_score=D(60))
    assert (outcome.total, outcome.verdict, outcome.missing) == (D(20), "undecided", ["知识产权"])
    assert score(rules, {"rd_ratio": D(15), "class1_ip": D(0)}, pass_score=D(60)).verdict == "fails"
    assert score(rules, {"rd_ratio": D(25), "class1_ip": D(2)}, pass_score=D(60)).verdict == "meets"
    assert score(rules, {"rd_ratio": None, "class1_ip": D(0)}, pass_score=D(60)).verdict == "fails"  # 0 + 30 < 60


def test_missing_data_can_add_only_its_best_band_not_its_weight():
    """A missing criterion of weight 70 whose best band gives 30: 20 known + 30 < 60 fails; the weight would have
    left it undecided although no value could lift it to the pass score."""
    capped = Rule("ip", "知识产权", "class1_ip", D(70), "points", (Band(D(1), True, D(10)), Band(D(5), True, D(30))))
    outcome = score([RULE, capped], {"rd_ratio": D(15), "class1_ip": None}, pass_score=D(60))
    assert (outcome.total, outcome.verdict) == (D(20), "fails")
    assert score([RULE, capped], {"rd_ratio": D(15), "class1_ip": None}, pass_score=D(50)).verdict == "undecided"
    fraction = Rule("ip", "知识产权", "class1_ip", D(70), "fraction", (Band(D(1), True, D("0.5")),))  # at most 35
    assert score([RULE, fraction], {"rd_ratio": D(15), "class1_ip": None}, pass_score=D(56)).verdict == "fails"
    assert score([RULE, fraction], {"rd_ratio": D(15), "class1_ip": None}, pass_score=D(55)).verdict == "undecided"


def test_next_band_is_the_gap():
    assert score_item(RULE, D(7)).next_gap == "> 10 → 20"
    assert score_item(RULE, D(25)).next_gap == ""


def test_bands_typed_one_per_line_round_trip():
    bands = parse_band_lines(">= 5 : 10\n\n＞10：20\n≥ 20 : 30")
    assert bands == [{"lower": "5", "inclusive": True, "value": "10"}, {"lower": "10", "inclusive": False,
                     "value": "20"}, {"lower": "20", "inclusive": True, "value": "30"}]  # fmt: skip
    assert parse_band_lines(band_lines(bands)) == bands
    with pytest.raises(ValidationError, match="第 2 行“5 分以上”看不懂"):
        parse_band_lines(">= 1 : 2\n5 分以上")


@st.composite
def ascending_rules(draw):
    """A criterion whose bounds strictly ascend and whose points never fall, with any mix of inclusive bounds."""
    bounds = sorted(set(draw(st.lists(st.decimals(-1000, 1000, places=2), min_size=1, max_size=6))))
    points = sorted(draw(st.lists(st.decimals(0, 50, places=1), min_size=len(bounds), max_size=len(bounds))))
    inclusive = draw(st.lists(st.booleans(), min_size=len(bounds), max_size=len(bounds)))
    bands = tuple(Band(b, i, p) for b, i, p in zip(bounds, inclusive, points, strict=True))
    return Rule("x", "x", "x", D(50), "points", bands)


@given(ascending_rules(), st.decimals(-2000, 2000, places=3), st.decimals(0, 500, places=3))
def test_raising_a_field_never_lowers_the_score(rule, value, rise):
    assert score_item(rule, value + rise).points >= score_item(rule, value).points


@given(ascending_rules(), st.decimals(-2000, 2000, places=3))
def test_points_stay_within_zero_and_the_highest_band(rule, value):
    points = score_item(rule, value).points
    assert D(0) <= points <= max(b.value for b in rule.bands)
