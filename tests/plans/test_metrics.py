"""The metric catalogue: values from records made here (subtrees, year ends, approval, None against 0, drill-down,
data scope) and from the Luzhai demo, whose 2020 figures are the seed's 专栏1 actuals."""

import datetime
import itertools
import re
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from kechuang.accounts.choices import Role
from kechuang.accounts.models import User
from kechuang.achievements.models import Achievement, Conversion, TechContract
from kechuang.activities.models import PopularisationSpending
from kechuang.carriers.models import Carrier
from kechuang.core.validators import idcard_check_char, patent_check_char
from kechuang.ip.models import Patent
from kechuang.orgs.demo import load_demo
from kechuang.orgs.models import AnnualFigures, Certificate, Industry, Organisation
from kechuang.plans.metrics import METRICS, UnknownMetric, convert, metric_records, metric_values, populations
from kechuang.regions.models import Population, Region
from kechuang.talent.models import Person, Title
from tests.conftest import make_uscc

D = datetime.date
CURRENT = timezone.localdate().year
_serial = itertools.count(1)
COUNT_UNITS = {"家", "个", "项", "件", "人"}


# --- records made by hand, in a city of their own (测试市 459900: 甲县 with 甲镇, and 乙县) ------------------------


@pytest.fixture
def tree(db):
    province = Region.objects.get(code="450000")

    def region(code, name, level, parent, **fields):
        return Region.objects.create(code=code, name=name, level=level, parent=parent, **fields)

    city = region("459900", "测试市", "prefecture", province)
    county = region("459901", "甲县", "county", city)
    sibling = region("459902", "乙县", "county", city)
    township = region("459901100", "甲镇", "township", county)
    manufacturing = Industry.objects.get_or_create(code="C", defaults={"name": "制造业", "level": "section"})[0]
    parts = Industry.objects.get_or_create(
        code="36", defaults={"name": "汽车制造业", "level": "division", "section": manufacturing}
    )[0]
    services = Industry.objects.get_or_create(code="I", defaults={"name": "信息技术服务业", "level": "section"})[0]
    software = Industry.objects.get_or_create(
        code="65", defaults={"name": "软件和信息技术服务业", "level": "division", "section": services}
    )[0]
    return SimpleNamespace(
        city=city, county=county, sibling=sibling, township=township, industry=parts, software=software
    )


def org(region, name=None, **fields):
    serial = next(_serial)
    return Organisation.objects.create(
        name=name or f"测试企业{serial}", region=region, uscc=make_uscc("459901", 90_000 + serial), **fields
    )


def hte(organisation, issued, **fields):
    return Certificate.objects.create(
        organisation=organisation, kind="hte", number=f"GR{issued.year}45{next(_serial):06d}", year=issued.year,
        issue_date=issued, **fields,
    )  # fmt: skip


def figures(organisation, year, status="approved", **values):
    money = {k: Decimal(v) for k, v in values.items()}
    return AnnualFigures.objects.create(organisation=organisation, year=year, review_status=status, **money)


TYPE_DIGIT = {"invention": "1", "utility": "2", "design": "3", "pct_invention": "8"}


def patent(region, patent_type="invention", filed=None, granted=None, ended=None):
    filed = filed or D(2019, 3, 1)
    body = f"{filed.year}{TYPE_DIGIT[patent_type]}{next(_serial):07d}"
    return Patent.objects.create(
        number=body + patent_check_char(body), patent_type=patent_type, title="一种测试装置", application_date=filed,
        region=region, grant_date=granted, ended_on=ended,
    )  # fmt: skip


def person(organisation=None, region=None, titles=(), researcher=False):
    serial = next(_serial)
    first17 = f"450223198507{serial % 28 + 1:02d}{serial % 1000:03d}"
    someone = Person(name="测试人员", organisation=organisation, region=region, is_researcher=researcher)
    someone.set_id_number(first17 + idcard_check_char(first17))
    someone.save()
    for level, obtained in titles:
        Title.objects.create(person=someone, level=level, name=f"{level}职称", obtained=obtained)
    return someone


