"""What the two national evaluations share: building the frame from input records, banded points, tri-state
conditions, and the shape of one enterprise's result (the fixed JSON keys of issue #5 item 7)."""

import datetime
import math
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction

import numpy as np

from .columns import Frame, Quantity, first_band

CENT = Decimal("0.01")


@dataclass
class Gap:
    """One thing an enterprise lacks, in its own numbers: the text shown, and the input changes that would close it
    (applied to the input record by ``apply``; the tests apply them and evaluate again)."""

    text: str
    changes: dict = field(default_factory=dict)  # key -> new value; "years[-1].rd_expense" style for a year


def flags(values: list) -> tuple[np.ndarray, np.ndarray]:
    """A yes/no input column as two: where it is given, and where it is yes."""
    known = np.array([v is not None for v in values], dtype=bool)
    return known, np.array([v is True for v in values], dtype=bool)


def band_index(tests: list[np.ndarray], size: int) -> np.ndarray:
    """The band of each row for a table whose last band is the default (no test of its own)."""
    return first_band(tests, size)


def points_of(bands: list[dict], index: np.ndarray, end: int = 0) -> np.ndarray:
    """The points of each row's band: ``end`` 0 for a fixed value or a range's minimum, 1 for its maximum."""
    table = [b["points"][end] if isinstance(b["points"], list) else b["points"] for b in bands]
    return np.array([int(p) for p in table], dtype=np.int64)[index]


def count_tests(bands: list[dict], frame: Frame) -> list[np.ndarray]:
    """Tests of an IP-count table: ``class1_min`` / ``class2_min`` bounds on the Class I / Class II counts."""
    class1 = Quantity(frame, lambda c: c.class1_ip, frame.known("class1_ip"), exact=True)
    class2 = Quantity(frame, lambda c: c.class2_ip, frame.known("class2_ip"), exact=True)
    tests = []
    for band in bands[:-1]:
        if "class1_min" in band:
            tests.append(class1.at_least(band["class1_min"]))
        else:
            tests.append(class2.at_least(band["class2_min"]))
    return tests


def tri(known: np.ndarray, ok: np.ndarray, index: int) -> bool | None:
    return bool(ok[index]) if known[index] else None


def number(value) -> float | int | None:
    """A value for the JSON output: integers stay integers, anything else to 6 decimals."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | np.integer):
        return int(value)
    exact = Fraction(value) if not isinstance(value, Fraction) else value
    if exact.denominator == 1:
        return int(exact)
    return round(float(exact), 6) + 0.0  # + 0.0: no "-0.0" for a margin that rounds to nothing


def ceil_cent(value: Fraction) -> Decimal:
    """The smallest amount in 分 (0.01 元) at least ``value``."""
    return Decimal(math.ceil(value * 100)) / 100 if value > 0 else Decimal(0)


def ceil_int(value: Fraction) -> int:
    return max(0, math.ceil(value))


def wan(amount: Decimal) -> str:
    """An amount in 元 written in 万元, as the bureau and enterprises speak of R&D expense."""
    return f"{(amount / 10000).quantize(Decimal('0.01'), rounding=ROUND_CEILING):,}"


def apply(record: dict, changes: dict) -> dict:
    """A copy of an input record with a gap's changes made (``years[-1].rd_expense`` names a year's field)."""
    updated = {**record, "years": [dict(y) for y in record.get("years") or []]}
    for key, value in changes.items():
        if key.startswith("years["):
            position, name = key[len("years[") :].split("].")
            updated["years"][int(position)][name] = value
        else:
            updated[key] = value
    return updated


def missing(record: dict, names: tuple[str, ...]) -> list[str]:
    return [name for name in names if record.get(name) is None]


# How the input values are typed (the fixed keys of both kinds), for storing a record as JSON and reading it back.
DECIMAL_KEYS = {"staff_total", "st_staff", "hitech_revenue_last_year", "sales_revenue", "total_assets", "rd_expense",
                "total_costs", "total_income", "rd_domestic", "net_assets"}  # fmt: skip
DATE_KEYS = {"registration_date", "application_date"}


def encode(record: dict) -> dict:
    """An input record as JSON: amounts as exact decimal text, dates in ISO."""

    def value(v):
        if isinstance(v, Decimal):
            return str(v)
        if isinstance(v, datetime.date):
            return v.isoformat()
        return v

    encoded = {k: value(v) for k, v in record.items() if k != "years"}
    if "years" in record:
        encoded["years"] = [{k: value(v) for k, v in year.items()} for year in record["years"]]
    return encoded


def decode(data: dict) -> dict:
    """``encode`` reversed: the record with its Decimal amounts and dates."""

    def value(key, v):
        if v is None:
            return None
        if key in DECIMAL_KEYS:
            return Decimal(v)
        if key in DATE_KEYS:
            return datetime.date.fromisoformat(v)
        return v

    decoded = {k: value(k, v) for k, v in data.items() if k != "years"}
    if "years" in data:
        decoded["years"] = [{k: value(k, v) for k, v in year.items()} for year in data["years"]]
    return decoded
