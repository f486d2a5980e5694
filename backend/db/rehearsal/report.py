"""What a fill did: rows per table, the hard shapes found in the data, and warnings.

Shapes are read back from the tables after the INSERTs (one aggregate query per table), so the
report says what the data holds, not what the planner meant to write.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from backend.db.rehearsal.catalog import Column, Table


@dataclass(frozen=True)
class FillWarning:
    """A constraint the generator could not satisfy: the table got fewer rows than asked."""

    table: str
    constraint: str | None
    message: str


@dataclass
class TableReport:
    table: str
    requested: int
    inserted: int = 0
    shapes: dict[str, frozenset[str]] = field(default_factory=dict)
    labels: dict[str, frozenset[str]] = field(default_factory=dict)
    unplanned_checks: tuple[str, ...] = ()


@dataclass
class FillReport:
    tables: dict[str, TableReport] = field(default_factory=dict)
    warnings: list[FillWarning] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(t.inserted for t in self.tables.values())

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def enum_labels(self, tables: dict[str, Table]) -> dict[str, set[str]]:
        """Labels seen per enum type, over every column of that type."""
        seen: dict[str, set[str]] = {}
        for report in self.tables.values():
            for name, labels in report.labels.items():
                seen.setdefault(tables[report.table].columns[name].sql_type, set()).update(labels)
        return seen


# pg_input_is_valid, which tells "not a number or a date" without raising, came with 16; on 15
# those two text shapes are not probed (the rows still hold them: only the report is silent).
INPUT_IS_VALID_SINCE = 16


def _probes(column: Column, q: str, server_major: int = INPUT_IS_VALID_SINCE) -> dict[str, str]:
    """Shape name -> SQL aggregate that is true when the column's data shows it."""
    probes = {
        "null": f"bool_or({q} IS NULL)",
        "repeated": f"count({q}) > count(DISTINCT CAST({q} AS text))",
    }
    if column.is_array:
        probes["empty_array"] = f"bool_or(cardinality({q}) = 0)"
        probes["non_empty_array"] = f"bool_or(cardinality({q}) > 0)"
        return probes
    if column.category == "S":
        text = f"CAST({q} AS text)"
        if column.length is not None:
            probes["max_length"] = f"bool_or(char_length({text}) = {int(column.length)})"
        probes["empty_text"] = f"bool_or({text} = '')"
        if server_major < INPUT_IS_VALID_SINCE:
            return probes
        probes["not_number_or_date"] = (
            f"bool_or({text} <> '' AND NOT pg_input_is_valid({text}, 'numeric')"
            f" AND NOT pg_input_is_valid({text}, 'date'))"
        )
        probes["number_like_text"] = (
            f"bool_or(left({text}, 1) BETWEEN '0' AND '9' AND NOT pg_input_is_valid({text}, 'numeric'))"
        )
    elif column.category == "N":
        probes["zero"] = f"bool_or({q} = 0)"
        probes["negative"] = f"bool_or({q} < 0)"
    elif column.category == "D" and column.base_type in ("date", "timestamp", "timestamptz"):
        probes["past"] = f"bool_or({q} < now())"
        probes["future"] = f"bool_or({q} > now())"
    elif column.base_type in ("json", "jsonb"):
        value = f"CAST({q} AS jsonb)"
        probes["empty_json"] = f"bool_or({value} IN (CAST('{{}}' AS jsonb), CAST('[]' AS jsonb)))"
        probes["nested_json"] = (
            f"bool_or(jsonb_path_exists({value}, "
            '\'strict $.**{1 to last} ? (@.type() == "object" || @.type() == "array")\'))'
        )
    elif column.base_type == "bool":
        probes["both_booleans"] = f"count(DISTINCT {q}) = 2"
    elif column.base_type == "vector" and column.dimensions:
        probes["vector_dimension"] = f"bool_and(vector_dims({q}) = {int(column.dimensions)})"
    return probes


def survey(connection: Connection, table: Table, quote) -> tuple[dict, dict]:
    """(column -> shapes present, enum column -> labels present) from the table's data."""
    selects: list[str] = []
    keys: list[tuple[str, str]] = []
    major = connection.dialect.server_version_info[0]
    for column in table.columns.values():
        for shape, sql in _probes(column, quote(column.name), major).items():
            selects.append(f"coalesce({sql}, false)")
            keys.append((column.name, shape))
        if column.labels and not column.is_array:
            selects.append(f"array_agg(DISTINCT CAST({quote(column.name)} AS text))")
            keys.append((column.name, "\x00labels"))
    if not selects:
        return {}, {}
    row = connection.execute(sa.text(f"SELECT {', '.join(selects)} FROM {quote(table.name)}")).one()
    shapes: dict[str, set[str]] = {}
    labels: dict[str, frozenset[str]] = {}
    for (name, shape), value in zip(keys, row, strict=True):
        if shape == "\x00labels":
            labels[name] = frozenset(v for v in value or () if v is not None)
        elif value:
            shapes.setdefault(name, set()).add(shape)
    return {n: frozenset(s) for n, s in shapes.items()}, labels
