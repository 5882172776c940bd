"""Money conversions between 元, 万元 and 亿元 are exact Decimal arithmetic."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kechuang.core.units import from_wan, to_wan, to_yi

yuan = st.decimals(min_value=0, max_value=Decimal("9999999999999999.99"), places=2)


@given(yuan)
def test_wan_with_six_places_round_trips_exactly(amount):
    assert from_wan(to_wan(amount, 6)) == amount


@given(yuan)
def test_display_rounding_is_half_up_and_within_half_a_unit(amount):
    shown = to_wan(amount)
    assert abs(shown * 10_000 - amount) <= Decimal(50)
    assert shown == shown.quantize(Decimal("0.01"))


def test_known_values():
    assert to_wan(Decimal("12345678.00")) == Decimal("1234.57")
    assert to_wan(Decimal("50.00")) == Decimal("0.01")  # half up, not banker's rounding
    assert to_yi(Decimal("2990000000.00"), 1) == Decimal("29.9")
    assert from_wan(Decimal("1234.5")) == Decimal("12345000.00")
    assert to_wan(None) is None and from_wan(None) is None
