"""Plans as data: import and export (YAML and xlsx), target revisions, manual observations, stored assessments."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from kechuang.core.models import AuditLog
from kechuang.plans.choices import ObservationStatus, Status
from kechuang.plans.models import Assessment, Indicator, IndicatorResult, Observation, Plan
from kechuang.plans.planfile import PlanFileError, plan_to_data, read_plan, write_xlsx, write_yaml
from kechuang.plans.selectors import assessment_data, indicator_values
from kechuang.plans.services import (
    assessment_run,
    observation_approve,
    observation_enter,
    observation_return,
    observation_submit,
    observations_import,
    plan_import,
    target_revise,
)
from kechuang.regions.models import Region
from tests.plans.conftest import indicator, plan_data

pytestmark = pytest.mark.django_db
D = Decimal

ISSUE_YAML = """\
code: luzhai-x
name: 鹿寨县"十四五"科技创新发展规划
region: "450223"
baseline_year: 2020
target_year: 2025
thresholds: {ahead: 1.10, on_track: 0.90, on_track_binding: 1.00, lagging: 0.60}
indicators:
  - code: hte_rev
    group: 专栏2
    name: 高新技术企业营业收入
    unit: 亿元
    precision: 1
    growth_precision: 1
    kind: level
    direction: increase
    attribute: expected
    baseline: 29.9
    target: 40
    show_cagr: true
    annual_targets: {2021: 31.7}
    definition: 辖区内有效期内高新技术企业当年营业收入合计
    source: 县统计局 / 企业年报
    department: 县科工贸局
    frequency: 年度
    revisions: [{date: 2023-06-30, target: 42, document: 鹿政发〔2023〕X号}]
