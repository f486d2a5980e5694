"""The expected schema, read from a live database's catalog, and the comparison with it.

A snapshot is plain data (dicts of strings) taken from ``pg_catalog``: tables and columns (type,
nullability, default), enum types with labels in order, other types, indexes with their
definitions, constraints, sequences, functions, views and extensions. The committed contract
(``backend/db/schema_contract.json``) is the snapshot of a database upgraded to head; the dry-run,
the downgrade test, the deploy verification and rebaselining all compare against snapshots.

A snapshot reads the same on every PostgreSQL major the project runs on (15 to 18), so a
contract made on one compares clean on another. The one difference in what the catalog shows
(probed with identity columns, sequences, partial and expression indexes, check, unique,
exclusion and foreign keys, defaults, generated columns, partitions, inheritance, views):
PostgreSQL 18 also records every NOT NULL as a ``pg_constraint`` row (``contype = 'n'``, named
``<table>_<column>_not_null``). Those rows are left out: the column's ``nullable`` already says
it, on every major. The snapshot records the major it was read on (``server_major``);
:func:`compare` ignores it and :func:`major_note` says when two majors met.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

# Bookkeeping tables of Alembic and the deploy: not part of the application schema.
EXCLUDED_TABLES = ("alembic_version", "migration_audit")
SCHEMA = "public"

Snapshot = dict[str, Any]

_TABLES = """
SELECT c.relname AS table_name, a.attname AS column_name,
       format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
       pg_get_expr(d.adbin, d.adrelid) AS default
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE n.nspname = :schema AND c.relkind IN ('r', 'p') AND c.relname <> ALL(:excluded)
"""
_ENUMS = """
SELECT t.typname AS name, e.enumlabel AS label
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname = :schema ORDER BY t.typname, e.enumsortorder
"""
# Composite types of tables and array types are implied by their tables; domains and free-standing
# composite types are objects a migration creates and must drop.
_OTHER_TYPES = """
SELECT t.typname AS name, t.typtype AS kind
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_class c ON c.oid = t.typrelid
WHERE n.nspname = :schema AND t.typtype IN ('d', 'r', 'm', 'c')
  AND (t.typtype <> 'c' OR c.relkind = 'c')
"""
_INDEXES = """
SELECT indexname AS name, tablename AS table_name, indexdef AS definition
FROM pg_indexes WHERE schemaname = :schema AND tablename <> ALL(:excluded)
"""
_CONSTRAINTS = """
SELECT c.relname AS table_name, k.conname AS name, k.contype AS kind,
       pg_get_constraintdef(k.oid) AS definition
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema AND c.relname <> ALL(:excluded) AND k.contype <> 'n'
"""
# What renders differently from a major on, and how the snapshot evens it out: 18's NOT NULL
# constraints (contype 'n', left out above) are the columns' nullability, which every major
# records in pg_attribute.attnotnull.
NORMALIZED_SINCE = ((18, "NOT NULL constraints folded into nullability"),)
# A sequence owned by an excluded table (migration_audit.id) is excluded with it.
_SEQUENCES = """
SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema AND c.relkind = 'S' AND NOT EXISTS (
  SELECT 1 FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid
  WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
    AND t.relname = ANY(:excluded))
