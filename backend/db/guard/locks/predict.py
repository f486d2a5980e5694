"""Predict a statement's time at a table's production size from its times at two rehearsal sizes.

The model is a straight line, time = a + b * rows, through the two measurements (b clamped at 0:
a statement that got faster with more rows did no work that grows). An index build is
n log n, not linear; over the one or two decades between the rehearsal and production the
log factor grows by a few tens of percent, inside the factor of 2 the prediction promises
(tests/guard/test_lock_test.py measures it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """time = a + b * rows, in seconds."""

    a: float
    b: float

    def at(self, rows: int) -> float:
        return max(0.0, self.a + self.b * rows)


def fit(small: tuple[int, float], large: tuple[int, float]) -> Line:
    """The line through (rows, seconds) ``small`` and ``large``; flat at the slower of the two
    when the time does not grow with the rows (or both sizes are the same)."""
    (n1, t1), (n2, t2) = small, large
    if n2 == n1 or t2 <= t1:
        return Line(max(t1, t2), 0.0)
    b = (t2 - t1) / (n2 - n1)
    return Line(t2 - b * n2, b)