def carrier(host=None, region=None, kind="etrc", level="city", recognised=None, revoked=None):
    recognised = recognised or D(2018, 5, 1)
    return Carrier.objects.create(
        kind=kind, name=f"测试载体{next(_serial)}", level=level, host=host, region=region,
        recognised_date=recognised, revoked_date=revoked,
    )  # fmt: skip


def bureau_of(region):
    user = User(username=f"bureau-{next(_serial)}", role=Role.BUREAU_ADMIN, region=region)
    user.set_password("Kc-test-2026!")
    user.save()
    return user


def values(code, region, *years):
    return metric_values(code, region, list(years))


def test_a_township_counts_in_its_county_and_city_not_in_a_sibling(tree):
    patent(tree.township, filed=D(2020, 3, 1))
    patent(tree.sibling, "utility", filed=D(2020, 4, 1))
    assert values("patents.applications", tree.township, 2020) == {2020: 1}
    assert values("patents.applications", tree.county, 2020) == {2020: 1}
    assert values("patents.applications", tree.sibling, 2020) == {2020: 1}
    assert values("patents.applications", tree.city, 2020) == {2020: 2}
    assert values("patents.applications_invention", tree.city, 2020) == {2020: 1}
    assert values("patents.applications_utility", tree.county, 2020) == {2020: 0}


def test_a_flow_counts_in_the_calendar_year_of_its_date(tree):
    patent(tree.county, filed=D(2019, 12, 31), granted=D(2020, 12, 31))
    patent(tree.county, "design", filed=D(2020, 1, 1), granted=D(2021, 1, 1))
    patent(tree.county, "pct_invention", filed=D(2020, 6, 1))
    assert values("patents.applications", tree.county, 2019, 2020, 2021) == {2019: 1, 2020: 2, 2021: 0}
    assert values("patents.applications_invention", tree.county, 2019, 2020) == {2019: 1, 2020: 1}
    assert values("patents.grants", tree.county, 2020, 2021) == {2020: 1, 2021: 1}
    assert values("patents.grants_design", tree.county, 2020, 2021) == {2020: 0, 2021: 1}


def test_a_stock_is_the_state_on_31_december(tree):
    lapsing = org(tree.township)
    hte(lapsing, D(2017, 1, 1))  # valid to 2019-12-31
    hte(org(tree.county), D(2020, 12, 31))
    revoked = org(tree.county)
    hte(revoked, D(2019, 6, 1), revoked_date=D(2020, 12, 31))
    assert values("hte.count", tree.county, 2016, 2017, 2019, 2020, 2021) == {
        2016: 0, 2017: 1, 2019: 2, 2020: 1, 2021: 1,
    }  # fmt: skip
    carrier(region=tree.county, recognised=D(2020, 12, 31), revoked=D(2021, 1, 1))
    assert values("carriers.etrc", tree.county, 2019, 2020, 2021) == {2019: 0, 2020: 1, 2021: 0}
    patent(tree.county, filed=D(2016, 3, 1), granted=D(2018, 5, 1), ended=D(2021, 1, 1))
    assert values("patents.valid_inventions", tree.county, 2017, 2018, 2020, 2021) == {
        2017: 0, 2018: 1, 2020: 1, 2021: 0,
    }  # fmt: skip
    person(org(tree.county), titles=[("intermediate", D(2015, 7, 1)), ("senior", D(2020, 12, 31))])
    assert values("talent.senior", tree.county, 2019, 2020) == {2019: 0, 2020: 1}
    assert values("talent.intermediate", tree.county, 2019, 2020) == {2019: 1, 2020: 0}


def test_only_approved_figures_count_and_a_year_without_any_is_none(tree):
    approved, submitted, plain = org(tree.county), org(tree.county), org(tree.township)
    hte(approved, D(2019, 11, 1))
    hte(submitted, D(2019, 11, 1))
    figures(approved, 2020, total_income="100000000.00")
    figures(submitted, 2020, status="submitted", total_income="50000000.00")
    figures(plain, 2020, total_income="7000000.00")
    figures(plain, 2018, total_income="6000000.00")
    figures(approved, 2017, status="draft", total_income="9000000.00")
    assert values("hte.revenue", tree.county, 2017, 2018, 2020) == {
        2017: None, 2018: Decimal(0), 2020: Decimal("100000000.00"),
    }  # fmt: skip
    records = metric_records("hte.revenue", tree.county, 2020)
    assert list(records) == [approved.figures.get(year=2020)]