"""


def _import_yaml(text: str, actor=None):
    return plan_import(actor=actor, data=read_plan(text.encode(), "plan.yaml"))


def test_the_issues_yaml_imports_with_exact_decimals(regions):
    plan, counts = _import_yaml(ISSUE_YAML)
    item = plan.indicators.get()
    assert (item.baseline, item.target, item.unit, item.precision) == (D("29.9"), D(40), "亿元", 1)
    assert {t.year: t.value for t in item.annual_targets.all()} == {2021: D("31.7")}
    revision = item.revisions.get()
    assert (str(revision.date), revision.target, revision.document) == ("2023-06-30", D(42), "鹿政发〔2023〕X号")
    assert counts["created"] == 4  # plan, indicator, annual target, revision
    # The revision is in force from its date: 2022 is assessed against 40, 2023 against 42.
    assert item.target_for(2022) == D(40) and item.target_for(2023) == D(42)


def test_importing_the_same_file_again_changes_nothing(regions):
    _import_yaml(ISSUE_YAML)
    audit_rows = AuditLog.objects.count()
    _plan, counts = _import_yaml(ISSUE_YAML)
    assert counts == {"created": 0, "updated": 0, "unchanged": 4}
    assert AuditLog.objects.count() == audit_rows


def test_yaml_and_xlsx_round_trip(regions):
    plan, _ = _import_yaml(ISSUE_YAML)
    data = plan_to_data(plan)
    assert list(data) == ["code", "name", "region", "baseline_year", "target_year", "thresholds", "indicators"]
    again = read_plan(write_yaml(data), "again.yaml")
    from_xlsx = read_plan(write_xlsx(data), "again.xlsx")
    original = read_plan(ISSUE_YAML.encode(), "plan.yaml")
    assert again == original
    assert from_xlsx == original


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("target: 40", "缺少“target”"),
        ("kind: level", "kind：“flow”不是可选值"),
        ("baseline: 29.9", "baseline：“二十九”不是数值"),
        ("precision: 1", "precision：应为 0～6 的整数"),
        ("    frequency: 年度", "不认识的键“colour”"),
        ("revisions: [{date: 2023-06-30,", "不是日期"),
    ],
)
def test_every_problem_is_named_and_nothing_is_written(regions, change, problem):
    broken = {
        "target: 40": "target: ",
        "kind: level": "kind: flow",
        "baseline: 29.9": "baseline: 二十九",
        "precision: 1": "precision: 9",
        "    frequency: 年度": "    frequency: 年度\n    colour: red",
        "revisions: [{date: 2023-06-30,": "revisions: [{date: 2023-13-45,",
    }[change]
    text = ISSUE_YAML.replace(change, broken, 1)
    with pytest.raises(PlanFileError) as info:
        read_plan(text.encode(), "plan.yaml")
    assert any(problem in p and "hte_rev" in p for p in info.value.problems), info.value.problems
    assert not Plan.objects.exists()


def test_a_yaml_syntax_error_names_the_line(regions):
    with pytest.raises(PlanFileError) as info:
        read_plan(b"code: x\nindicators: [\n", "plan.yaml")
    assert "第3行" in info.value.problems[0] or "第2行" in info.value.problems[0]


def test_unknown_region_and_dropped_indicators_are_refused(regions):
    with pytest.raises(ValidationError, match="没有区划代码“999999”"):
        plan_import(actor=None, data=plan_data(region="999999"))
    plan_import(actor=None, data=plan_data())
    with pytest.raises(ValidationError, match="文件中缺少规划已有的指标：b"):
        plan_import(actor=None, data=plan_data(indicators=[indicator("a")]))
    assert Indicator.objects.filter(code="b").exists()


def test_a_revision_keeps_history_and_one_per_date(make_plan):
    plan = make_plan()
    item = plan.indicators.get(code="a")
    target_revise(actor=None, indicator=item, date="2022-03-01", target=D(220), document="文件一")
    target_revise(actor=None, indicator=item, date="2024-03-01", target=D(240), document="文件二")
    with pytest.raises(ValidationError, match="已有一次目标调整"):
        target_revise(actor=None, indicator=item, date="2022-03-01", target=D(230), document="文件三")
    item = Indicator.objects.get(pk=item.pk)
    assert [item.target_for(y) for y in (2021, 2022, 2023, 2024)] == [D(200), D(220), D(220), D(240)]


# --------------------------------------------------------------------------------------------------- observations


def test_only_approved_observations_count_and_revisions_keep_history(make_plan, regions):
    plan = make_plan()
    item, county = plan.indicators.get(code="a"), Region.objects.get(code="450223")
    draft, outcome = observation_enter(
        actor=None, indicator=item, region=county, year=2021, value=D(110), source="快报", vintage="快报"
    )
    assert outcome == "created" and draft.status == ObservationStatus.DRAFT
    assert indicator_values(item, county, [2021]).values == {2021: None}
    observation_submit(actor=None, observation=draft)
    with pytest.raises(ValidationError, match="退回时须填写退回意见"):
        observation_return(actor=None, observation=draft, comment=" ")
    observation_approve(actor=None, observation=draft)
    assert indicator_values(item, county, [2021]).values == {2021: D(110)}
    # The yearbook revises it: a new draft; until it is approved the flash value still counts.
    revised, outcome = observation_enter(
        actor=None, indicator=item, region=county, year=2021, value=D(112), source="年鉴", vintage="年鉴"
    )
    assert outcome == "created" and revised.pk != draft.pk
    assert indicator_values(item, county, [2021]).values == {2021: D(110)}
    observation_approve(actor=None, observation=revised)
    values = indicator_values(item, county, [2021])
    assert values.values == {2021: D(112)} and values.observations == {2021: revised.pk}
    assert Observation.objects.filter(indicator=item, year=2021).count() == 2
    # The same value again changes nothing.
    same, outcome = observation_enter(
        actor=None, indicator=item, region=county, year=2021, value=D(112), source="年鉴", vintage="年鉴"
    )
    assert outcome == "unchanged" and same.pk == revised.pk


def _csv(*rows: str, header: str = "indicator,region,year,value,source,vintage", encoding="utf-8") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


def test_observations_import_reports_every_problem_and_writes_nothing(make_plan):
    plan = make_plan()
    raw = _csv(
        "a,450223,2021,110,统计公报,年报",
        "zz,450223,2021,1,统计公报,年报",
        "a,450222,2021,1,统计公报,年报",
        "a,450223,2031,1,统计公报,年报",
        "a,450223,2022,一百,统计公报,年报",
        "a,450223,2023,1,,年报",
        "a,450223,2024,1,统计公报,月报",
        "a,450223,2021,111,统计公报,年报",
    )
    with pytest.raises(ValidationError) as info:
        observations_import(actor=None, plan=plan, raw=raw, filename="obs.csv")
    messages = info.value.messages
    assert messages == [
        "第3行 indicator：规划test-14中没有指标代码“zz”",
        "第4行 region：区划代码“450222”不存在或不在鹿寨县范围内",
        "第5行 year：年份“2031”应为 2020—2025 之间的四位数字",
        "第6行 value：数值“一百”不是数字（按指标的单位填写，不带单位）",
        "第7行 source：来源文件不能为空，请填写统计公报、年鉴或文件名称",
        "第8行 vintage：数据版本“月报”应为 快报、年报 或 年鉴",
        "第9行 indicator：与前面的行重复（同一指标、区划和年份只能有一行）",
    ]
    assert not Observation.objects.exists()


def test_observations_import_in_gb18030_with_approval(make_plan):
    plan = make_plan()
    raw = _csv("a,450223,2021,110,鹿寨县统计公报,年报", "b,450223100,2021,1.5,鹿寨镇统计,快报", encoding="gb18030")
    counts = observations_import(actor=None, plan=plan, raw=raw, filename="obs.csv", approve=True)
    assert counts == {"created": 2, "updated": 0, "unchanged": 0, "approved": 2}
    assert set(Observation.objects.values_list("status", flat=True)) == {ObservationStatus.APPROVED}
    again = observations_import(actor=None, plan=plan, raw=raw, filename="obs.csv", approve=True)
    assert again == {"created": 0, "updated": 0, "unchanged": 2, "approved": 0}


def test_a_wrong_header_is_refused(make_plan):
    with pytest.raises(ValidationError, match="表头应为 indicator,region,year,value,source,vintage"):
        observations_import(actor=None, plan=make_plan(), raw=_csv(header="指标,区划,年份,数值"), filename="o.csv")


# --------------------------------------------------------------------------------------------------- assessments


def test_an_assessment_stores_every_component_and_keeps_history(make_plan, observe):
    plan = make_plan()
    observe(plan, "a", 2022, 150)
    county = Region.objects.get(code="450223")
    first = assessment_run(actor=None, plan=plan, region=county, year=2022)
    result = first.results.get(indicator__code="a")
    g = D(2) ** (D(1) / 5) - 1
    expected = D(100) * (1 + g) ** 2
    assert result.actual == D(150)
    assert abs(result.expected - expected) < D("1e-6")
    assert abs(result.progress - (D(50) / (expected - 100))) < D("1e-12")
    assert result.status == Status.AHEAD and "快于预期" in result.explanation
    assert result.inputs["values"] == {"2022": "150.000000"} and result.inputs["source"] == "observation"
    assert first.results.get(indicator__code="b").status == Status.NO_DATA
    observe(plan, "a", 2022, 160, source="年鉴")
    second = assessment_run(actor=None, plan=plan, region=county, year=2022)
    assert list(Assessment.objects.filter(plan=plan, year=2022).values_list("pk", "current").order_by("pk")) == [
        (first.pk, False),
        (second.pk, True),
    ]
    assert IndicatorResult.objects.get(assessment=first, indicator__code="a").actual == D(150)
    assert IndicatorResult.objects.get(assessment=second, indicator__code="a").actual == D(160)


def test_assessment_years_and_regions_are_checked(make_plan):
    plan = make_plan()
    with pytest.raises(ValidationError, match="只能评估 2021—2025 年"):
        assessment_run(actor=None, plan=plan, region=plan.region, year=2020)
    with pytest.raises(ValidationError, match="不在规划所属的鹿寨县范围内"):
        assessment_run(actor=None, plan=plan, region=Region.objects.get(code="450222"), year=2021)


def test_the_json_has_the_fixed_keys_and_fractions(make_plan, observe):
    plan = make_plan(indicators=[indicator("a", baseline=D("29.9"), target=D(40), unit="亿元", precision=1)])
    observe(plan, "a", 2021, "31.2")
    data = assessment_data(assessment_run(actor=None, plan=plan, region=plan.region, year=2021))
    assert list(data) == ["plan", "region", "year", "indicators"]
    assert (data["plan"], data["region"], data["year"]) == ("test-14", "450223", 2021)
    row = data["indicators"][0]
    assert list(row) == [
        "code", "name", "unit", "kind", "direction", "attribute", "baseline", "target", "planned_growth",
        "increase_multiple", "actual", "completion", "expected", "progress", "status", "status_label",
        "actual_growth", "required_growth", "projection", "projected_completion", "international_ratio",
    ]  # fmt: skip
    assert row["baseline"] == 29.9 and row["target"] == 40 and row["actual"] == 31.2
    assert round(row["planned_growth"], 6) == round(float((D(40) / D("29.9")) ** (D(1) / 5) - 1), 6)
    assert round(row["increase_multiple"], 6) == round(10.1 / 29.9, 6)
    assert round(row["completion"], 6) == round(31.2 / 40, 6)
    assert round(row["required_growth"], 6) == round(float((D(40) / D("31.2")) ** (D(1) / 4) - 1), 6)


def test_the_command_line(make_plan, observe, tmp_path, capsys):
    plan = make_plan()
    observe(plan, "a", 2021, 130)
    call_command("plan", "assess", "test-14", "--year", "2021", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["indicators"][0]["status"] == Status.AHEAD
    call_command("plan", "assess", "test-14", "--year", "2021")
    table = capsys.readouterr().out
    assert "指标a" in table and "快于预期" in table and "130家" in table
    path = tmp_path / "p.yaml"
    call_command("plan", "export", "test-14", str(path))
    assert read_plan(path.read_bytes(), "p.yaml")["indicators"][0]["code"] == "a"
    obs = tmp_path / "o.csv"
    obs.write_bytes(_csv("a,450223,2022,140,统计公报,年报"))
    call_command("plan", "observe", "test-14", str(obs), "--approve")
    assert "审核通过 1 条" in capsys.readouterr().out
    with pytest.raises(CommandError, match="没有代码为“nope”的规划"):
        call_command("plan", "assess", "nope", "--year", "2021")
    with pytest.raises(CommandError, match="只能评估"):
        call_command("plan", "assess", "test-14", "--year", "2030")


def test_the_command_line_rolls_up_over_subordinate_regions(regions, observe, capsys):
    plan, _ = plan_import(actor=None, data=plan_data("liuzhou-x", region="450200"))
    observe(plan, "a", 2021, 120, region="450223")
    call_command("plan", "assess", "liuzhou-x", "--year", "2021", "--children", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    by_region = {item["region"]: item["indicators"][0] for item in data}
    # 柳江县 (450221) became 柳江区 in 2016, so it is not assessed for 2021.
    counties = set(
        Region.objects.filter(parent__code="450200").valid_on(date(2021, 12, 31)).values_list("code", flat=True)
    )
    assert "450221" not in counties
    assert set(by_region) == {"450200", *counties}
    assert by_region["450223"]["actual"] == 120 and by_region["450223"]["status"] == Status.AHEAD
    assert by_region["450222"]["status"] == Status.NO_DATA


# --------------------------------------------------------------------------------------------------- review findings


def test_a_value_too_large_to_store_does_not_stop_the_assessment(make_plan, observe):
    """A unit slip (300000 for 3) gives a projection beyond the columns: stored as None, kept in the inputs."""
    plan = make_plan(indicators=[indicator("a", baseline=D(3), target=D(10))])
    observe(plan, "a", 2021, 300000)
    result = assessment_run(actor=None, plan=plan, region=plan.region, year=2021).results.get()
    assert result.actual == D(300000) and result.projection is None
    assert D(result.inputs["overflow"]["projection"]) > D(10) ** 18


def test_a_cumulative_indicator_cannot_be_smaller_is_better(regions):
    text = ISSUE_YAML.replace("kind: level", "kind: cumulative").replace("direction: increase", "direction: decrease")
    with pytest.raises(PlanFileError) as info:
        read_plan(text.encode(), "plan.yaml")
    assert any("累计值指标只能是“越大越好”" in p for p in info.value.problems)


def test_an_import_cannot_rewrite_a_target_or_a_recorded_revision(regions):
    _import_yaml(ISSUE_YAML)
    with pytest.raises(ValidationError, match="目标值不能在文件中直接修改（原为 40，文件为 45）"):
        _import_yaml(ISSUE_YAML.replace("target: 40", "target: 45"))
    with pytest.raises(ValidationError, match="2023-06-30 的目标调整已记录，不能修改"):
        _import_yaml(ISSUE_YAML.replace("target: 42", "target: 43"))
    later = ISSUE_YAML.replace(
        "revisions: [{date: 2023-06-30, target: 42, document: 鹿政发〔2023〕X号}]",
        "revisions: [{date: 2023-06-30, target: 42, document: 鹿政发〔2023〕X号},"
        " {date: 2024-05-01, target: 44, document: 鹿政发〔2024〕Y号}]",
    )
    plan, counts = _import_yaml(later)
    assert counts["created"] == 1 and plan.indicators.get().target_for(2024) == D(44)


def test_observations_stay_inside_the_plan(make_plan):
    plan = make_plan()
    item = plan.indicators.get(code="a")
    with pytest.raises(ValidationError, match="不在规划所属的鹿寨县范围内"):
        observation_enter(actor=None, indicator=item, region=Region.objects.get(code="450222"), year=2021,
                          value=D(1), source="公报", vintage="年报")  # fmt: skip
    with pytest.raises(ValidationError, match="年份应为 2020—2025"):
        observation_enter(actor=None, indicator=item, region=plan.region, year=2030, value=D(1), source="公报",
                          vintage="年报")  # fmt: skip


def test_an_approver_skips_submission_only_for_their_own_draft(make_plan, make_user):
    from kechuang.accounts.choices import Role

    plan = make_plan()
    item = plan.indicators.get(code="a")
    staff, admin = make_user(Role.BUREAU_STAFF), make_user(Role.BUREAU_ADMIN, username="adm2")
    theirs, _ = observation_enter(actor=staff, indicator=item, region=plan.region, year=2021, value=D(110),
                                  source="公报", vintage="年报")  # fmt: skip
    with pytest.raises(ValidationError, match="当前为“草稿”"):
        observation_approve(actor=admin, observation=theirs)
    own, _ = observation_enter(actor=admin, indicator=item, region=plan.region, year=2022, value=D(120),
                               source="公报", vintage="年报")  # fmt: skip
    assert observation_approve(actor=admin, observation=own).status == ObservationStatus.APPROVED
    observation_submit(actor=staff, observation=theirs)
    assert observation_approve(actor=admin, observation=theirs).status == ObservationStatus.APPROVED
