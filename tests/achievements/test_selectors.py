"""Plan-monitoring selectors: dated counts at the year boundaries, region subtrees, placement, drill-down, sums."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.accounts.choices import Role
from kechuang.achievements import selectors
from kechuang.achievements.models import Achievement, Award, Conversion, TechContract

from .conftest import achievement_fields, award_fields, contract_fields


@pytest.fixture
def places(make_org, regions):
    return {
        "town": make_org(name="鹿寨甲科技有限公司", region="450223100"),
        "other_town": make_org(name="鹿寨乙材料有限公司", region="450223101"),
        "outside": make_org(name="柳城丙机械有限公司", region="450222"),
        "luzhai": regions["450223"],
        "liuzhou": regions["450200"],
        "zhongdu": regions["450223101"],
    }


def achievement_on(org, day: datetime.date, number: str) -> Achievement:
    return Achievement.objects.create(**achievement_fields(org, number, registration_date=day, evaluation_date=None))


def test_achievements_count_by_registration_date_inside_the_years(places):
    for number, day in (
        ("A1", datetime.date(2015, 12, 31)),
        ("A2", datetime.date(2016, 1, 1)),
        ("A3", datetime.date(2020, 12, 31)),
        ("A4", datetime.date(2021, 1, 1)),
    ):
        achievement_on(places["town"], day, f"2020450223{number}")
    achievement_on(places["outside"], datetime.date(2018, 5, 5), "2018450222A1")
    found = selectors.achievements_registered(region=places["luzhai"], start=2016, end=2020)
    assert sorted(found.values_list("number", flat=True)) == ["2020450223A2", "2020450223A3"]
    assert selectors.achievements_registered(region=places["liuzhou"], start=2016, end=2020).count() == 3
    assert selectors.achievements_registered(region=places["zhongdu"], start=2015, end=2021).count() == 0
    assert selectors.achievements_by_year(region=places["luzhai"], start=2015, end=2021) == {
        2015: 1,
        2016: 1,
        2020: 1,
        2021: 1,
    }


def test_conversions_count_where_they_are_implemented(places):
    luzhai_achievement = achievement_on(places["town"], datetime.date(2017, 3, 1), "2017450223A1")
    outside_achievement = achievement_on(places["outside"], datetime.date(2017, 3, 1), "2017450222A1")
    Conversion.objects.create(achievement=luzhai_achievement, year=2018, form="self")  # 鹿寨镇 (first unit)
    Conversion.objects.create(  # transferred out of the county: counted in 柳城县
        achievement=luzhai_achievement, year=2019, form="transfer", organisation=places["outside"]
    )
    Conversion.objects.create(  # transferred into the county: counted in 中渡镇
        achievement=outside_achievement, year=2020, form="transfer", organisation=places["other_town"],
        major=True, major_reason="年新增产值超过5000万元",
    )  # fmt: skip
    Conversion.objects.create(achievement=luzhai_achievement, year=2021, form="licensing")
    luzhai = selectors.conversions_in(region=places["luzhai"], start=2016, end=2020)
    assert sorted(luzhai.values_list("year", flat=True)) == [2018, 2020]
    assert selectors.conversions_in(region=places["luzhai"], start=2016, end=2020, major=True).count() == 1
    assert selectors.conversions_in(region=places["zhongdu"], start=2016, end=2020).get().year == 2020
    assert selectors.conversions_by_year(region=places["liuzhou"], start=2016, end=2021) == {
        2018: 1,
        2019: 1,
        2020: 1,
        2021: 1,
    }


def test_contract_turnover_by_registration_year_and_seller(places):
    for number, seller, day, amount, income in (
        ("1", "town", datetime.date(2019, 12, 31), "100000.00", "80000.00"),
        ("2", "town", datetime.date(2020, 1, 1), "250000.50", "250000.50"),
        ("3", "other_town", datetime.date(2020, 7, 1), "1000000.00", "600000.00"),
        ("4", "outside", datetime.date(2020, 7, 1), "999.00", "1.00"),
    ):
        TechContract.objects.create(
            **contract_fields(
                places[seller], f"2020450223000{number}", amount=Decimal(amount), technical_income=Decimal(income),
                signing_date=day - datetime.timedelta(days=3), registration_date=day,
            )
        )  # fmt: skip
    turnover = selectors.contract_turnover(region=places["luzhai"], start=2020, end=2020)
    assert turnover == selectors.Turnover(2, Decimal("1250000.50"), Decimal("850000.50"))
    by_year = selectors.contract_turnover_by_year(region=places["luzhai"], start=2016, end=2020)
    assert list(by_year) == [2019, 2020]
    assert by_year[2019].amount == Decimal("100000.00") and by_year[2020] == turnover
    empty = selectors.contract_turnover(region=places["zhongdu"], start=2016, end=2019)
    assert empty == selectors.Turnover(0, Decimal("0.00"), Decimal("0.00"))
    assert selectors.contracts_registered(region=places["liuzhou"], start=2020, end=2020).count() == 3


def test_awards_by_level(places):
    Award.objects.create(**award_fields(places["town"], "项目甲", year=2018))
    Award.objects.create(**award_fields(places["other_town"], "项目乙", year=2019, level="city", grade="second"))
    Award.objects.create(**award_fields(places["other_town"], "项目丙", year=2020, level="city", grade="third"))
    Award.objects.create(**award_fields(places["outside"], "项目丁", year=2020))
    assert selectors.awards_by_level(region=places["luzhai"], start=2016, end=2020) == {"city": 2, "region": 1}
    assert selectors.awards_in(region=places["luzhai"], start=2019, end=2019, level="city").get().project == "项目乙"


def test_a_user_reads_only_the_records_in_scope(places, make_user):
    achievement_on(places["town"], datetime.date(2018, 5, 5), "2018450223A1")
    achievement_on(places["outside"], datetime.date(2018, 5, 5), "2018450222A1")
    staff = make_user(Role.BUREAU_STAFF)
    assert selectors.achievements_registered(user=staff, start=2016, end=2020).count() == 1
    assert selectors.achievements_registered(start=2016, end=2020).count() == 2  # the system reads everything
    expert = make_user(Role.EXPERT)
    assert selectors.achievements_registered(user=expert, start=2016, end=2020).count() == 0


amounts = st.lists(
    st.tuples(
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2),
        st.integers(min_value=0, max_value=100),
        st.integers(min_value=2016, max_value=2020),
    ),
    min_size=0,
    max_size=8,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=amounts)
def test_turnover_sums_exactly_and_the_years_add_up(places, rows):
    TechContract.objects.all().delete()
    for i, (amount, percent, year) in enumerate(rows):
        income = (amount * percent / 100).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
        day = datetime.date(year, 6, 1)
        TechContract.objects.create(
            **contract_fields(places["town"], f"H{i:04d}", amount=amount, technical_income=income,
                              signing_date=day, registration_date=day)
        )  # fmt: skip
    total = selectors.contract_turnover(region=places["luzhai"], start=2016, end=2020)
    assert total.count == len(rows)
    assert total.amount == sum((a for a, _, _ in rows), Decimal("0.00"))
    assert total.technical_income <= total.amount
    by_year = selectors.contract_turnover_by_year(region=places["luzhai"], start=2016, end=2020).values()
    assert sum((t.amount for t in by_year), Decimal("0.00")) == total.amount
    assert sum(t.count for t in by_year) == total.count


def test_records_of_an_organisation_include_those_it_takes_part_in(world):
    partner_records = selectors.records_of(Achievement.objects.all(), world.p)
    assert list(partner_records) == [world.record("achievement", "b")]
    assert list(selectors.records_of(TechContract.objects.all(), world.p)) == [world.record("contract", "b")]
    assert list(selectors.records_of(Conversion.objects.all(), world.a)) == [world.record("conversion", "a")]
    assert list(selectors.records_of(Conversion.objects.all(), world.p)) == [world.record("conversion", "b")]