def test_output_share_and_rd_ratio_are_over_above_scale_industry(tree):
    hte_industrial = org(tree.county, above_scale=True, industry=tree.industry)
    plain_industrial = org(tree.township, above_scale=True, industry=tree.industry)
    small_hte = org(tree.county, industry=tree.industry)
    software_hte = org(tree.county, above_scale=True, industry=tree.software)
    for holder in (hte_industrial, small_hte, software_hte):
        hte(holder, D(2019, 11, 1))
    figures(hte_industrial, 2020, industrial_output="3000", sales_revenue="2500", rd_expense="100")
    figures(plain_industrial, 2020, industrial_output="7000", sales_revenue="7500", rd_expense="60")
    figures(small_hte, 2020, industrial_output="500", sales_revenue="400", rd_expense="50")
    figures(software_hte, 2020, sales_revenue="9000", rd_expense="900")
    figures(plain_industrial, 2019, status="submitted", industrial_output="6000")
    figures(software_hte, 2019, sales_revenue="8000")
    # 3000 of 3000 + 7000; 160 of 2500 + 7500; 2019: figures, but no above-scale industrial output approved
    assert values("hte.output_share", tree.city, 2019, 2020) == {2019: None, 2020: Decimal(30)}
    assert values("industry.rd_ratio", tree.city, 2020) == {2020: Decimal("1.6")}
    assert values("industry.above_scale_count", tree.city, 2019, 2020) == {2019: Decimal(0), 2020: Decimal(2)}
    assert values("industry.above_scale_output", tree.county, 2020) == {2020: Decimal(10000)}  # 甲镇 is in 甲县
    assert values("industry.above_scale_output", tree.sibling, 2020) == {2020: None}  # no figures at all
    assert list(metric_records("hte.output_share", tree.city, 2020)) == [hte_industrial.figures.get()]


def test_new_above_scale_high_tech_enterprises(tree):
    renewed = org(tree.county, above_scale=True)
    hte(renewed, D(2017, 12, 1))  # to 2020-11-30
    hte(renewed, D(2020, 11, 20))
    returning = org(tree.county, above_scale=True)
    hte(returning, D(2016, 12, 7))  # to 2019-12-06: not held at the end of 2019
    hte(returning, D(2020, 12, 1))
    hte(org(tree.county), D(2020, 12, 1))  # not above scale
    assert values("hte.new_above_scale", tree.county, 2016, 2017, 2019, 2020) == {
        2016: 1, 2017: 1, 2019: 0, 2020: 1,
    }  # fmt: skip
    assert list(metric_records("hte.new_above_scale", tree.county, 2020)) == [returning]


def test_tech_smes_are_the_registrations_of_the_year(tree):
    for year, revoked in ((2019, None), (2020, None), (2020, D(2020, 6, 1)), (2020, D(2021, 3, 1))):
        Certificate.objects.create(
            organisation=org(tree.township), kind="tsme", number=f"{year}459901{next(_serial):06d}", year=year,
            revoked_date=revoked,
        )  # fmt: skip
    assert values("tsme.count", tree.city, 2019, 2020, 2021) == {2019: 1, 2020: 2, 2021: 0}


