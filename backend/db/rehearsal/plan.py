"""Decide, per column, the SQL expression that computes its value from the row number ``g``.

Rows are split into classes by ``g % classes``: class 0 holds no NULLs, every other class makes a
few nullable columns NULL. For each class every CHECK is evaluated with those NULLs
(``checks.under_nulls``), one disjunct of each OR is chosen, and its atoms become a ``Domain``
(allowed set, bounds, pattern, length, case) or a relation to another column (``>=``, ``<>``,
``substr(a, 3, 10) = b``), which the column's expression reads through an earlier LATERAL.
Unique keys get injective expressions: one column counts ``g`` itself, or the key's columns
count it in mixed radix when all of them have finitely many values.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from backend.db.rehearsal import checks as ck
from backend.db.rehearsal import values as vl
from backend.db.rehearsal.catalog import Column, ForeignKey, Table

NULL_CLASSES = 24
# Rows fall into a prime number of classes, larger than any list of candidate values, so the
# rows of the NULL-free classes still meet every candidate (g % classes and g % k independent).
MIN_CLASSES = 17
FK_SPREAD = 97  # parents a non-unique foreign key cycles through (at most half the rows: repeats)
G = "s.g"
# Parents are numbered in the order they were inserted, so rows a later fill appends get new
# numbers: ctid alone is not that order (new rows fill the free space of old pages).
INSERTION_ORDER = "CAST(CAST(xmin AS text) AS bigint), ctid"


@dataclass
class Relations:
    above: list[tuple[str, bool]] = field(default_factory=list)
    below: list[tuple[str, bool]] = field(default_factory=list)
    differs: list[str] = field(default_factory=list)
    overlay: list[tuple[int, int, str]] = field(default_factory=list)
    copy_of: tuple[str, int, int] | None = None
    equals: str | None = None

    def reads(self) -> set[str]:
        names = {c for c, _ in self.above} | {c for c, _ in self.below} | set(self.differs)
        names |= {c for _, _, c in self.overlay}
        if self.copy_of:
            names.add(self.copy_of[0])
        if self.equals:
            names.add(self.equals)
        return names


@dataclass
class TablePlan:
    table: str
    columns: list[str]
    select_sql: str  # INSERT ... SELECT ... FROM ... (no WHERE, no ON CONFLICT)
    params: dict[str, object]
    classes: int
    nulls: list[frozenset[str]]
    capacity: int | None = None
    capacity_key: str | None = None
    unplanned: list[tuple[str, str]] = field(default_factory=list)


Quote = Callable[[str], str]


def _unique_units(table: Table, foreign_keys: list[ForeignKey]) -> dict[str, str]:
    """Which unit gives each column its value: its foreign key (by name) or the column itself."""
    unit = {name: name for name in table.columns}
    for fk in foreign_keys:
        for name in fk.columns:
            if unit[name] == name:
                unit[name] = fk.name
    return unit


def _single_column_keys(table: Table) -> set[str]:
    """Columns that are a unique key (or primary key) on their own."""
    return {key.columns[0] for key in table.unique_keys if len(key.columns) == 1}


def _apply(atom: object, domains: dict, relations: dict, table: Table, fixed: set[str]) -> bool:
    """Record what ``atom`` demands; False when the planner does not understand it."""
    if isinstance(atom, ck.Compare):
        left, right, op = atom.left, atom.right, atom.op
        if isinstance(left, ck.Const) and not isinstance(right, ck.Const):
            left, right, op = right, left, ck.FLIP[op]
        if isinstance(left, ck.Col) and isinstance(right, ck.Const):
            domain = domains[left.name]
            value = right.value
            if op == "=":
                domain.allowed = (
                    [value] if domain.allowed is None else [v for v in domain.allowed if v == value]
                )
            elif op == "<>":
                domain.excluded.append(value)
            elif isinstance(value, Decimal) and op in (">", ">="):
                if domain.low is None or value >= domain.low:
                    domain.low, domain.low_strict = value, op == ">"
            elif isinstance(value, Decimal) and op in ("<", "<="):
                if domain.high is None or value <= domain.high:
                    domain.high, domain.high_strict = value, op == "<"
            else:
                return False
            return True
        if isinstance(left, ck.Col) and isinstance(right, ck.Col):
            a, b = left.name, right.name
            if op == "<>":
                if not _same_parent(table, a, b):
                    relations[a].differs.append(b)
                return True
            # The column that is adjusted (LEAST/GREATEST of the other) must not be a key: a
            # foreign key's values come from the parent, and clamping a unique column to a
            # column that repeats would repeat it too. The other one adjusts instead.
            keyed = _single_column_keys(table)
            adjustable_b = b not in fixed and b not in keyed and b not in relations[a].reads()
            if (
                a in fixed
                or (b in relations[a].reads() and a not in fixed)
                or (a in keyed and adjustable_b)
            ):
                a, b, op = b, a, ck.FLIP[op]
            if op == "=":
                relations[a].equals = b
            elif op in (">", ">="):
                relations[a].above.append((b, op == ">"))
            else:
                relations[a].below.append((b, op == "<"))
            return True
        if isinstance(left, ck.Func) and isinstance(right, ck.Col):
            left, right, op = right, left, ck.FLIP[op]
        if isinstance(right, ck.Func) and isinstance(left, ck.Col):
            return _apply_function(op, left.name, right, domains, relations, table)
        if isinstance(left, ck.Func) and isinstance(right, ck.Const):
            func, bound = left, right.value
            if (
                func.name in ("length", "char_length", "character_length")
                and isinstance(func.args[0], ck.Col)
                and isinstance(bound, Decimal)
            ):
                domain = domains[func.args[0].name]
                limit = {"<=": int(bound), "<": int(bound) - 1, "=": int(bound)}.get(op)
                if limit is None:
                    return False
                domain.max_len = limit if domain.max_len is None else min(domain.max_len, limit)
                return True
        return False
    if isinstance(atom, ck.Member) and isinstance(atom.term, ck.Col):
        name = atom.term.name
        if all(isinstance(i, ck.Const) for i in atom.items):
            items = [i.value for i in atom.items]
            domain = domains[name]
            if atom.negated:
                domain.excluded.extend(items)
            else:
                domain.allowed = (
                    items if domain.allowed is None else [v for v in domain.allowed if v in items]
                )
            return True
        if atom.negated and all(isinstance(i, ck.Col) for i in atom.items):
            for other in atom.items:
                if not _same_parent(table, name, other.name):
                    relations[name].differs.append(other.name)
            return True
        return False
    if isinstance(atom, ck.Match) and isinstance(atom.term, ck.Col) and not atom.negated:
        domains[atom.term.name].patterns.append(atom.pattern)
        return True
    return False


def _apply_function(op, name, func, domains, relations, table) -> bool:
    args = func.args
    if op != "=":
        return False
    if func.name in ("upper", "lower") and args == (ck.Col(name),):
        domains[name].case = func.name
        return True
    if (
        func.name in ("substr", "substring")
        and len(args) == 3
        and isinstance(args[0], ck.Col)
        and all(isinstance(a, ck.Const) for a in args[1:])
    ):
        source, start, length = args[0].name, int(args[1].value), int(args[2].value)
        if any(name in key.columns for key in table.unique_keys):
            # the plain column must stay unique by itself: write it into the longer one
            relations[source].overlay.append((start, length, name))
        else:
            relations[name].copy_of = (source, start, length)
        return True
    return False


def _same_parent(table: Table, a: str, b: str) -> bool:
    """Foreign keys into one parent get different parents per row (offsets), so a <> b holds."""
    parent_of = {fk.columns[0]: fk.parent for fk in table.foreign_keys if len(fk.columns) == 1}
    return a in parent_of and parent_of.get(a) == parent_of.get(b)


def _prime_above(n: int) -> int:
    candidate = n + 1
    while any(candidate % d == 0 for d in range(2, int(candidate**0.5) + 1)):
        candidate += 1
    return candidate


def _prefer(atom: object) -> int:
    if atom == ck.FALSE:
        return 1000
    if isinstance(atom, ck.Opaque):
        return 10
    return 1


class _Builder:
    def __init__(self, table: Table, quote: Quote, params: vl.Params) -> None:
        self.table = table
        self.quote = quote
        self.params = params

    def cast(self, sql: str, column: Column) -> str:
        return f"CAST({sql} AS {column.sql_type})"

    def pick(self, column: Column, literals: list, index: str, *, finite_index: bool) -> str:
        """One of ``literals`` chosen by ``index`` (already < len when ``finite_index``)."""
        if not literals:
            return "NULL"
        items = ", ".join(self.literal(column, v) for v in literals)
        position = f"1 + {index}" if finite_index else f"1 + ({index}) % {len(literals)}"
        return f"(ARRAY[{items}])[{position}]"

    def literal(self, column: Column, value: object) -> str:
        if column.is_array:
            return f"CAST({self.params(value)} AS {column.element_type})"
        return self.cast(self.params(str(value) if isinstance(value, Decimal) else value), column)

    def free(
        self, column: Column, domain: vl.Domain, index: str, injective: bool
    ) -> tuple[str, int | None]:
        """(expression, how many distinct values it can take; None = as many as rows)."""
        p = self.params
        if domain.allowed is not None or column.labels:
            allowed = list(domain.allowed if domain.allowed is not None else column.labels)
            if column.labels and domain.allowed is not None:
                allowed = [v for v in allowed if v in column.labels]
            allowed = self._filter(column, domain, allowed)
            return self.pick(column, allowed, index, finite_index=injective), len(allowed)
        base = column.base_type
        category = column.category
        if base == "bool":
            allowed = [v for v in (True, False) if v not in domain.excluded]
            return self.pick(column, allowed, index, finite_index=injective), len(allowed)
        if category == "N":
            if injective:
                low, high, step = vl.numeric_range(column, domain)
                start = low if domain.low is not None else max(low, Decimal(-3))
                unit = Decimal(1) if high - start >= 100000 else step
                card = int((high - start) / unit) + 1
                if card <= 0:
                    return "NULL", 0
                start_sql, unit_sql = (
                    self.cast(p(str(start)), column),
                    self.cast(p(str(unit)), column),
                )
                return self.cast(f"{start_sql} + ({index}) * {unit_sql}", column), card
            return self.pick(
                column, vl.number_candidates(column, domain), index, finite_index=False
            ), None
        if category == "S":
            limits = [x for x in (column.length, domain.max_len) if x is not None]
            max_len = min(limits) if limits else None
            for pattern in domain.patterns:
                parsed = vl.parse_pattern(pattern)
                if parsed is None:
                    continue
                if domain.case:
                    parsed = vl.Pattern(
                        tuple(
                            "".join(c for c in chars if getattr(c, domain.case)() == c) or chars
                            for chars in parsed.positions
                        )
                    )
                chosen = index if injective else f"({index}) % 7"
                return self.cast(vl.pattern_expression(parsed, chosen, p), column), parsed.capacity
            if injective:
                alphabet = vl.ALPHABET.upper() if domain.case == "upper" else vl.ALPHABET
                width = min(max_len or 8, 8)
                text = vl.encoded_text(index, width, alphabet, p)
                if max_len and max_len > width:
                    pad = p("X" if domain.case == "upper" else "x")
                    text = f"CASE WHEN ({index}) % 5 = 0 THEN rpad({text}, {max_len}, {pad}) ELSE {text} END"
                return self.cast(text, column), len(alphabet) ** width
            literals = self._filter(column, domain, vl.text_candidates(domain, max_len))
            return self.pick(column, literals, index, finite_index=False), None
        if category == "D" and base == "date":
            if injective:
                return f"(DATE '2000-01-01' + CAST({index} AS integer) * 53)", None
            items = ", ".join(f"CURRENT_DATE + {d}" for d in vl.DAY_OFFSETS)
            return f"(ARRAY[{items}])[1 + ({index}) % {len(vl.DAY_OFFSETS)}]", None
        if category == "D" and base in ("timestamptz", "timestamp"):
            if injective:
                return self.cast(
                    f"TIMESTAMPTZ '2000-01-01 00:00:00+00' + ({index}) * INTERVAL '53 days'", column
                ), None
            items = ", ".join(
                self.cast(
                    f"now() + INTERVAL '1 day' * {d} + INTERVAL '1 microsecond' * {abs(d) % 7}",
                    column,
                )
                for d in vl.DAY_OFFSETS
            )
            return f"(ARRAY[{items}])[1 + ({index}) % {len(vl.DAY_OFFSETS)}]", None
        if category == "D" and base in ("time", "timetz"):
            if injective:
                return self.cast(f"TIME '00:00' + ({index}) * INTERVAL '1 second'", column), 86400
            return self.pick(
                column, ["00:00:00", "23:59:59.999999", "12:30:00"], index, finite_index=False
            ), None
        if category == "T":
            if injective:
                return self.cast(f"({index}) * INTERVAL '1 second'", column), None
            return self.pick(
                column, ["0 seconds", "-1 day", "1 year 2 mons 3 days"], index, finite_index=False
            ), None
        if base == "uuid":
            if injective:
                return (
                    f"CAST(md5({p(self.table.name + column.name)} || CAST({index} AS text)) AS uuid)",
                    None,
                )
            literals = [
                "00000000-0000-0000-0000-000000000000",
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
            ]
            return self.pick(column, literals, index, finite_index=False), None
        if base in ("json", "jsonb"):
            if injective:
                return self.cast(f"json_build_object('n', {index})", column), None
            return self.pick(column, vl.JSON_SHAPES, index, finite_index=False), None
        if base in ("inet", "cidr"):
            if injective:
                return self.cast(f"INET '10.0.0.0' + ({index})", column), 2**24
            return self.pick(
                column, ["192.0.2.1", "2001:db8::1", "10.0.0.0/8"], index, finite_index=False
            ), None
        if base == "bytea":
            if injective:
                return f"convert_to(CAST({index} AS text), 'UTF8')", None
            return self.pick(column, ["\\x", "\\xdeadbeef00"], index, finite_index=False), None
        if base == "vector":
            dims = column.dimensions or 3
            chosen = index if injective else f"({index}) % 7"
            element = f"CAST(1 + (({chosen}) * 7 + e.k) % 13 AS real) / 13"
            array = f"(SELECT array_agg({element} ORDER BY e.k) FROM generate_series(1, {dims}) AS e(k))"
            return self.cast(array, column), None
        return "NULL", 0

    def _filter(self, column: Column, domain: vl.Domain, literals: list) -> list:
        kept = []
        for value in literals:
            if value in domain.excluded:
                continue
            if isinstance(value, str):
                if column.length is not None and len(value) > column.length:
                    continue
                if domain.max_len is not None and len(value) > domain.max_len:
                    continue
                if domain.case and getattr(value, domain.case)() != value:
                    continue
                if any(re.search(p, value) is None for p in domain.patterns):
                    continue
            if (
                isinstance(value, (int, Decimal))
                and not isinstance(value, bool)
                and column.category == "N"
            ):
                low, high, step = vl.numeric_range(column, domain)
                if not low <= Decimal(value) <= high:
                    continue
            kept.append(value)
        return kept

    def array(self, column: Column, domain: vl.Domain, index: str, injective: bool) -> str:
        element = dataclasses.replace(column, is_array=False, sql_type=column.element_type)
        one, _ = self.free(element, domain, index, injective)
        two, _ = self.free(element, domain, f"({index}) + 1", injective)
        if injective:
            return self.cast(f"ARRAY[{one}]", column)
        empty = self.cast(self.params("{}"), column)
        return f"(ARRAY[{empty}, {self.cast(f'ARRAY[{one}, {two}]', column)}, {self.cast(f'ARRAY[{one}]', column)}])[1 + ({index}) % 3]"


def step_sql(column: Column) -> str | None:
    if column.category == "N":
        return str(vl.number_bounds(column)[2])
    if column.base_type == "date":
        return "1"
    if column.base_type in ("timestamptz", "timestamp", "time", "timetz"):
        return "INTERVAL '1 second'"
    return None


def plan_table(
    table: Table,
    counts: dict[str, int],
    base: int,
    rows: int,
    deferred: set[str],
    quote: Quote,
    *,
    with_nulls: bool = True,
) -> TablePlan:
    """The INSERT ... SELECT that adds ``rows`` rows numbered ``base, base + 1, ..`` to ``table``."""
    params = vl.Params()
    builder = _Builder(table, quote, params)
    inserted = [c for c in table.columns.values() if not c.fills_itself]
    names = [c.name for c in inserted]
    foreign_keys = [
        fk for fk in table.foreign_keys if fk.name not in deferred and set(fk.columns) <= set(names)
    ]
    deferred_columns = {n for fk in table.foreign_keys if fk.name in deferred for n in fk.columns}
    unit = _unique_units(table, foreign_keys)
    fixed = {n for fk in foreign_keys for n in fk.columns}

    nnd = {n for key in table.unique_keys if key.nulls_not_distinct for n in key.columns}
    nullable = [c.name for c in inserted if not c.not_null and c.name not in nnd | deferred_columns]
    if not with_nulls:
        nullable = []
    groups = min(len(nullable), NULL_CLASSES)
    classes = _prime_above(max(groups, MIN_CLASSES - 1))
    nulls = [frozenset()] + [
        frozenset(n for i, n in enumerate(nullable) if i % groups == j) for j in range(groups)
    ]
    nulls += [frozenset()] * (classes - len(nulls))
    formulas = [(check, ck.parse_check(check.expression)) for check in table.checks]
    plan_unplanned: dict[str, str] = {}
    for j in range(1, classes):
        for _check, formula in formulas:
            if ck.under_nulls(formula, nulls[j]) == ck.FALSE:
                nulls[j] = nulls[j] - ck.columns_of(formula)

    def class_domains(j: int) -> tuple[dict, dict]:
        domains = {n: vl.Domain() for n in table.columns}
        relations = {n: Relations() for n in table.columns}
        for check, formula in formulas:
            for atom in ck.choose(ck.under_nulls(formula, nulls[j]), _prefer):
                if atom == ck.FALSE or not _apply(atom, domains, relations, table, fixed):
                    plan_unplanned[check.name] = check.expression
        return domains, relations

    per_class = [class_domains(j) for j in range(classes)]
    main_domains, _ = per_class[0]

    # Unique keys: which unit counts g injectively, or which digit of g in mixed radix.
    fk_card = {fk.name: max(counts.get(fk.parent, 0), 1) for fk in foreign_keys}
    digits: dict[str, tuple[int, int | None]] = {}  # unit -> (stride, modulus or None = injective)
    capacity, capacity_key = None, None

    def card(u: str) -> int | None:
        if u in fk_card:
            return fk_card[u]
        column = table.columns[u]
        _, n = (
            builder.free(column, main_domains[u], "0", True) if not column.is_array else ("", None)
        )
        # a column with this many values counts g by itself, not as a digit of a mixed radix
        return None if n is not None and n > 10**9 else n

    scratch = vl.Params()
    saved, builder.params = builder.params, scratch
    for key in table.unique_keys:
        if any(table.columns[n].fills_itself for n in key.columns) or not key.columns:
            continue
        units = list(dict.fromkeys(unit[n] for n in key.columns if n not in deferred_columns))
        if not units or any(digits.get(u, (0, 0))[1] is None for u in units):
            continue
        infinite = [u for u in units if u not in digits and u not in fk_card and card(u) is None]
        if infinite:
            digits[infinite[0]] = (1, None)
            continue
        stride = 1
        for u in units:
            if u not in digits:
                modulus = card(u) or 1
                digits[u] = (stride, modulus)
                stride *= modulus
        if capacity is None or stride < capacity:
            capacity, capacity_key = stride, key.name
    builder.params = saved

    def index_of(u: str) -> tuple[str, bool]:
        if u not in digits:
            return G, False
        stride, modulus = digits[u]
        if modulus is None:
            return G, True
        return f"(({G} / {stride}) % {modulus})", True

    # Foreign keys: join a numbered list of the parent's keys.
    joins: list[str] = []
    parent_offsets: dict[str, int] = {}
    for number, fk in enumerate(foreign_keys):
        offset = parent_offsets.get(fk.parent, 0)
        parent_offsets[fk.parent] = offset + 1
        stride, modulus = digits.get(fk.name, (1, 0))
        count = fk_card[fk.name]
        if fk.name in digits:
            row = f"(({G} / {stride} + {offset}) % {count})"
        else:
            spread = min(count, FK_SPREAD, max(2, rows // 2))
            row = f"(({G} + {offset}) % {spread})"
        keys = ", ".join(f"{quote(pc)} AS k{i}" for i, pc in enumerate(fk.parent_columns))
        present = " AND ".join(f"{quote(pc)} IS NOT NULL" for pc in fk.parent_columns)
        joins.append(
            f"LEFT JOIN (SELECT row_number() OVER (ORDER BY {INSERTION_ORDER}) - 1 AS rn, {keys} "
            f"FROM {quote(fk.parent)} WHERE {present}) AS f{number} ON f{number}.rn = {row}"
        )
    fk_source = {
        n: f"f{number}.k{fk.columns.index(n)}"
        for number, fk in enumerate(foreign_keys)
        for n in fk.columns
    }

    alias = {n: f"c{i}" for i, n in enumerate(names)}

    def expression(name: str, j: int) -> str:
        column = table.columns[name]
        if name in nulls[j] or name in deferred_columns:
            return builder.cast("NULL", column)
        domains, relations = per_class[j]
        domain, rel = domains[name], relations[name]
        ref = {n: f"{alias[n]}.v" for n in names}
        if rel.equals in ref:
            return ref[rel.equals]
        if rel.copy_of and rel.copy_of[0] in ref:
            source, start, length = rel.copy_of
            return builder.cast(f"substr({ref[source]}, {start}, {length})", column)
        if name in fk_source:
            value = fk_source[name]
        else:
            index, injective = index_of(unit[name])
            if column.is_array:
                value = builder.array(column, domain, index, injective)
            else:
                value, _ = builder.free(column, domain, index, injective)
            alternatives = [
                builder.free(column, domain, f"({index}) + {k}", injective)[0]
                for k in range(1, len(rel.differs) + 1)
            ]
            if rel.differs and all(d in ref for d in rel.differs):
                options = [value, *alternatives]
                branches = " ".join(
                    "WHEN "
                    + " AND ".join(f"{o} IS DISTINCT FROM {ref[d]}" for d in rel.differs)
                    + f" THEN {o}"
                    for o in options[:-1]
                )
                value = f"CASE {branches} ELSE {options[-1]} END"
        step = step_sql(column)
        for other, strict in rel.above:
            if other in ref:
                bound = f"{ref[other]} + {step}" if strict and step else ref[other]
                value = f"GREATEST({value}, {bound})"
        for other, strict in rel.below:
            if other in ref:
                bound = f"{ref[other]} - {step}" if strict and step else ref[other]
                value = f"LEAST({value}, {bound})"
        for start, length, other in rel.overlay:
            if other in ref:
                value = f"overlay({value} placing {ref[other]} from {start} for {length})"
        if domain.case:
            value = f"{domain.case}({value})"
        return builder.cast(value, column)

    def reads(name: str) -> set[str]:
        out: set[str] = set()
        for _, relations in per_class:
            out |= relations[name].reads()
        return out & set(names)

    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order or name in visiting:
            return
        visiting.add(name)
        for other in sorted(reads(name)):
            visit(other)
        visiting.discard(name)
        order.append(name)

    for name in names:
        visit(name)

    laterals = []
    for name in order:
        by_class = [expression(name, j) for j in range(classes)]
        main = by_class[0]
        special: dict[str, list[int]] = {}
        for j, sql in enumerate(by_class[1:], start=1):
            if sql != main:
                special.setdefault(sql, []).append(j)
        if special:
            whens = " ".join(
                f"WHEN {G} % {classes} IN ({', '.join(map(str, js))}) THEN {sql}"
                for sql, js in special.items()
            )
            main = f"CASE {whens} ELSE {main} END"
        laterals.append(f"CROSS JOIN LATERAL (SELECT {main} AS v) AS {alias[name]}")

    column_list = ", ".join(quote(n) for n in names)
    select_list = ", ".join(f"{alias[n]}.v" for n in names) if names else ""
    first, last = params(base), params(base + rows - 1)
    source = f"FROM generate_series(CAST({first} AS bigint), CAST({last} AS bigint)) AS s(g) "
    source += " ".join(joins + laterals)
    if names:
        sql = f"INSERT INTO {quote(table.name)} ({column_list}) SELECT {select_list} {source}"
    else:
        sql = f"INSERT INTO {quote(table.name)} DEFAULT VALUES"  # every column fills itself
    return TablePlan(
        table=table.name,
        columns=names,
        select_sql=sql,
        params=params.values,
        classes=classes,
        nulls=nulls,
        capacity=capacity,
        capacity_key=capacity_key,
        unplanned=sorted(plan_unplanned.items()),
    )
