"""Predict a statement's time at a table's production size from its times at two rehearsal sizes.

The model is a straight line, time = a + b * work, through the two measurements (through the
origin and the larger one when noise made the times shrink with more rows). The work is the row count
for a rewrite, a scan or an update; for an index build it is n log n, the cost of the sort, so a
build predicted from 5,000 and 50,000 rows is not underestimated at millions (the log factor
grows by a few tens of percent per decade). tests/guard/test_lock_test.py measures the promise:
within a factor of 2 at ten times the larger rehearsal size.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field


def linear(rows: int) -> float:
    return float(rows)


def n_log_n(rows: int) -> float:
    return rows * math.log2(rows) if rows > 1 else 0.0


@dataclass(frozen=True)
class Line:
    """time = a + b * work(rows), in seconds."""

    a: float
    b: float
    work: Callable[[int], float] = field(default=linear, compare=False)

    def at(self, rows: int) -> float:
        return max(0.0, self.a + self.b * self.work(rows))


def fit(
    small: tuple[int, float], large: tuple[int, float], work: Callable[[int], float] = linear
) -> Line:
    """The line through (rows, seconds) ``small`` and ``large`` in ``work(rows)``.

    It is only asked for a statement the catalog saw doing work that grows with the table (a
    rewrite, a scan, an index build, rows changed). When the two times do not grow (one noisy
    measurement on a busy machine can put the small one above the large one), the line goes
    through the origin and the larger measurement instead: the work is there, so is its growth.
    """
    (n1, t1), (n2, t2) = small, large
    x1, x2 = work(n1), work(n2)
    if x2 == x1:
        return Line(max(t1, t2), 0.0, work)
    if t2 <= t1:
        return Line(0.0, t2 / x2 if x2 else 0.0, work)
    b = (t2 - t1) / (x2 - x1)
    return Line(t2 - b * x2, b, work)
