"""The assessment method (plan-monitoring.md): the seed's own figures, and properties of the method."""

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kechuang.plans.choices import Attribute, Direction, Kind, Status
from kechuang.plans.method import Spec, Thresholds, assess, display, increase_multiple, planned_growth

FIXTURES = Path(__file__).resolve().parents[2] / "kechuang" / "plans" / "fixtures"
D = Decimal

# 专栏2 as printed in the seed: every row's 年均增长 (the 新增 row prints "—").
SEED_GROWTH = {
    "县本级科技支出占县本级财政一般预算支出的比例": "1.90%",
    "规上高新技术企业总产值占工业总产值的比重": "10.21%",
    "新增规模以上高新技术企业": "—",
    "高新技术企业营业收入": "6.0%",
    "重大科技成果转化": "7.39%",
    "每万人口发明专利拥有量": "6.0%",
    "申请专利（5年合计）": "8.33%",
    "授权专利": "8.45%",
    "高级职称专业技术人员": "8.34%",
    "中级职称专业技术人员": "3.20%",
    "科研人员总数": "3.71%",
    "年人均科普经费": "1.18%",
}
# 图3: the 2025 target's increase over the 2020 value, in multiples, worked out by hand from 专栏2 (e.g. 10.1/29.9).
SEED_MULTIPLES = {
    "县本级科技支出占县本级财政一般预算支出的比例": "0.10",
    "规上高新技术企业总产值占工业总产值的比重": "0.63",
    "新增规模以上高新技术企业": "0.00",
    "高新技术企业营业收入": "0.34",
    "重大科技成果转化": "0.43",
    "每万人口发明专利拥有量": "0.34",
    "申请专利（5年合计）": "0.49",
    "授权专利": "0.50",
    "高级职称专业技术人员": "0.49",
    "中级职称专业技术人员": "0.17",
    "科研人员总数": "0.20",
    "年人均科普经费": "0.06",
}


def _fixture(name: str) -> dict:
    """The fixture as written (numbers as Decimal), without the checks that need the database."""
    plan = yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))
    for item in plan["indicators"]:
        for key in ("baseline", "target"):
            item[key] = None if item[key] is None else Decimal(str(item[key]))
    return plan


def test_every_growth_rate_of_column_2_matches_the_seed():
    plan = _fixture("luzhai-14.yaml")
    years = plan["target_year"] - plan["baseline_year"]
    shown = {}
    for item in plan["indicators"]:
        growth = planned_growth(item["baseline"], item["target"], years)
        shown[item["name"]] = display(growth, item["growth_precision"], percent=True) if item["show_cagr"] else "—"
    assert shown == SEED_GROWTH


def test_every_increase_multiple_of_figure_3_matches():
    plan = _fixture("luzhai-14.yaml")
    multiples = {i["name"]: display(increase_multiple(i["baseline"], i["target"]), 2) for i in plan["indicators"]}
    assert multiples == SEED_MULTIPLES


def test_the_worked_examples_of_the_method():
    spec = Spec(kind=Kind.LEVEL, baseline_year=2020, target_year=2025, baseline=D("29.9"), target=D(40))
    assert display(increase_multiple(spec.baseline, spec.target), 2) == "0.34"
    # 高新技术企业 25 of 21 in the 13th plan's final year: 119.05 %, achieved.
    final = Spec(kind=Kind.LEVEL, baseline_year=2015, target_year=2020, baseline=D(3), target=D(21))
    result = assess(final, 2020, {2020: D(25)})
    assert display(result.completion, 2, percent=True) == "119.05%"
    assert (result.status, result.reason) == (Status.ACHIEVED, "met")
    # 工程技术研究中心 4 of 5 without a baseline: 80.00 %, missed; 自治区级高新区 0 of 1: 0.00 %.
    etrc = Spec(kind=Kind.LEVEL, baseline_year=2015, target_year=2020, target=D(5))
    assert display(assess(etrc, 2020, {2020: D(4)}).completion, 2, percent=True) == "80.00%"
    assert assess(etrc, 2020, {2020: D(4)}).status == Status.MISSED
    park = Spec(kind=Kind.LEVEL, baseline_year=2015, target_year=2020, target=D(1))
    assert display(assess(park, 2020, {2020: D(0)}).completion, 2, percent=True) == "0.00%"