def test_achievements_conversions_and_contracts(tree):
    home, away = org(tree.township), org(tree.sibling)
    first = Achievement.objects.create(
        number="2020459901A001", title="成果一", organisation=home, registration_date=D(2020, 12, 31), discipline="x"
    )
    Achievement.objects.create(
        number="2021459901A001", title="成果二", organisation=home, registration_date=D(2021, 1, 1), discipline="x"
    )
    # placed by the implementing unit, else by the achievement's first unit
    Conversion.objects.create(achievement=first, year=2020, form="self", major=True, major_reason="重大")
    Conversion.objects.create(achievement=first, year=2020, form="licensing", organisation=away)
    Conversion.objects.create(subject="ZL2019", year=2019, form="transfer", organisation=home)
    for amount, day in (("1000000.00", D(2020, 3, 1)), ("250000.50", D(2020, 12, 31)), ("9", D(2021, 1, 1))):
        TechContract.objects.create(
            number=f"2020459901{next(_serial):06d}", name="合同", kind="development", seller=home,
            buyer_name="某公司", amount=Decimal(amount), technical_income=Decimal(amount) / 2,
            signing_date=day, registration_date=day,
        )  # fmt: skip
    assert values("achievements.registered", tree.county, 2020, 2021) == {2020: 1, 2021: 1}
    assert values("achievements.conversions", tree.county, 2019, 2020) == {2019: 1, 2020: 1}
    assert values("achievements.conversions", tree.city, 2020) == {2020: 2}
    assert values("achievements.major_conversions", tree.county, 2020) == {2020: 1}
    assert values("contracts.count", tree.county, 2020) == {2020: 2}
    assert values("contracts.turnover", tree.county, 2019, 2020) == {
        2019: Decimal(0), 2020: Decimal("1250000.50"),
    }  # fmt: skip
    assert values("contracts.technical_income", tree.county, 2020) == {2020: Decimal("625000.25")}


def test_carriers_by_type_platforms_and_region_level_zones(tree):
    host = org(tree.township)
    carrier(host=host, kind="incubator")
    carrier(host=host, kind="maker_space")
    carrier(region=tree.county, kind="park")
    carrier(region=tree.county, kind="hitech_zone", level="city")
    carrier(region=tree.sibling, kind="hitech_zone", level="region")
    assert values("carriers.platforms", tree.county, 2020) == {2020: 2}
    assert values("carriers.hitech_zone", tree.city, 2020) == {2020: 2}
    assert values("carriers.regional_hitech_parks", tree.city, 2017, 2020) == {2017: 0, 2020: 1}
    assert values("carriers.regional_hitech_parks", tree.county, 2020) == {2020: 0}


def test_researchers_are_the_current_roster(tree):
    person(org(tree.county), researcher=True)
    person(region=tree.township, researcher=True)
    person(region=tree.sibling, researcher=True)
    person(region=tree.county)
    assert values("talent.researchers", tree.county, 2016, 2020) == {2016: 2, 2020: 2}


def test_population_of_a_region_without_a_row_is_the_sum_of_its_children(tree):
    Region.objects.create(code="459903", name="丙县", level="county", parent=tree.city, valid_to=D(2019, 1, 1))
    for region, year, resident in ((tree.county, 2018, 90_000), (tree.county, 2020, 100_000),
                                   (tree.sibling, 2018, 40_000), (tree.sibling, 2020, 50_000),
                                   (tree.county, 2021, 99_000)):  # fmt: skip
        Population.objects.create(region=region, year=year, resident=resident)
    # 2018: 丙县 still exists and has no row; 2021: 乙县 has none
    assert populations(tree.city, [2018, 2020, 2021]) == {2018: None, 2020: 150_000, 2021: None}
    assert populations(tree.county, [2020]) == {2020: 100_000}
    assert populations(tree.township, [2020]) == {2020: None}
    for granted in (D(2019, 1, 1), D(2019, 2, 1), D(2020, 2, 1)):
        patent(tree.township, filed=D(2017, 1, 1), granted=granted)
    assert values("patents.inventions_per_10k", tree.county, 2019, 2020) == {2019: None, 2020: Decimal("0.3")}
    assert values("patents.inventions_per_10k", tree.city, 2020) == {2020: Decimal("0.2")}
    assert values("patents.inventions_per_10k", tree.township, 2020) == {2020: None}
    assert metric_records("patents.inventions_per_10k", tree.city, 2020).count() == 3


