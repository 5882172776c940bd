"""The row rules of yearly figures, checked column by column (``AnnualFigures.column_errors``): a table gives each row
the reasons that row gives alone, and the reasons follow the rules as the policy states them."""

import datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.orgs.models import AnnualFigures

TODAY = datetime.date(2026, 11, 28)
MONEY = st.one_of(st.none(), st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False))
STAFF = st.one_of(st.none(), st.integers(min_value=0, max_value=500))
YEARS = st.one_of(st.none(), st.integers(min_value=2015, max_value=2030))
ROW = st.fixed_dictionaries(
    {
        "year": YEARS,
        "staff_total": STAFF,
        "st_staff": STAFF,
        **{name: MONEY for name in AnnualFigures.MONEY_FIELDS},
    }
)


def expected_fields(row: dict) -> set[str]:
    """The fields a row is refused on, read off the rules directly: money below zero (net assets may be), a part
    above its whole, a year after this one."""
    fields = {
        name for name in AnnualFigures.MONEY_FIELDS if name != "net_assets" and row[name] is not None and row[name] < 0
    }
    for part, whole in (("st_staff", "staff_total"), ("rd_domestic", "rd_expense"), ("hitech_revenue", "total_income")):
        if row[part] is not None and row[whole] is not None and row[part] > row[whole]:
            fields.add(part)
    if row["year"] is not None and row["year"] > TODAY.year:
        fields.add("year")
    return fields


@settings(max_examples=200, deadline=None)
@given(st.lists(ROW, min_size=1, max_size=12))
def test_a_table_gives_each_row_what_the_rules_say_of_it(rows):
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    found = AnnualFigures.column_errors(columns, TODAY)
    assert set(found) <= set(range(len(rows)))
    for index, row in enumerate(rows):
        assert set(found.get(index, {})) == expected_fields(row)
        assert found.get(index, {}) == AnnualFigures.value_errors(row, TODAY)  # one row alone: the same reasons


def test_reasons_name_the_field_and_a_negative_part_keeps_its_own():
    found = AnnualFigures.column_errors(
        {
            "rd_expense": [Decimal("10.00"), Decimal("10.00")],
            "rd_domestic": [Decimal("-1.00"), Decimal("10.01")],
            "net_assets": [Decimal("-5.00"), None],
            "year": [2026, 2027],
        },
        TODAY,
    )
    assert found == {
        0: {"rd_domestic": "境内研究开发费用不能为负数"},
        1: {"rd_domestic": "境内研究开发费用不能大于研究开发费用总额", "year": "年度 2027 还没有到，不能填报"},
    }


def test_columns_the_file_lacks_are_not_checked():
    assert AnnualFigures.column_errors({"st_staff": [9]}, TODAY) == {}
    assert AnnualFigures.column_errors({}, TODAY) == {}