def test_a_level_indicator_between_baseline_and_target():
    spec = Spec(kind=Kind.LEVEL, baseline_year=2020, target_year=2025, baseline=D(100), target=D(200))
    r = assess(spec, 2022, {2022: D(120)})
    g = (D(2) ** (D(1) / 5)) - 1
    expected = D(100) * (1 + g) ** 2
    assert r.expected == expected
    assert r.progress == (D(120) - 100) / (expected - 100)
    assert r.actual_growth == (D("1.2") ** (D(1) / 2)) - 1
    assert r.required_growth == (D(200) / D(120)) ** (D(1) / 3) - 1
    assert r.projection == D(120) * (1 + r.actual_growth) ** 3
    assert r.international_ratio == r.actual_growth / g
    assert r.status == Status.LAGGING  # P ≈ 0.62


def test_a_share_and_a_cumulative_indicator():
    share = Spec(kind=Kind.SHARE, baseline_year=2020, target_year=2025, baseline=D("18.45"), target=D(30))
    r = assess(share, 2023, {2023: D(25)})
    assert r.expected == D("18.45") + (D(30) - D("18.45")) * 3 / 5
    assert r.required_growth == (D(30) - D(25)) / 2  # units per year
    assert r.projection == D(25) + (D(25) - D("18.45")) / 3 * 2
    assert r.actual_growth is None and r.international_ratio is None
    flows = Spec(kind=Kind.CUMULATIVE, baseline_year=2020, target_year=2025, baseline=D(1830), target=D(2730))
    r = assess(flows, 2022, {2021: D(500), 2022: D(520)})
    assert r.actual == D(1020)
    assert r.required_growth == (D(2730) - D(1020)) / 3
    assert r.projection == D(1020) + D(1020) / 2 * 3


def test_a_year_outside_the_plan_is_refused():
    spec = Spec(kind=Kind.LEVEL, baseline_year=2020, target_year=2025, baseline=D(1), target=D(2))
    for year in (2020, 2026):
        with pytest.raises(ValueError):
            assess(spec, year, {year: D(1)})


def test_a_decrease_indicator():
    spec = Spec(
        kind=Kind.LEVEL,
        baseline_year=2020,
        target_year=2025,
        baseline=D(100),
        target=D(80),
        direction=Direction.DECREASE,
    )
    worse = assess(spec, 2022, {2022: D(105)})
    assert worse.status == Status.SERIOUS and worse.reason == "backwards"
    assert worse.completion == (D(100) - D(105)) / (D(100) - D(80))
    assert worse.international_ratio < 0
    assert assess(spec, 2022, {2022: D(79)}).status == Status.ACHIEVED


def test_holding_a_level():
    spec = Spec(kind=Kind.SHARE, baseline_year=2020, target_year=2025, baseline=D(5), target=D(5))
    assert assess(spec, 2022, {2022: D(4)}).status == Status.LAGGING
    binding = Spec(**{**spec.__dict__, "attribute": Attribute.BINDING})
    assert assess(binding, 2022, {2022: D(4)}).status == Status.SERIOUS
    assert assess(spec, 2022, {2022: D(5)}).status == Status.ACHIEVED


def test_annual_targets_replace_the_path():
    spec = Spec(
        kind=Kind.LEVEL,
        baseline_year=2020,
        target_year=2025,
        baseline=D("29.9"),
        target=D(40),
        annual_targets={2021: D("31.7")},
    )
    r = assess(spec, 2021, {2021: D("31.7")})
    assert r.expected == D("31.7") and r.progress == 1


def test_no_baseline_before_the_target_year_is_no_data_unless_met():
    spec = Spec(kind=Kind.LEVEL, baseline_year=2020, target_year=2025, target=D(10))
    assert assess(spec, 2022, {2022: D(5)}).status == Status.NO_DATA
    assert assess(spec, 2022, {2022: D(5)}).reason == "no_baseline"
    early = assess(spec, 2022, {2022: D(12)})
    assert early.status == Status.ACHIEVED and early.reason == "met_early"


# --------------------------------------------------------------------------------------------------- properties

kinds = st.sampled_from([Kind.LEVEL, Kind.SHARE, Kind.CUMULATIVE])
directions = st.sampled_from([Direction.INCREASE, Direction.DECREASE])
amounts = st.decimals(min_value=D("0.5"), max_value=D(100000), places=2)
spans = st.integers(min_value=1, max_value=10)


