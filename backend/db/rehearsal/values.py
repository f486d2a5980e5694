"""SQL value expressions per type: a short list of hard-shaped candidates for columns that may
repeat, and an injective expression of a row index for columns a unique key covers.

Every literal goes in as a bind parameter (``Params``); the SQL text holds only identifiers
quoted by the dialect, type names from ``format_type`` and numbers this module computes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from backend.db.rehearsal.catalog import Column

try:  # Python's regex parser; the public sre_* names are deprecated aliases since 3.11
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants
    import sre_parse

INT_RANGES = {
    "int2": (-(2**15), 2**15 - 1),
    "int4": (-(2**31), 2**31 - 1),
    "int8": (-(2**63), 2**63 - 1),
}
ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
FREE_TEXT = ["36OO02", "plain text", "", "O'Brien née Ünïcödé", "1e5 tonnes", " padded "]
JSON_SHAPES = ["{}", "[]", '{"a": {"b": [1, {"c": null}], "d": "36OO02"}}', '"text"', "0", "null"]
DAY_OFFSETS = [-3650, -400, -1, 0, 1, 400, 3650]


class Params:
    """Bind parameters of one statement."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}
        self._names: dict[tuple[type, object], str] = {}

    def __call__(self, value: object) -> str:
        # one name per value, so equal expressions have equal SQL text
        key = (type(value), value)
        if key not in self._names:
            self._names[key] = f"p{len(self.values)}"
            self.values[self._names[key]] = value
        return f":{self._names[key]}"


@dataclass
class Domain:
    """What the schema allows a column to hold in one class of rows."""

    allowed: list | None = None
    excluded: list = field(default_factory=list)
    low: Decimal | None = None
    low_strict: bool = False
    high: Decimal | None = None
    high_strict: bool = False
    patterns: list[str] = field(default_factory=list)
    max_len: int | None = None
    case: str | None = None


def number_bounds(column: Column) -> tuple[Decimal, Decimal, Decimal]:
    """(minimum, maximum, smallest step) the type itself allows."""
    if column.base_type in INT_RANGES:
        low, high = INT_RANGES[column.base_type]
        return Decimal(low), Decimal(high), Decimal(1)
    if column.base_type == "numeric" and column.precision is not None:
        step = Decimal(1).scaleb(-column.scale)
        high = Decimal(10) ** (column.precision - column.scale) - step
        return -high, high, step
    if column.base_type in ("float4", "float8"):
        return Decimal("-1e30"), Decimal("1e30"), Decimal("0.001")
    return Decimal("-1e15"), Decimal("1e15"), Decimal(1)


def numeric_range(column: Column, domain: Domain) -> tuple[Decimal, Decimal, Decimal]:
    """The closed range [low, high] of a number column, with its step."""
    low, high, step = number_bounds(column)
    if domain.low is not None:
        low = max(low, domain.low + step if domain.low_strict else domain.low)
        if domain.low_strict and step == 1 and domain.low != domain.low.to_integral_value():
            low = max(low, domain.low.to_integral_value(rounding="ROUND_CEILING"))
    if domain.high is not None:
        high = min(high, domain.high - step if domain.high_strict else domain.high)
    return low, high, step


def _fits(value: Decimal, low: Decimal, high: Decimal, step: Decimal) -> bool:
    return low <= value <= high and (value / step) == (value / step).to_integral_value()


def number_candidates(column: Column, domain: Domain) -> list[Decimal]:
    low, high, step = numeric_range(column, domain)
    raw = [Decimal(0), Decimal(-1), Decimal(1), Decimal(42), Decimal("0.5"), Decimal("-7.25")]
    raw += [high, low, low + step, high - step, (low + high) / 2]
    seen: list[Decimal] = []
    for value in raw:
        value = (
            value.quantize(step) if step < 1 else value.to_integral_value(rounding="ROUND_FLOOR")
        )
        if _fits(value, low, high, step) and value not in domain.excluded and value not in seen:
            seen.append(value)
    return seen


def text_candidates(domain: Domain, max_len: int | None) -> list[str]:
    pad = "X" if domain.case == "upper" else "x"
    raw = [*FREE_TEXT, pad * (max_len or 300)]
    out: list[str] = []
    for value in raw:
        if domain.case == "upper":
            value = value.upper()
        elif domain.case == "lower":
            value = value.lower()
        if max_len is not None:
            value = value[:max_len]
        if value not in out and value not in domain.excluded:
            out.append(value)
    return out


# Regular expressions of CHECKs: parsed with Python's own regex parser into positions -------
@dataclass(frozen=True)
class Pattern:
    positions: tuple[str, ...]  # the characters each position may hold

    @property
    def capacity(self) -> int:
        total = 1
        for chars in self.positions:
            total *= len(chars)
        return total


PRINTABLE = "".join(chr(c) for c in range(32, 127))


def _chars(item: tuple) -> str | None:
    op, arg = item
    if op == sre_constants.LITERAL:
        return chr(arg)
    if op == sre_constants.ANY:
        return ALPHABET
    if op == sre_constants.IN:
        chars = ""
        negate = False
        for sub_op, sub_arg in arg:
            if sub_op == sre_constants.NEGATE:
                negate = True
            elif sub_op == sre_constants.LITERAL:
                chars += chr(sub_arg)
            elif sub_op == sre_constants.RANGE:
                chars += "".join(chr(c) for c in range(sub_arg[0], sub_arg[1] + 1))
            elif sub_op == sre_constants.CATEGORY and sub_arg == sre_constants.CATEGORY_DIGIT:
                chars += "0123456789"
            elif sub_op == sre_constants.CATEGORY and sub_arg == sre_constants.CATEGORY_WORD:
                chars += ALPHABET + "_"
            else:
                return None
        if negate:
            chars = "".join(c for c in PRINTABLE if c not in chars and c.isalnum())
        return "".join(dict.fromkeys(chars)) or None
    return None


def parse_pattern(pattern: str) -> Pattern | None:
    """The fixed-length strings a simple anchored pattern matches, or None for other patterns."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return None
    positions: list[str] = []

    def walk(items) -> bool:
        for op, arg in items:
            if op == sre_constants.AT:
                continue
            if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
                low, _high, body = arg
                for _ in range(max(low, 1)):
                    if not walk(body):
                        return False
            elif op == sre_constants.SUBPATTERN:
                if not walk(arg[-1]):
                    return False
            elif op == sre_constants.BRANCH:
                if not walk(arg[1][0]):
                    return False
            else:
                chars = _chars((op, arg))
                if chars is None:
                    return False
                positions.append(chars)
        return True

    if not walk(parsed):
        return None
    return Pattern(tuple(positions))


def pattern_expression(pattern: Pattern, index: str, params: Params) -> str:
    """The string of ``pattern`` numbered ``index``: the last position varies fastest."""
    parts: list[str] = []
    stride = 1
    for chars in reversed(pattern.positions):
        if len(chars) == 1:
            parts.append(params(chars))
        else:
            parts.append(
                f"substr({params(chars)}, CAST(1 + ({index} / {stride}) % {len(chars)} AS integer), 1)"
            )
            stride *= len(chars)
    return "(" + " || ".join(reversed(parts)) + ")" if parts else params("")


def encoded_text(index: str, width: int, alphabet: str, params: Params) -> str:
    return pattern_expression(Pattern(tuple(alphabet for _ in range(width))), index, params)
