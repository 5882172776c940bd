"""Money is stored in 元 and shown in 万元 or 亿元, always with Decimal."""

from decimal import ROUND_HALF_UP, Decimal

WAN = Decimal(10_000)
YI = Decimal(100_000_000)


def to_wan(yuan: Decimal | None, places: int = 2) -> Decimal | None:
    if yuan is None:
        return None
    return (Decimal(yuan) / WAN).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def from_wan(wan: Decimal | None) -> Decimal | None:
    """万元 as typed by a user → 元, exact (a 万元 figure with up to 6 decimals is a whole number of 分)."""
    if wan is None:
        return None
    return (Decimal(wan) * WAN).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def to_yi(yuan: Decimal | None, places: int = 2) -> Decimal | None:
    if yuan is None:
        return None
    return (Decimal(yuan) / YI).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