def _spec(kind, direction, baseline, target, span, attribute=Attribute.EXPECTED):
    return Spec(
        kind=kind,
        direction=direction,
        attribute=attribute,
        baseline=baseline,
        target=target,
        baseline_year=2020,
        target_year=2020 + span,
    )


def _on_path(spec: Spec, year: int) -> dict[int, Decimal]:
    """Yearly values that follow the planned path exactly (flows whose running total is E_t for cumulative)."""
    from kechuang.plans.method import expected_value

    g = planned_growth(spec.baseline, spec.target, spec.years)
    path = {y: expected_value(spec, y, spec.target, g) for y in range(spec.baseline_year + 1, year + 1)}
    if spec.kind != Kind.CUMULATIVE:
        return {year: path[year]}
    flows, before = {}, D(0)
    for y, total in path.items():
        flows[y], before = total - before, total
    return flows


@settings(max_examples=300, deadline=None)
@given(kinds, directions, amounts, amounts, spans, st.data())
def test_a_value_on_the_planned_path_gives_progress_one(kind, direction, baseline, target, span, data):
    wants_more = direction == Direction.INCREASE
    assume((target != baseline and (target > baseline) == wants_more) or kind == Kind.CUMULATIVE)
    spec = _spec(kind, direction, baseline, target, span)
    year = data.draw(st.integers(min_value=2021, max_value=2020 + span))
    result = assess(spec, year, _on_path(spec, year))
    assert result.progress is not None
    assert abs(result.progress - 1) < D("1e-18")


@settings(max_examples=200, deadline=None)
@given(amounts, amounts, st.integers(min_value=2, max_value=10), st.data())
def test_a_cumulative_indicator_with_a_missing_year_has_no_data(baseline, target, span, data):
    spec = _spec(Kind.CUMULATIVE, Direction.INCREASE, baseline, target, span)
    year = data.draw(st.integers(min_value=2022, max_value=2020 + span))
    values = {y: D(10**9) for y in range(2021, year + 1)}  # enough to meet any target…
    del values[data.draw(st.sampled_from(sorted(values)))]  # …but one year is missing
    result = assess(spec, year, values)
    assert result.status == Status.NO_DATA and result.missing_years


@settings(max_examples=300, deadline=None)
@given(kinds, directions, amounts, amounts, spans, amounts, st.data())
def test_binding_indicators_are_never_on_track_below_one(kind, direction, baseline, target, span, actual, data):
    spec = _spec(kind, direction, baseline, target, span, Attribute.BINDING)
    year = data.draw(st.integers(min_value=2021, max_value=2020 + span))
    values = {y: actual for y in range(2021, year + 1)}
    result = assess(spec, year, values)
    if result.status in (Status.ON_TRACK, Status.AHEAD):
        assert result.progress >= 1


@settings(max_examples=300, deadline=None)
@given(kinds, directions, amounts, amounts, spans, st.data())
def test_a_met_target_is_achieved_whatever_the_progress(kind, direction, baseline, target, span, data):
    spec = _spec(kind, direction, baseline, target, span)
    year = data.draw(st.integers(min_value=2021, max_value=2020 + span))
    beyond = data.draw(st.decimals(min_value=0, max_value=1000, places=2))
    sign = -1 if direction == Direction.DECREASE else 1
    if kind == Kind.CUMULATIVE:
        values = {y: D(0) for y in range(2021, year + 1)}
        values[year] = (target + beyond) if sign > 0 else target - beyond  # the running total meets the target
        assume(sign > 0)
    else:
        values = {year: target + sign * beyond}
    result = assess(spec, year, values)
    assert result.status == Status.ACHIEVED
    assert result.reason == ("met" if year == spec.target_year else "met_early")


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=D("-5"), max_value=D(5), places=4))
def test_statuses_follow_the_thresholds(progress):
    """Build an actual with a chosen P on a share indicator and check the status band (thresholds unrounded)."""
    spec = _spec(Kind.SHARE, Direction.INCREASE, D(10), D(20), 5)
    expected = D(10) + D(10) * 2 / 5
    actual = D(10) + progress * (expected - D(10))
    assume(actual < 20)
    t = Thresholds()
    status = assess(spec, 2022, {2022: actual}).status
    if progress >= t.ahead:
        assert status == Status.AHEAD
    elif progress >= t.on_track:
        assert status == Status.ON_TRACK
    elif progress >= t.lagging:
        assert status == Status.LAGGING
    else:
        assert status == Status.SERIOUS