def test_popularisation_spending_per_resident(tree):
    Population.objects.create(region=tree.county, year=2020, resident=100_000)
    Population.objects.create(region=tree.county, year=2019, resident=100_000)
    PopularisationSpending.objects.create(region=tree.county, year=2020, amount=Decimal("300000.00"))
    PopularisationSpending.objects.create(region=tree.township, year=2020, amount=Decimal("30000.00"))
    PopularisationSpending.objects.create(region=tree.township, year=2018, amount=Decimal("0.00"))
    assert values("activities.popularisation_spending", tree.county, 2018, 2019, 2020) == {
        2018: Decimal(0), 2019: None, 2020: Decimal("330000.00"),
    }  # fmt: skip
    # 2019 has a population but no spending recorded: no data, not zero
    assert values("activities.popularisation_per_resident", tree.county, 2019, 2020) == {
        2019: None,
        2020: Decimal("3.3"),
    }
    assert values("activities.popularisation_per_resident", tree.sibling, 2020) == {2020: None}


def test_a_year_not_yet_begun_has_no_value_and_no_records(tree):
    person(region=tree.county, researcher=True)
    assert values("talent.researchers", tree.county, CURRENT, CURRENT + 1) == {CURRENT: 1, CURRENT + 1: None}
    assert values("patents.applications", tree.county, CURRENT + 1) == {CURRENT + 1: None}
    assert not metric_records("talent.researchers", tree.county, CURRENT + 1).exists()
    assert values("hte.count", tree.county) == {}


def _mixed_records(tree):
    """One or two records behind nearly every metric, in 甲县 (甲镇) and 乙县, for 2020."""
    for region in (tree.township, tree.sibling):
        firm = org(region, above_scale=True, industry=tree.industry)
        hte(firm, D(2020, 11, 1))
        figures(firm, 2020, total_income="5000000.00", industrial_output="4000000.00", sales_revenue="4500000.00",
                rd_expense="90000.00")  # fmt: skip
        Certificate.objects.create(organisation=firm, kind="tsme", number=f"2020{next(_serial):010d}", year=2020)
        patent(region, filed=D(2020, 2, 1), granted=D(2020, 10, 1))
        patent(region, "utility", filed=D(2020, 2, 1), granted=D(2020, 9, 1))
        achievement = Achievement.objects.create(
            number=f"2020A{next(_serial):05d}", title="成果", organisation=firm, registration_date=D(2020, 5, 1),
            discipline="x",
        )  # fmt: skip
        Conversion.objects.create(achievement=achievement, year=2020, form="self", major=True, major_reason="重大")
        TechContract.objects.create(
            number=f"2020C{next(_serial):05d}", name="合同", kind="service", seller=firm, buyer_name="某公司",
            amount=Decimal("80000.00"), technical_income=Decimal("60000.00"), signing_date=D(2020, 4, 1),
            registration_date=D(2020, 4, 2),
        )  # fmt: skip
        person(firm, titles=[("senior", D(2012, 1, 1))], researcher=True)
        person(region=region, titles=[("intermediate", D(2012, 1, 1))])
        for kind in ("etrc", "incubator", "hitech_zone"):
            carrier(host=firm, kind=kind, level="region")
        Population.objects.create(region=region, year=2020, resident=20_000)
        PopularisationSpending.objects.create(region=region, year=2020, amount=Decimal("40000.00"))


SUMMED = {
    "hte.revenue": "total_income",
    "industry.above_scale_output": "industrial_output",
    "contracts.turnover": "amount",
    "contracts.technical_income": "technical_income",
    "activities.popularisation_spending": "amount",
}


def test_the_records_behind_a_value_add_up_to_it(tree):
    _mixed_records(tree)
    for code, metric in METRICS.items():
        value = values(code, tree.county, 2020)[2020]
        records = metric_records(code, tree.county, 2020)
        assert records.model._meta.label_lower == metric.model, code
        if metric.unit in COUNT_UNITS:
            assert records.count() == value, code
        elif code in SUMMED:
            assert records.aggregate(s=Sum(SUMMED[code]))["s"] == value, code
        else:
            assert value is not None and records.exists(), code


