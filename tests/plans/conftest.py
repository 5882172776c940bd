"""Plans built in tests: manual indicators only unless a test asks for metrics, so values are exactly what the test
enters."""

from decimal import Decimal

import pytest

from kechuang.plans.services import observation_approve, observation_enter, plan_import


def indicator(code: str, **fields) -> dict:
    """An indicator as ``planfile.read_plan`` returns it (every key present)."""
    item = {
        "code": code,
        "group": "专栏2",
        "name": f"指标{code}",
        "unit": "家",
        "precision": 0,
        "growth_precision": 2,
        "kind": "level",
        "direction": "increase",
        "attribute": "expected",
        "baseline": Decimal(100),
        "target": Decimal(200),
        "show_cagr": True,
        "annual_targets": {},
        "metric": "",
        "definition": "",
        "source": "",
        "department": "",
        "frequency": "",
        "revisions": [],
    }
    return {**item, **fields}


def plan_data(code: str = "test-14", indicators: list[dict] | None = None, **fields) -> dict:
    return {
        "code": code,
        "name": "测试规划",
        "region": "450223",
        "baseline_year": 2020,
        "target_year": 2025,
        "thresholds": {},
        "indicators": indicators or [indicator("a"), indicator("b", kind="share", unit="%", precision=2)],
        **fields,
    }


@pytest.fixture
def make_plan(regions):
    def make(**kwargs):
        plan, _counts = plan_import(actor=None, data=plan_data(**kwargs))
        return plan

    return make


@pytest.fixture
def observe(regions):
    """Enter and approve a value as the system."""
    from kechuang.regions.models import Region

    def enter(plan, code: str, year: int, value, region: str = "450223", source: str = "统计公报"):
        item = plan.indicators.get(code=code)
        observation, _ = observation_enter(
            actor=None,
            indicator=item,
            region=Region.objects.get(code=region),
            year=year,
            value=Decimal(str(value)),
            source=source,
            vintage="年报",
        )
        return observation_approve(actor=None, observation=observation)

    return enter
