"""Data-quality checks before an assessment (issue 4 §9): the pure checks as properties, the findings of plans built
here, confirming a finding and what makes it listed again, who may see and confirm, and the Luzhai demo's findings."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from kechuang.accounts.choices import Role
from kechuang.core.exceptions import AccessDenied
from kechuang.core.models import AuditLog
from kechuang.orgs.demo import load_demo
from kechuang.plans.models import Observation, Plan, QualityCheck, QualityConfirmation
from kechuang.plans.quality import (
    JUMP_THRESHOLD,
    Series,
    baseline_mismatch,
    baseline_ratios,
    jumps,
    magnitudes,
    missing_years,
    quality_confirm,
    quality_findings,
    ranges,
    series_findings,
    unconfirmed,
)
from kechuang.plans.services import observation_enter, observation_submit, plan_import
from kechuang.regions.models import Region
from tests.permission_table import (
    ROLE_VALUES,
    Endpoint,
    check_anonymous,
    check_cell,
    parse,
    row_names,
    signed_in,
    snapshot,
    user_for,
)
from tests.plans.conftest import indicator, plan_data

D = Decimal
B, T = 2020, 2025


def series(values: dict, *, year: int | None = None, **fields) -> Series:
    """A series of 万元 amounts over B..t (t: the last year given unless told) with no baseline and a target of 1."""
    year = year or max(values)
    spec = {"unit": "万元", "precision": 2, "kind": "level", "baseline": None, "target": D(1)} | fields
    return Series(
        baseline_year=B, target_year=T, year=year, values={y: values.get(y) for y in range(B, year + 1)}, **spec
    )


def chain(start: Decimal, factors: list[Decimal]) -> dict[int, Decimal]:
    """Values from B on, each the one before times a factor (exact in Decimal)."""
    values = {B: start}
    for offset, factor in enumerate(factors, start=1):
        values[B + offset] = values[B + offset - 1] * factor
    return values


def years_of(findings, check=None) -> set[int]:
    return {f.year for f in findings if check is None or f.check == check}


money = st.decimals(min_value=D("0.01"), max_value=D(1_000_000), places=2)
factor = st.decimals(min_value=D("0.40"), max_value=D("2.50"), places=2)
steady = st.decimals(min_value=D("0.80"), max_value=D("1.25"), places=2)


# --- the pure checks --------------------------------------------------------------------------------------------


@given(st.lists(st.one_of(st.none(), money), min_size=6, max_size=6), st.integers(B + 1, T))
def test_missing_years_are_the_years_after_the_baseline_without_a_value(raw, year):
    values = dict(zip(range(B, T + 1), raw, strict=True))
    found = missing_years(series(values, year=year))
    assert [f.year for f in found] == [y for y in range(B + 1, year + 1) if values[y] is None]
    assert all(f.check == QualityCheck.MISSING and f.values == {str(f.year): None} for f in found)


@given(st.decimals(min_value=100, max_value=1000, places=2), st.lists(factor, min_size=5, max_size=5))
def test_a_jump_is_a_change_beyond_the_threshold(start, factors):
    values = chain(start, factors)  # never below 100 × 0.4^5 ≈ 1.02, far above the tiny base 0.05 of a target of 1
    expected = {B + i for i, f in enumerate(factors, start=1) if abs(f - 1) > JUMP_THRESHOLD}
    assert years_of(jumps(series(values))) == expected


@given(st.lists(money, min_size=6, max_size=6), st.sampled_from([D("0.001"), D("0.37"), D(3), D(10_000)]))
def test_jumps_do_not_depend_on_the_unit_values_are_given_in(raw, scale):
    values = dict(zip(range(B, T + 1), raw, strict=True))
    scaled = {y: v * scale for y, v in values.items()}
    plain = series(values, baseline=D(50), target=D(80))
    rescaled = series(scaled, baseline=D(50) * scale, target=D(80) * scale)
    assert years_of(jumps(plain)) == years_of(jumps(rescaled))


def test_a_tiny_base_is_not_compared():
    # a count of whole things below 10 doubles easily: 3 → 8 enterprises is not a data error, 10 → 16 is listed
    counts = series({2020: D(3), 2021: D(8), 2022: D(10), 2023: D(16)}, unit="家", precision=0, target=D(21))
    assert years_of(jumps(counts)) == {2023}
    # an amount below 5 % of the indicator's scale (here 5 % of the target 40 亿元 = 2 亿元) is tiny too
    amounts = series({2020: D("1.9"), 2021: D("4.0"), 2022: D("8.0")}, unit="亿元", target=D(40))
    assert years_of(jumps(amounts)) == {2022}
    # exactly at the threshold is not beyond it
    assert not jumps(series({2020: D(100), 2021: D(150)}))


@given(
    st.decimals(min_value=100, max_value=1000, places=2),
    st.lists(steady, min_size=5, max_size=5),
    st.integers(B, T),
    st.sampled_from([4, 8, -4, -8]),
    st.booleans(),
)
def test_a_value_about_ten_thousand_times_its_surroundings_is_a_unit_error(start, factors, wrong, k, anchored):
    values = chain(start, factors)  # neighbours within 1.25× of each other, all within 3.05× of the start
    values[wrong] = values[wrong].scaleb(k)
    s = series(values, baseline=start if anchored else None, target=start)
    found = magnitudes(s)
    assert years_of(found) == {wrong}
    assert all(f.check == QualityCheck.MAGNITUDE for f in found)
    everything = series_findings(s)
    # one cause, one finding: neither the jump into the wrong year nor the one back out of it is listed
    assert not years_of(everything, QualityCheck.JUMP) & {wrong, wrong + 1}
    assert not years_of(everything, QualityCheck.BASELINE_RATIO) & {wrong}


def test_a_unit_error_says_which_unit_it_was_probably_typed_in():
    s = series({2020: D("29.9"), 2021: D("31.2"), 2022: D(330_000)}, unit="亿元", precision=1, baseline=D("29.9"))
    (finding,) = magnitudes(s)
    assert finding.year == 2022
    assert "约为基期值 29.9亿元的 1 万倍" in finding.problem
    assert "疑似按“万元”填报了以“亿元”为单位的数，若是，应为 33.0亿元" in finding.fix
    assert finding.values == {"2022": "330000", "baseline": "29.9"}
    # a percentage typed as a fraction: 0.0091 for 0.91 %
    share = series({2020: D("0.91"), 2021: D("0.0095"), 2022: D("0.97")}, unit="%", kind="share")
    (finding,) = magnitudes(share)
    assert finding.year == 2021 and "百分之一" in finding.problem and "应为 0.95%" in finding.fix


@given(st.lists(st.decimals(min_value=-50, max_value=150, places=2), min_size=6, max_size=6))
def test_a_percentage_share_outside_0_to_100_and_a_negative_count_are_listed(raw):
    values = dict(zip(range(B, T + 1), raw, strict=True))
    shares = ranges(series(values, unit="%", kind="share"))
    assert years_of(shares, QualityCheck.PERCENT_RANGE) == {y for y, v in values.items() if v < 0 or v > 100}
    counts = ranges(series(values, unit="家"))
    assert years_of(counts, QualityCheck.NEGATIVE) == {y for y, v in values.items() if v < 0}
    # a percentage that is not a share (a growth rate, say) may be negative and above 100
    assert not ranges(series(values, unit="%", kind="level"))


@given(
    st.decimals(min_value=1, max_value=1000, places=1),
    st.decimals(min_value=D("-0.050"), max_value=D("0.049"), places=3),
)
def test_a_baseline_year_value_equal_at_the_precision_is_no_finding(baseline, delta):
    s = series({2020: baseline + delta, 2021: baseline}, unit="亿元", precision=1, baseline=baseline)
    assert not baseline_mismatch(s)


@given(st.decimals(min_value=1, max_value=1000, places=1), st.decimals(min_value=D("0.050"), max_value=10, places=3))
def test_a_baseline_year_value_that_rounds_differently_is_listed(baseline, delta):
    s = series({2020: baseline + delta, 2021: baseline}, unit="亿元", precision=1, baseline=baseline)
    (finding,) = baseline_mismatch(s)
    assert finding.year == B and finding.check == QualityCheck.BASELINE
    # only a level or share indicator has a baseline of the same kind as its yearly values
    assert not baseline_mismatch(series(s.values, unit="亿元", precision=1, baseline=baseline, kind="cumulative"))


def test_a_value_ten_times_the_baseline_and_target_is_listed():
    s = series({2020: D(30), 2021: D(32), 2022: D(401), 2023: D("2.9")}, baseline=D(30), target=D(40))
    found = baseline_ratios(s)
    assert years_of(found) == {2022, 2023}  # above 10 × 40, below 30 / 10
    assert "是基期值 30.00万元的 13.37 倍" in found[0].problem
    # a cumulative indicator compares yearly flows with the previous period's yearly average (1000 / 5 = 200)
    flows = series({2021: D(180), 2022: D(2500)}, baseline=D(1000), target=D(1200), kind="cumulative")
    assert years_of(baseline_ratios(flows)) == {2022}


# --- findings of a plan, and confirming them --------------------------------------------------------------------

db = pytest.mark.django_db


def keys(items) -> set[tuple[str, int, str]]:
    return {(i.indicator.code, i.finding.year, i.finding.check) for i in items}


@pytest.fixture
def plan(make_plan, observe):
    """a: 120 in 2021, 200 in 2022 (+66.7 %), nothing in 2023; rate: a share in % at 0.91 then 101.5."""
    plan = make_plan(
        indicators=[
            indicator("a"),
            indicator("rate", kind="share", unit="%", precision=2, baseline=D("0.9"), target=D("1.2")),
        ]
    )
    observe(plan, "a", 2021, 120)
    observe(plan, "a", 2022, 200)
    observe(plan, "rate", 2021, "0.91")
    observe(plan, "rate", 2022, "101.5")
    observe(plan, "rate", 2023, "0.95")
    return plan


def findings(plan, year=2023, region="450223"):
    return quality_findings(plan=plan, region=Region.objects.get(code=region), year=year)


@db
def test_a_plans_findings_name_indicator_year_values_and_fix(plan):
    items = findings(plan)
    # rate's 101.5 % is about 100 times its baseline of 0.9 %: one magnitude finding, not also two jumps and a
    # value far from the baseline; and a share above 100 %
    assert keys(items) == {
        ("a", 2022, "jump"),
        ("a", 2023, "missing"),
        ("rate", 2022, "magnitude"),
        ("rate", 2022, "percent_range"),
    }
    jump = next(i.finding for i in items if i.key == "a|2022|jump")
    assert jump.values == {"2021": "120", "2022": "200"}
    assert jump.shown == "2021年 120家；2022年 200家"
    assert "2022年 200家 比2021年 120家 增长 66.7%" in jump.problem
    assert "快报、年报、年鉴" in jump.fix  # a manual indicator's fix: check the statistics' sources
    missing = next(i.finding for i in items if i.key == "a|2023|missing")
    assert missing.problem == "2023年没有数值，该年无法评估。"
    assert unconfirmed(items) == 4


@db
def test_findings_read_each_indicator_once(plan, django_assert_num_queries):
    region = Region.objects.get(code="450223")
    # the indicators, their revisions, the revisions waiting, the confirmations, then one read per indicator
    with django_assert_num_queries(4 + 2):
        quality_findings(plan=plan, region=region, year=2023)


@db
def test_a_revision_waiting_for_approval_is_listed(plan):
    a = plan.indicators.get(code="a")
    region = Region.objects.get(code="450223")
    revision, _ = observation_enter(
        actor=None, indicator=a, region=region, year=2021, value=D(150), source="年鉴", vintage="年鉴"
    )
    assert ("a", 2021, "pending") not in keys(findings(plan))  # a draft is still being written
    observation_submit(actor=None, observation=revision)
    item = next(i for i in findings(plan) if i.key == "a|2021|pending")
    assert item.finding.values == {"2021": "120", "pending": "150"}
    assert "评估仍使用原已审核值 120家" in item.finding.problem


@db
def test_a_metric_baseline_is_checked_against_the_registry(regions):
    data = plan_data(indicators=[indicator("hte", metric="hte.count", baseline=D(5), target=D(10))])
    plan, _ = plan_import(actor=None, data=data)
    # no certificate in the registry: 0 enterprises in 2020 against the stated 5
    (item,) = findings(plan, year=2021)
    assert (item.finding.check, item.finding.year) == ("baseline", 2020)
    assert item.finding.values == {"baseline": "5", "2020": "0"}
    assert "登记数据计算为 0家，规划所列基期值为 5家" in item.finding.problem


@db
def test_a_confirmation_is_audited_and_holds_until_a_value_changes(plan, observe, make_user):
    staff = make_user(Role.BUREAU_STAFF)
    region = Region.objects.get(code="450223")
    (made,) = quality_confirm(
        actor=staff, plan=plan, region=region, year=2023, keys=["a|2022|jump"], note="经核实，新认定企业较多"
    )
    assert (made.confirmed_by, made.check_code, made.values) == (staff, "jump", {"2021": "120", "2022": "200"})
    assert AuditLog.objects.filter(object_id=str(made.pk), action="create", actor=staff).exists()
    items = findings(plan)
    confirmed = next(i for i in items if i.key == "a|2022|jump")
    assert confirmed.confirmation == made and unconfirmed(items) == 3
    # confirming it again writes nothing
    assert quality_confirm(actor=staff, plan=plan, region=region, year=2023, keys=["a|2022|jump"], note="再次") == []
    # a revised 2021 value is a different finding: listed again, the confirmation kept as history
    observe(plan, "a", 2021, 125)
    again = next(i for i in findings(plan) if i.key == "a|2022|jump")
    assert not again.confirmed and again.finding.values == {"2021": "125", "2022": "200"}
    assert QualityConfirmation.objects.filter(pk=made.pk).exists()


@db
def test_confirming_needs_a_note_a_current_finding_and_the_right(plan, make_user):
    region = Region.objects.get(code="450223")
    admin = make_user(Role.BUREAU_ADMIN)

    def confirm(actor, keys, note="经核实无误", where=region):
        return quality_confirm(actor=actor, plan=plan, region=where, year=2023, keys=keys, note=note)

    with pytest.raises(ValidationError, match="确认说明"):
        confirm(admin, ["a|2022|jump"], note="  ")
    with pytest.raises(ValidationError, match="已不存在"):
        confirm(admin, ["a|2021|jump"])
    with pytest.raises(ValidationError, match="勾选"):
        confirm(admin, [])
    with pytest.raises(AccessDenied):
        confirm(make_user(Role.LEADER), ["a|2022|jump"])
    with pytest.raises(AccessDenied):  # staff of 柳城县 cannot confirm for 鹿寨县
        confirm(make_user(Role.BUREAU_STAFF, region="450222"), ["a|2022|jump"])
    assert not QualityConfirmation.objects.exists()


@db
def test_the_page_lists_findings_and_confirms_them(plan, make_user, login):
    client = login(make_user(Role.BUREAU_ADMIN))
    url = "/plans/test-14/quality/?region=450223&year=2023"
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200 and len(page.context["items"]) == 4
    assert "2022年 200家 比2021年 120家 增长 66.7%" in text and 'value="a|2022|jump"' in text
    assert client.get(url + "&badge=1").content.decode().endswith("数据质量：4 项待确认")
    response = client.post(url, {"finding": ["a|2022|jump", "a|2023|missing"], "note": "统计局确认2023年尚未发布"})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert "统计局确认2023年尚未发布" in page and 'value="a|2022|jump"' not in page
    assert client.get(url + "&badge=1").content.decode().endswith("数据质量：2 项待确认")
    # the assessment page links to the page, and loads the count into the link
    assessment = client.get("/plans/test-14/assessment/?region=450223&year=2023").content.decode()
    assert 'id="quality-link"' in assessment and "/plans/test-14/quality/?region=450223&year=2023&badge=1" in assessment


@db
def test_a_refused_confirmation_says_why(plan, make_user, login):
    client = login(make_user(Role.BUREAU_STAFF))
    url = "/plans/test-14/quality/?region=450223&year=2023"
    response = client.post(url, {"finding": ["a|2022|jump"], "note": ""}, follow=True)
    assert "请填写确认说明" in response.content.decode()
    assert not QualityConfirmation.objects.exists()


# --- who may see and confirm ------------------------------------------------------------------------------------

EXPECTED = """
                              sys sec aud adm stf ldr ent exp prv