def test_drill_down_goes_through_the_users_data_scope(tree):
    _mixed_records(tree)
    outsider, insider, city = bureau_of(tree.sibling), bureau_of(tree.county), bureau_of(tree.city)
    for code in ("hte.count", "hte.revenue", "patents.grants", "achievements.conversions", "talent.senior",
                 "carriers.etrc", "activities.popularisation_spending", "patents.inventions_per_10k"):  # fmt: skip
        everything = metric_records(code, tree.county, 2020)
        assert everything.count() >= 1, code
        assert not metric_records(code, tree.county, 2020, user=outsider).exists(), code
        assert set(metric_records(code, tree.county, 2020, user=insider)) == set(everything), code
        assert set(metric_records(code, tree.county, 2020, user=city)) == set(everything), code


def test_every_metric_takes_a_few_queries_for_all_years(tree, django_assert_max_num_queries):
    _mixed_records(tree)
    for code in METRICS:
        with django_assert_max_num_queries(3, info=code):
            metric_values(code, tree.city, list(range(2011, 2026)))


def test_an_unknown_code_is_refused_in_chinese(tree):
    for call in (lambda: metric_values("hte.nothing", tree.county, [2020]),
                 lambda: metric_records("hte.nothing", tree.county, 2020)):  # fmt: skip
        with pytest.raises(UnknownMetric) as caught:
            call()
        assert isinstance(caught.value, KeyError) and isinstance(caught.value, ValueError)
        assert str(caught.value) == "指标目录中没有代码为“hte.nothing”的指标"


# --- the catalogue's shape -------------------------------------------------------------------------------------


def test_every_metric_is_declared_completely():
    assert len(METRICS) >= 40
    for code, metric in METRICS.items():
        assert metric.code == code and re.fullmatch(r"[a-z]+\.[a-z0-9_]+", code), code
        assert metric.nature in ("stock", "flow", "ratio"), code
        assert convert(Decimal(1), metric.unit, metric.unit) == 1, code
        assert re.search(r"[\u4e00-\u9fff]", str(metric.name)) and re.search(
            r"[\u4e00-\u9fff]", str(metric.description)
        )
        assert apps.get_model(metric.model), code
        assert (metric.nature == "ratio") == (metric.unit in ("%", "元/人", "件/万人")), code
    names = [str(m.name) for m in METRICS.values()]
    assert len(set(names)) == len(names)
    assert str(METRICS["patents.grants_utility"].name) == "实用新型专利授权量"


# --- units -------------------------------------------------------------------------------------------------------


def test_money_scales_exactly_and_counts_are_interchangeable():
    assert convert(Decimal("2990000000.00"), "元", "亿元") == Decimal("29.9")
    assert convert(Decimal("167372900.00"), "元", "万元") == Decimal("16737.29")
    assert convert(Decimal("29.9"), "亿元/年", "万元") == Decimal(299000)
    assert convert(Decimal(25), "家", "个") == 25
    assert convert(Decimal("2.24"), "件/万人", "件") == Decimal("2.24")
    assert convert(Decimal("33"), "元/人", "元") == 33
    assert convert(Decimal("18.45"), "%", "%") == Decimal("18.45")
    assert convert(None, "元", "亿元") is None


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("%", "元"),
        ("元", "%"),
        ("元", "家"),
        ("元", "元/人"),
        ("件", "件/万人"),
        ("元/人", "万元"),
        ("吨", "吨"),
        ("亿", "元"),
    ],
)
def test_units_that_do_not_convert_are_refused_in_chinese(source, target):
    with pytest.raises(ValueError, match=f"不能把单位“{re.escape(source)}”换算为“{re.escape(target)}”"):
        convert(Decimal(1), source, target)
    with pytest.raises(ValueError):
        convert(None, source, target)


MONEY_UNITS = st.sampled_from(["元", "万元", "亿元"])


@given(
    st.decimals(min_value=-(10**15), max_value=10**15, places=2, allow_nan=False, allow_infinity=False),
    MONEY_UNITS,
    MONEY_UNITS,
)
def test_money_round_trips_are_exact(value, first, second):
    there = convert(value, first, second)
    assert convert(there, second, first) == value
    assert convert(convert(there, second, "元"), "元", first) == value
    factor = {"元": 1, "万元": 10**4, "亿元": 10**8}
    assert there * factor[second] == value * factor[first]


