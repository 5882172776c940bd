"""A small plan of manual indicators, assessed for 鹿寨县 in 2023, covering every status the report prints.

The plan runs 2020 → 2025 (N = 5); the assessment year 2023 is t − B = 3 years in. Each indicator's expected
figures are worked out by hand in EXPECTED from its inputs (plan-monitoring.md), not taken from the engine.
"""

from decimal import Decimal

import pytest

from kechuang.plans.services import assessment_run, observations_import, plan_import

PLAN_CODE = "test-14"
PLAN_NAME = '鹿寨县"十四五"科技示范规划'
YEAR = 2023


def indicator(code, group, name, unit, kind, baseline, target, **extra):
    """An indicator as planfile.read_plan returns it: every key present, manual (metric "")."""
    return {
        "code": code,
        "group": group,
        "name": name,
        "unit": unit,
        "precision": extra.pop("precision", 2),
        "growth_precision": extra.pop("growth_precision", 2),
        "kind": kind,
        "direction": extra.pop("direction", "increase"),
        "attribute": extra.pop("attribute", "expected"),
        "baseline": None if baseline is None else Decimal(baseline),
        "target": Decimal(target),
        "show_cagr": extra.pop("show_cagr", True),
        "annual_targets": {},
        "metric": "",
        "definition": "",
        "source": "",
        "department": extra.pop("department", ""),
        "frequency": "年度",
        "revisions": extra.pop("revisions", []),
    }


INDICATORS = [
    indicator("revenue", "专栏2", "高新技术企业营业收入", "亿元", "level", "100", "200", precision=1,
              growth_precision=1, department="县科工贸局"),
    indicator("share_ok", "专栏2", "规上高新技术企业总产值占工业总产值的比重", "%", "share", "10", "20"),
    indicator("lag", "专栏2", "高级职称专业技术人员", "个", "level", "50", "100", precision=0,
              department="县人力资源和社会保障局"),
    indicator("lag2", "专栏2", "研发经费投入强度", "%", "share", "0", "10", precision=1, department="县统计局"),
    indicator("cum", "专栏2", "申请专利（5年合计）", "项", "cumulative", "1830", "2730", precision=0),
    indicator("done", "专栏2", "自治区级工程技术研究中心", "家", "level", "3", "5", precision=0, attribute="binding"),
    indicator("new_hte", "专栏2", "新增规模以上高新技术企业", "家", "cumulative", "3", "3", precision=0,
              show_cagr=False),
    indicator("intensity", "专栏3", "单位工业增加值能耗", "吨标准煤/万元", "level", "1.00", "0.80",
              direction="decrease", attribute="binding", department="县发展和改革局"),
    indicator("nodata", "专栏3", "技术合同成交额", "亿元", "level", "5", "8", precision=1, department="县科工贸局"),
]  # fmt: skip

OBSERVATIONS = """indicator,region,year,value,source,vintage
revenue,450223,2023,180,统计公报,年报
share_ok,450223,2023,16.2,统计公报,年报
lag,450223,2023,60,人才库,年报
lag2,450223,2023,4.5,统计公报,年报
cum,450223,2021,500,专利登记,年报
cum,450223,2022,520,专利登记,年报
cum,450223,2023,560,专利登记,年报
done,450223,2023,6,认定文件,年报
new_hte,450223,2021,1,认定名单,年报
new_hte,450223,2022,0,认定名单,年报
new_hte,450223,2023,1,认定名单,年报
intensity,450223,2023,0.97,统计公报,年报
"""