quality.get                    .   .   .   Y   Y   Y   .   .   .
quality.badge                  .   .   .   Y   Y   Y   .   .   .
quality.confirm                .   .   .   Y   Y   .   .   .   .
planB.quality                  .   .   .   4   4   4   .   .   .
planB.confirm                  .   .   .   4   4   4   .   .   .
planA.regionB.quality          .   .   .   4   4   4   .   .   .
planA.regionB.confirm          .   .   .   4   4   4   .   .   .
"""
EXPECT = parse(EXPECTED)
NAMES = row_names(EXPECT)
NOTE = {"finding": "a|2022|jump", "note": "经核实无误"}


@pytest.fixture
def world(regions, observe):
    """Plan A of 鹿寨县 and plan B of 柳城县 (450222), outside every user's scope, each with a jump of indicator a
    in 2022 in its own county."""
    a, _ = plan_import(actor=None, data=plan_data("plan-a"))
    b, _ = plan_import(actor=None, data=plan_data("plan-b", region="450222"))
    for plan, region in ((a, "450223"), (b, "450222")):
        observe(plan, "a", 2021, 120, region=region)
        observe(plan, "a", 2022, 200, region=region)
    return {"a": a, "b": b}


def confirmed(plan: str, region: str) -> bool:
    return QualityConfirmation.objects.filter(indicator__plan__code=plan, region__code=region).exists()


def _page(plan: str, region: str, badge: bool = False) -> str:
    return f"/plans/{plan}/quality/?region={region}&year=2022" + ("&badge=1" if badge else "")


ENDPOINTS = {
    "quality.get": Endpoint(lambda w: _page("plan-a", "450223")),
    "quality.badge": Endpoint(lambda w: _page("plan-a", "450223", badge=True)),
    "quality.confirm": Endpoint(
        lambda w: _page("plan-a", "450223"), "post", lambda w: NOTE, lambda w: confirmed("plan-a", "450223")
    ),
    "planB.quality": Endpoint(lambda w: _page("plan-b", "450222")),
    "planB.confirm": Endpoint(
        lambda w: _page("plan-b", "450222"), "post", lambda w: NOTE, lambda w: confirmed("plan-b", "450222")
    ),
    "planA.regionB.quality": Endpoint(lambda w: _page("plan-a", "450222")),
    "planA.regionB.confirm": Endpoint(
        lambda w: _page("plan-a", "450222"), "post", lambda w: NOTE, lambda w: confirmed("plan-a", "450222")
    ),
}


def db_state() -> dict:
    return snapshot(QualityConfirmation, Observation, Plan)


@db
def test_table_and_endpoints_agree():
    assert set(NAMES) == set(ENDPOINTS)


@db
@pytest.mark.parametrize("role", ROLE_VALUES)
@pytest.mark.parametrize("name", NAMES)
def test_role_on_endpoint(name, role, world, make_user, make_org):
    client = signed_in(user_for(role, make_user, lambda: make_org(name="鹿寨甲科技有限公司", region="450223100")))
    check_cell(client, ENDPOINTS[name], EXPECT[(name, role)], world, db_state=db_state)


@db
@pytest.mark.parametrize("name", NAMES)
def test_anonymous_is_sent_to_sign_in(name, world):
    check_anonymous(ENDPOINTS[name], world, db_state=db_state)


# --- the Luzhai demo: the 13th plan's data for 2016–2020 ----------------------------------------------------------


@pytest.fixture(scope="module")
def luzhai(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield Plan.objects.select_related("region").get(code="luzhai-13")
        transaction.set_rollback(True)


# Worked out by hand from the demo's values (``indicator_values`` for 2015–2020, printed by the metric tests):
# - approved yearly figures exist for 2019–2020 only, so the three metrics over them have no 2016–2018 values, and the
#   two statistics entered by hand (R&D intensity, the fiscal S&T share) exist for 2020 only;
# - jumps beyond 50 %: R&D over revenue 4.3 % → 1.8 % (−58.1 %), the high-tech output share 95.99 % → 18.45 %
#   (−80.8 %), contract turnover 12.00 → 16700.00 万元, inventions per 10,000 residents 0.27 → 0.44 → 0.71 (+63.0 %,
#   +61.4 %) and 1.24 → 2.24 (+80.6 %), patent applications 44 (2015) → 315 (2016);
# - not jumps: counts under 10 (high-tech enterprises 3 → 6 → 10, carriers, conversions, grants from 2), 10 → 15
#   enterprises (exactly +50 %), and everything else below 50 %;
# - the only stated baseline, 3 high-tech enterprises in 2015, is what the registry gives; no value is in the wrong
#   unit, negative or out of range, and nothing waits for approval.
DEMO_2020 = {
    *(("rd_intensity", y, "missing") for y in (2016, 2017, 2018, 2019)),
    *(("fiscal_st_share", y, "missing") for y in (2016, 2017, 2018, 2019)),
    *(("above_scale_rd_ratio", y, "missing") for y in (2016, 2017, 2018)),
    *(("hitech_output_share", y, "missing") for y in (2016, 2017, 2018)),
    *(("hte_revenue", y, "missing") for y in (2016, 2017, 2018)),
    ("above_scale_rd_ratio", 2020, "jump"),
    ("hitech_output_share", 2020, "jump"),
    ("contract_turnover", 2020, "jump"),
    ("inventions_per_10k", 2016, "jump"),
    ("inventions_per_10k", 2017, "jump"),
    ("inventions_per_10k", 2020, "jump"),
    ("patent_applications", 2016, "jump"),
}


@db
def test_the_demos_2020_findings(luzhai):
    items = quality_findings(plan=luzhai, region=luzhai.region, year=2020)
    assert keys(items) == DEMO_2020 and len(items) == 24 and unconfirmed(items) == 24
    turnover = next(i.finding for i in items if i.indicator.code == "contract_turnover")
    assert turnover.values == {"2019": "12", "2020": "16700"}
    assert "2020年 16700.00万元 是2019年 12.00万元 的 1391.7 倍" in turnover.problem
    share = next(i.finding for i in items if i.key == "hitech_output_share|2020|jump")
    assert "下降 80.8%" in share.problem
    # the share is rounded as the plan prints it (18.45 %) before it is compared
    assert share.values == {"2019": "95.99", "2020": "18.45"}