# --- the Luzhai demo: 鹿寨县 in 2020 against the seed (专栏1 "2020年实现情况", ch.1 §1, 专栏2) -----------------------


@pytest.fixture(scope="module")
def luzhai(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield Region.objects.get(code="450223")
        transaction.set_rollback(True)


SEED_2020 = [
    ("hte.count", 25),
    ("hte.revenue", Decimal("2990000000.00")),  # 29.9 亿元
    ("hte.new_above_scale", 3),  # 专栏2 2020: 新增规模以上高新技术企业 3
    ("industry.above_scale_count", 101),
    ("industry.above_scale_output", Decimal("19511000000.00")),  # 195.11 亿元
    ("carriers.etrc", 4),
    ("carriers.etc", 5),
    ("carriers.key_lab", 1),
    ("carriers.incubator", 4),
    ("carriers.maker_space", 7),
    ("carriers.platforms", 21),
    ("carriers.regional_hitech_parks", 0),
    ("talent.senior", 536),
    ("talent.intermediate", 1879),
    ("talent.researchers", 5000),  # 专栏2 2020: 科研人员总数 5000
]
ROUNDED_2020 = [
    ("hte.output_share", "18.45"),
    ("industry.rd_ratio", "1.80"),  # 专栏1 row 2: 1.8%
    ("patents.inventions_per_10k", "2.24"),
    ("activities.popularisation_per_resident", "33.00"),
]
SUMS_2016_2020 = [
    ("patents.applications", 1830),
    ("patents.grants", 578),
    ("patents.grants_invention", 101),
    ("patents.grants_utility", 341),
    ("patents.grants_design", 136),
    ("achievements.registered", 42),
    ("achievements.conversions", 29),
    ("achievements.major_conversions", 7),
    ("contracts.turnover", Decimal("167372900.00")),  # 16737.29 万元
    ("tsme.count", 24),
]


demo_db = pytest.mark.django_db


@demo_db
@pytest.mark.parametrize(("code", "seed"), SEED_2020)
def test_demo_2020_values_are_the_seeds(luzhai, code, seed):
    assert values(code, luzhai, 2020) == {2020: seed}


@demo_db
@pytest.mark.parametrize(("code", "seed"), ROUNDED_2020)
def test_demo_2020_ratios_round_to_the_seeds(luzhai, code, seed):
    value = values(code, luzhai, 2020)[2020]
    assert value.quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal(seed)


@demo_db
@pytest.mark.parametrize(("code", "seed"), SUMS_2016_2020)
def test_demo_flows_of_2016_to_2020_add_up_to_the_seeds(luzhai, code, seed):
    assert sum(values(code, luzhai, *range(2016, 2021)).values()) == seed


@demo_db
def test_demo_seed_amounts_in_the_plans_units(luzhai):
    assert convert(values("hte.revenue", luzhai, 2020)[2020], "元", "亿元") == Decimal("29.9")
    contracts = sum(values("contracts.turnover", luzhai, *range(2016, 2021)).values())
    assert convert(contracts, "元", "万元") == Decimal("16737.29")
    assert values("hte.count", luzhai, 2015) == {2015: 3}  # 专栏1: "十二五"期末 3 家


@demo_db
def test_demo_county_is_inside_its_city_and_figures_have_gaps(luzhai):
    liuzhou = Region.objects.get(code="450200")
    # six applications of 2016–2020 have their first patentee in 柳城县
    assert sum(values("patents.applications", liuzhou, *range(2016, 2021)).values()) == 1830 + 6
    # the demo's counties other than 鹿寨县 have no population, so 柳州市 has none either
    assert values("patents.inventions_per_10k", liuzhou, 2020) == {2020: None}
    # the demo holds approved figures for 2019–2020 only
    assert values("hte.revenue", luzhai, 2018, 2019)[2018] is None