"""
_VIEWS = """
SELECT c.relname AS name, pg_get_viewdef(c.oid) AS definition
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema AND c.relkind IN ('v', 'm')
"""
# Functions that belong to an extension (pgvector defines ~100) are the extension's, not ours.
_FUNCTIONS = """
SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS name
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = :schema AND NOT EXISTS (
  SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
"""
_EXTENSIONS = "SELECT extname AS name FROM pg_extension WHERE extname <> 'plpgsql'"
_SERVER_MAJOR = "SELECT current_setting('server_version_num')::int / 10000"

CONSTRAINT_KINDS = {
    "p": "primary key",
    "u": "unique",
    "f": "foreign key",
    "c": "check",
    "x": "exclude",
}


def snapshot(connection: Connection) -> Snapshot:
    """Read the whole schema of ``public`` from the catalog of the connected database.

    Reading begins a transaction when none is open; that one is ended here, so the caller's next
    migration or write starts clean. A transaction the caller already holds is left to it.
    """
    began = not connection.in_transaction()
    try:
        return _read_catalog(connection)
    finally:
        if began and connection.in_transaction():
            connection.rollback()


def _read_catalog(connection: Connection) -> Snapshot:
    def rows(sql: str):
        return connection.execute(
            sa.text(sql), {"schema": SCHEMA, "excluded": list(EXCLUDED_TABLES)}
        ).mappings()

    tables: dict[str, dict[str, Any]] = {}
    for row in rows(_TABLES):
        columns = tables.setdefault(row["table_name"], {})
        columns[row["column_name"]] = {
            "type": row["type"],
            "nullable": row["nullable"],
            "default": row["default"],
        }
    enums: dict[str, list[str]] = {}
    for row in rows(_ENUMS):
        enums.setdefault(row["name"], []).append(row["label"])
    return {
        "server_major": connection.execute(sa.text(_SERVER_MAJOR)).scalar_one(),
        "tables": {name: dict(sorted(cols.items())) for name, cols in sorted(tables.items())},
        "enums": dict(sorted(enums.items())),
        "types": {r["name"]: r["kind"] for r in sorted(rows(_OTHER_TYPES), key=_name)},
        "indexes": {
            r["name"]: {"table": r["table_name"], "definition": r["definition"]}
            for r in sorted(rows(_INDEXES), key=_name)
        },
        "constraints": {
            f"{r['table_name']}.{r['name']}": {
                "kind": CONSTRAINT_KINDS.get(r["kind"], r["kind"]),
                "definition": r["definition"],
            }
            for r in sorted(rows(_CONSTRAINTS), key=lambda r: (r["table_name"], r["name"]))
        },
        "sequences": sorted(r["name"] for r in rows(_SEQUENCES)),
        "views": {r["name"]: r["definition"] for r in sorted(rows(_VIEWS), key=_name)},
        "functions": sorted(r["name"] for r in rows(_FUNCTIONS)),
        "extensions": sorted(r["name"] for r in rows(_EXTENSIONS)),
    }


def _name(row) -> str:
    return row["name"]


MISSING, UNEXPECTED, CHANGED = "missing", "unexpected", "changed"
_PLURALS = {"index": "indexes"}
_CHANGES = {
    MISSING: "missing from the database",
    UNEXPECTED: "in the database but not expected",
    CHANGED: "that differ",
}


@dataclass(frozen=True)
class Difference:
    """One way a live schema differs from the expected one."""

    kind: str  # table, column, enum, type, index, constraint, sequence, view, function, extension
    name: str
    message: str
    change: str = CHANGED  # MISSING, UNEXPECTED or CHANGED

    def __str__(self) -> str:
        return self.message

    @property
    def group(self) -> str:
        """Its kind of difference in plural words: "constraints in the database but not expected"."""
        return f"{_PLURALS.get(self.kind, self.kind + 's')} {_CHANGES[self.change]}"


def compare(live: Snapshot, expected: Snapshot) -> list[Difference]:
    """Every difference between ``live`` and ``expected``, each named; empty when they agree.

    The majors they were read on (``server_major``) are no difference: see :func:`major_note`.
    """
    diffs: list[Difference] = []
    diffs += _compare_tables(live["tables"], expected["tables"])
    diffs += _compare_mapping("enum", live["enums"], expected["enums"], "labels")
    diffs += _compare_mapping("type", live.get("types", {}), expected.get("types", {}), "kind")
    diffs += _compare_mapping("index", live["indexes"], expected["indexes"], "definition")
    diffs += _compare_mapping(
        "constraint", live["constraints"], expected["constraints"], "definition"
    )
    diffs += _compare_mapping(
        "view", live.get("views", {}), expected.get("views", {}), "definition"
    )
    for kind, key in (
        ("sequence", "sequences"),
        ("function", "functions"),
        ("extension", "extensions"),
    ):
        diffs += _compare_sets(kind, live.get(key, []), expected.get(key, []))
    return diffs


def _compare_tables(live: dict, expected: dict) -> list[Difference]:
    diffs = _compare_sets("table", live, expected)
    for table in sorted(set(live) & set(expected)):
        diffs += _compare_mapping(
            "column", live[table], expected[table], "definition", prefix=f"{table}."
        )
    return diffs


def _compare_sets(kind: str, live, expected, prefix: str = "") -> list[Difference]:
    diffs = [
        Difference(
            kind, prefix + name, f"{kind} {prefix}{name} is missing from the database", MISSING
        )
        for name in sorted(set(expected) - set(live))
    ]
    diffs += [
        Difference(
            kind,
            prefix + name,
            f"{kind} {prefix}{name} is in the database but not expected",
            UNEXPECTED,
        )
        for name in sorted(set(live) - set(expected))
    ]
    return diffs


def _compare_mapping(
    kind: str, live: dict, expected: dict, what: str, prefix: str = ""
) -> list[Difference]:
    diffs = _compare_sets(kind, live, expected, prefix)
    for name in sorted(set(live) & set(expected)):
        if live[name] != expected[name]:
            full = prefix + name
            diffs.append(
                Difference(
                    kind,
                    full,
                    f"{kind} {full} differs in {_changed(live[name], expected[name], what)}: "
                    f"database has {_show(live[name])}, expected {_show(expected[name])}",
                )
            )
    return diffs


def _changed(live: Any, expected: Any, what: str) -> str:
    if isinstance(live, dict) and isinstance(expected, dict):
        keys = [k for k in sorted(set(live) | set(expected)) if live.get(k) != expected.get(k)]
        return ", ".join(keys)
    return what


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={v!r}" for k, v in value.items()) + "}"
    return repr(value)


def major_note(live: Snapshot, expected: Snapshot) -> str | None:
    """One line when ``expected`` was made on another PostgreSQL major than ``live`` was read on.

    "contract made on PostgreSQL 16, compared on 18 (NOT NULL constraints folded into
    nullability)"; None for the same major, or a contract that does not record its major.
    """
    made, seen = expected.get("server_major"), live.get("server_major")
    if made is None or seen is None or made == seen:
        return None
    evened = [
        what for since, what in NORMALIZED_SINCE if min(made, seen) < since <= max(made, seen)
    ]
    return f"contract made on PostgreSQL {made}, compared on {seen}" + (
        f" ({'; '.join(evened)})" if evened else ""
    )


# More differences than this print as a count by kind and the first few of each kind.
MANY_DIFFERENCES = 20
SHOWN_PER_KIND = 5


def abridge(
    groups: Sequence[str],
    noun: str = "differences",
    every_one: str = "",
    shown: int = SHOWN_PER_KIND,
) -> list[int | str]:
    """How to print, for people, a long list of items whose kinds are ``groups`` (one per item).

    Up to :data:`MANY_DIFFERENCES` items: every index, in order. More: a summary line ("495
    differences: 495 constraints in the database but not expected", then ``every_one``, where
    to see them all), then per kind, in order of first appearance, the indexes of its first
    ``shown`` items and a line for the rest ("... and 490 more constraints in the database but
    not expected"). Strings are lines to print, ints the items to print there. Machine formats
    keep every item and never call this.
    """
    if len(groups) <= MANY_DIFFERENCES:
        return list(range(len(groups)))
    members: dict[str, list[int]] = {}
    for index, group in enumerate(groups):
        members.setdefault(group, []).append(index)
    counts = ", ".join(f"{len(indexes)} {group}" for group, indexes in members.items())
    layout: list[int | str] = [
        f"{len(groups)} {noun}: {counts}; the first {shown} of each kind"
        + (f" ({every_one})" if every_one else "")
    ]
    for group, indexes in members.items():
        layout += indexes[:shown]
        if len(indexes) > shown:
            layout.append(f"... and {len(indexes) - shown} more {group}")
    return layout


def summary(snap: Snapshot) -> str:
    """A one-line count of the schema: "58 tables, 9 enum types, 215 indexes, extensions: vector"."""
    return (
        f"{len(snap['tables'])} tables, {len(snap['enums'])} enum types, "
        f"{len(snap['indexes'])} indexes, extensions: {', '.join(snap['extensions']) or 'none'}"
    )


def load(path: str | Path) -> Snapshot:
    """Read a committed contract."""
    return json.loads(Path(path).read_text())


def write(snap: Snapshot, path: str | Path) -> None:
    """Write a contract as sorted, indented JSON so that its diffs read well in review."""
    Path(path).write_text(json.dumps(snap, indent=2, sort_keys=True) + "\n")
