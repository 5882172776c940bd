"""The Luzhai plans of the demo against the seed: 专栏1's completion rates computed by the engine from the demo
records (luzhai-13 assessed for 2020), 专栏2's growth rates and 图3's multiples from the stored plan."""

from decimal import Decimal

import pytest
from django.db import transaction

from kechuang.orgs.demo import load_demo
from kechuang.plans.choices import Status
from kechuang.plans.explain import percent
from kechuang.plans.method import display, increase_multiple, planned_growth
from kechuang.plans.models import Assessment, Plan
from kechuang.plans.selectors import indicator_values
from tests.plans.test_method import SEED_GROWTH, SEED_MULTIPLES

pytestmark = pytest.mark.django_db  # so the test database is set up for the module's demo

# 专栏1 as printed: (row name, 13th-plan target, 2020 actual). The completion rate is actual ÷ target.
COLUMN_1 = [
    ("研究与试验发展经费投入强度", "2.0", "1.8"),
    ("规模以上工业企业研发经费支出与主营业务收入之比", "1.8", "1.8"),
    ("县本级科技支出占县本级财政一般预算支出的比例", "1.0", "0.91"),
    ("高新技术产业产值与鹿寨县规模以上工业总产值之比", "10.0", "18.45"),
    ("高新技术企业", "21", "25"),
    ("高新技术企业营业收入", "15", "29.9"),
    ("工程技术研究中心", "5", "4"),
    ("科技孵化器", "3", "4"),
    ("众创空间", "7", "7"),
    ("各类创新平台", "16", "21"),
    ("自治区级高新技术产业园区", "1", "0"),
    ("五年累计科技成果转化", "20", "29"),
    ("科技成果技术合同成交金额", "200", "16737.29"),
    ("每万人口发明专利拥有量", "2.4", "2.24"),
    ("五年累计申请专利", "1235", "1830"),
    ("授权专利", "100", "578"),
    ("高级职称专业技术人员", "340", "536"),
    ("中级职称专业技术人员", "2580", "1879"),
    ("年人均科普经费", "1.2", "33"),
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def luzhai13(demo, django_db_blocker):
    with django_db_blocker.unblock():
        run = Assessment.objects.get(plan__code="luzhai-13", year=2020, current=True)
        yield {r.indicator.name: r for r in run.results.select_related("indicator")}


def test_column_1_has_every_row_of_the_seed(luzhai13):
    assert list(luzhai13) == [name for name, _, _ in COLUMN_1]


def test_every_completion_rate_of_column_1(luzhai13):
    for name, target, actual in COLUMN_1:
        result = luzhai13[name]
        assert result.target == Decimal(target), name
        assert result.actual == Decimal(actual), name  # from the demo records, or the approved statistics
        seed_rate = Decimal(actual) / Decimal(target)
        assert percent(result.completion) == percent(seed_rate), name
        expected = Status.ACHIEVED if Decimal(actual) >= Decimal(target) else Status.MISSED
        assert result.status == expected, name


def test_the_printed_examples_of_figure_1_and_2(luzhai13):
    assert percent(luzhai13["高新技术企业"].completion) == "119.05%"
    assert percent(luzhai13["工程技术研究中心"].completion) == "80.00%"
    assert percent(luzhai13["自治区级高新技术产业园区"].completion) == "0.00%"


def test_registry_rows_come_from_the_records(luzhai13):
    """Only the two statistics no registry holds are entered; every other 2020 actual is computed."""
    manual = {name for name, r in luzhai13.items() if r.inputs["source"] == "observation"}
    assert manual == {"研究与试验发展经费投入强度", "县本级科技支出占县本级财政一般预算支出的比例"}


def test_column_2_growth_rates_and_figure_3_from_the_stored_plan(demo, django_db_blocker):
    with django_db_blocker.unblock():
        plan = Plan.objects.get(code="luzhai-14")
        indicators = list(plan.indicators.all())
    years = plan.target_year - plan.baseline_year
    growth = {
        i.name: display(planned_growth(i.baseline, i.target, years), i.growth_precision, percent=True)
        if i.show_cagr
        else "—"
        for i in indicators
    }
    assert growth == SEED_GROWTH
    assert {i.name: display(increase_multiple(i.baseline, i.target), 2) for i in indicators} == SEED_MULTIPLES


def test_column_2_baselines_agree_with_the_demo_records(demo, django_db_blocker):
    """The 2020 column of 专栏2 is what the registries give for 2020 (yearly values summed for the five-year rows)."""
    with django_db_blocker.unblock():
        plan = Plan.objects.get(code="luzhai-14")
        checked = {}
        for item in plan.indicators.exclude(metric="").exclude(code="new_above_scale_hte"):
            years = list(range(2016, 2021)) if item.kind == "cumulative" else [2020]
            values = indicator_values(item, plan.region, years).values
            checked[item.code] = sum(values.values()) == item.baseline
    assert checked and all(checked.values()), checked