# Each row as the report prints it: 指标, 单位, 基期值, 目标值, 年均增长, 实际值, 完成率, 序时进度, 状态, 指标属性.
# 年均增长 (Tg/Bv)^(1/5) − 1; 完成率 A/Tg (decrease: (Bv − A)/(Bv − Tg)); 序时进度 level Bv·(1+g)^3, share
# Bv + (Tg − Bv)·3/5, cumulative Tg·S(3)/S(5); P as plan-monitoring.md.
EXPECTED = {
    # g = 2^0.2 − 1 = 14.87 %; E = 100·2^0.6 = 151.57; P = 80 / 51.57 = 1.55 → 快于预期
    "revenue": ["高新技术企业营业收入", "亿元", "100.0", "200.0", "14.9%", "180.0", "90.00%", "151.6", "快于预期",
                "预期性"],
    # E = 10 + 10·3/5 = 16; P = 6.2 / 6 = 1.03 → 符合预期
    "share_ok": ["规上高新技术企业总产值占工业总产值的比重", "%", "10.00", "20.00", "14.87%", "16.20", "81.00%",
                 "16.00", "符合预期", "预期性"],
    # E = 50·2^0.6 = 75.79; P = 10 / 25.79 = 0.39 → 严重滞后; still required (100/60)^(1/2) − 1 = 29.10 %
    "lag": ["高级职称专业技术人员", "个", "50", "100", "14.87%", "60", "60.00%", "76", "严重滞后", "预期性"],
    # Bv = 0: no growth rate; E = 6; P = 4.5 / 6 = 0.75 → 滞后; still required (10 − 4.5)/2 = 2.75 → 2.8 % a year
    "lag2": ["研发经费投入强度", "%", "0.0", "10.0", "—", "4.5", "45.00%", "6.0", "滞后", "预期性"],
    # g = (2730/1830)^0.2 − 1 = 8.33 %; C = 1580; E = 2730·S(3)/S(5) = 1505.64; P = 1.05 → 符合预期
    "cum": ["申请专利（5年合计）", "项", "1830", "2730", "8.33%", "1580", "57.88%", "1506", "符合预期", "预期性"],
    # 6 ≥ 5 before 2025 → 提前完成; g = (5/3)^0.2 − 1 = 10.76 %; E = 3·(5/3)^0.6 = 4.08
    "done": ["自治区级工程技术研究中心", "家", "3", "5", "10.76%", "6", "120.00%", "4", "提前完成", "约束性"],
    # show_cagr false → "—"; C = 2; E = 3·3/5 = 1.8; P = 1.11 → 快于预期
    "new_hte": ["新增规模以上高新技术企业", "家", "3", "3", "—", "2", "66.67%", "2", "快于预期", "预期性"],
    # decrease: g = 0.8^0.2 − 1 = −4.36 %; completion (1 − 0.97)/0.2 = 15 %; E = 0.8^0.6 = 0.8747;
    # P = −0.03 / −0.1253 = 0.24 → 严重滞后
    "intensity": ["单位工业增加值能耗", "吨标准煤/万元", "1.00", "0.80", "-4.36%", "0.97", "15.00%", "0.87", "严重滞后",
                  "约束性"],
    # no approved value → 无法评估; E = 5·1.6^0.6 = 6.6
    "nodata": ["技术合同成交额", "亿元", "5.0", "8.0", "9.86%", "—", "—", "6.6", "无法评估", "预期性"],
}  # fmt: skip
STATUS_COUNTS = {"提前完成": 1, "快于预期": 2, "符合预期": 2, "滞后": 1, "严重滞后": 2, "无法评估": 1}
LAGGING = {"lag": "增长 29.10%", "lag2": "增加 2.8", "intensity": "下降 9.18%"}  # what each still requires per year
GROUPS = {"专栏2": ["revenue", "share_ok", "lag", "lag2", "cum", "done", "new_hte"], "专栏3": ["intensity", "nodata"]}


def plan_data(**changes) -> dict:
    data = {
        "code": PLAN_CODE,
        "name": PLAN_NAME,
        "region": "450223",
        "baseline_year": 2020,
        "target_year": 2025,
        "thresholds": {},
        "indicators": INDICATORS,
    }
    return data | changes


@pytest.fixture
def plan(regions):
    created, _counts = plan_import(actor=None, data=plan_data())
    observations_import(actor=None, plan=created, raw=OBSERVATIONS.encode(), filename="obs.csv", approve=True)
    return created


@pytest.fixture
def assessment(plan, regions):
    return assessment_run(actor=None, plan=plan, region=regions["450223"], year=YEAR)
