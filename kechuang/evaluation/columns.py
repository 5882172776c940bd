"""Column-wise evaluation that decides every bound exactly.

The evaluations run over many enterprises at once: each input is a column, every ratio or rate is computed for all
enterprises with one NumPy expression in float64, and every comparison with a bound is a vector operation. A float
may misjudge a value that lies on a bound (a growth rate of exactly 35 % computed as 0.34999999999999997), so the
rows whose float value lies within a hair of a bound are decided again with exact rational arithmetic on their
original Decimal inputs — the same formula, applied to ``Fraction`` values. On real data these rows are rare; the
boundary tests consist of nothing else.
"""

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import numpy as np

# A float value this close (relative) to a bound is decided exactly. float64 carries 16 significant digits and the
# formulas take a handful of operations, so 1e-9 leaves a wide margin.
NEAR = 1e-9


class Frame:
    """The inputs of many enterprises as columns: ``exact[name]`` the values as given (Decimal, int or None),
    ``approx[name]`` the same as a float64 array (NaN where a value is missing, or 0 for the ``zeros`` columns, whose
    missing values count as nothing, like an absent year in a three-year sum)."""

    def __init__(self, columns: dict[str, list], zeros: set[str] = frozenset()):
        self.exact, self.zeros = columns, zeros
        self.size = len(next(iter(columns.values()))) if columns else 0
        self.approx = {name: _floats(values, name in zeros) for name, values in columns.items()}

    def known(self, *names: str) -> np.ndarray:
        """Rows where every one of these inputs is present."""
        mask = np.ones(self.size, dtype=bool)
        for name in names:
            mask &= ~np.isnan(self.approx[name])
        return mask


def _floats(values: list, zero: bool) -> np.ndarray:
    """A column as float64: None becomes NaN (or 0). (The conversion of each Decimal is the one step per value; it
    measured twice as fast as going through an object array.)"""
    blank = 0.0 if zero else np.nan
    return np.array([blank if v is None else float(v) for v in values], dtype=np.float64)


class _Vectors:
    def __init__(self, frame: Frame):
        self._frame = frame

    def __getattr__(self, name: str) -> np.ndarray:
        return self._frame.approx[name]


class _Row:
    def __init__(self, frame: Frame, index: int):
        self._frame, self._index = frame, index

    def __getattr__(self, name: str) -> Fraction | None:
        value = self._frame.exact[name][self._index]
        if value is None:
            return Fraction(0) if name in self._frame.zeros else None
        return Fraction(value)


class Quantity:
    """A value computed for every enterprise by ``formula`` (a function of the columns using + − × ÷ only), defined
    on the rows of ``where``; elsewhere it is NaN and no comparison holds.

    ``one_rounding``: the float value is an input as converted, or one IEEE operation on exactly representable inputs
    (a count, a count divided by a small count). Rounding is monotonic, so against a bound that float represents
    exactly (500, 2 亿, 0, 5) only the rows whose float equals the bound are decided again (500.00000000000001 people
    rounds onto 500).

    ``exact``: the float value is exact, or one division of small integers (a count, days, conversions a year):
    equal to an integer bound only when it is that integer. No row is decided again."""

    def __init__(
        self, frame: Frame, formula: Callable, where: np.ndarray | None = None, *, one_rounding=False, exact=False
    ):
        self.frame, self.formula, self.one_rounding, self.exact_float = frame, formula, one_rounding, exact
        self.where = np.ones(frame.size, dtype=bool) if where is None else where
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            values = formula(_Vectors(frame))
        self.approx = np.where(self.where, np.broadcast_to(values, (frame.size,)), np.nan).astype(np.float64)
        self._exact: dict[int, Fraction | None] = {}

    def exact(self, index: int) -> Fraction | None:
        """The exact value of one enterprise: for the rows near a bound, and for reports and gaps."""
        if index not in self._exact:
            try:
                self._exact[index] = Fraction(self.formula(_Row(self.frame, index))) if self.where[index] else None
            except (ZeroDivisionError, TypeError):  # a zero divisor or a missing input: not defined
                self._exact[index] = None
        return self._exact[index]

    def at_least(self, bound) -> np.ndarray:
        return self._compare(bound, strict=False)

    def above(self, bound) -> np.ndarray:
        return self._compare(bound, strict=True)

    def at_most(self, bound) -> np.ndarray:
        return self.defined & ~self.above(bound)

    @property
    def defined(self) -> np.ndarray:
        return ~np.isnan(self.approx)

    def _compare(self, bound, *, strict: bool) -> np.ndarray:
        limit = float(bound)
        with np.errstate(invalid="ignore"):
            result = self.approx > limit if strict else self.approx >= limit
            near = np.abs(self.approx - limit) <= NEAR * max(1.0, abs(limit))
        exact_bound = Fraction(Decimal(bound))
        if self.exact_float and Fraction(limit) == exact_bound:
            return result
        if self.one_rounding and Fraction(limit) == exact_bound:
            # Rounding is monotonic: only a value that rounded onto the bound itself may lie on either side of it.
            near = self.approx == limit
        for index in np.flatnonzero(near):
            value = self.exact(int(index))
            result[index] = value is not None and (value > exact_bound if strict else value >= exact_bound)
        return result


def first_band(tests: list[np.ndarray], size: int) -> np.ndarray:
    """The index of the first test that holds for each row (the best band first), or ``len(tests)``."""
    index = np.full(size, len(tests), dtype=np.int64)
    for position in range(len(tests) - 1, -1, -1):
        index = np.where(tests[position], position, index)
    return index
