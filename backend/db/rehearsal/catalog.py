"""What the live schema is, read from ``pg_catalog``: the tables of ``public`` with their columns,
types, defaults, keys, unique indexes, foreign keys and CHECK expressions.

The generator must work on whatever schema a revision produced, so it never looks at the models.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pglast
import sqlalchemy as sa
from pglast import ast
from sqlalchemy.engine import Connection

SKIPPED_TABLES = frozenset({"alembic_version", "migration_audit"})


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str  # format_type(): safe to splice into SQL as a type name
    not_null: bool
    default: str | None
    identity: bool
    generated: bool
    category: str  # pg_type.typcategory of the base type (after domains and arrays)
    base_type: str  # typname of the base type (element type for arrays)
    length: int | None  # declared maximum length of varchar(n)/char(n), also of array elements
    precision: int | None
    scale: int | None
    is_array: bool
    element_type: str | None  # format_type of the element of an array
    labels: tuple[str, ...] | None  # enum labels in sort order
    dimensions: int | None  # vector(n)

    @property
    def fills_itself(self) -> bool:
        """Identity, generated and sequence/uuid-default columns are left to the server."""
        if self.identity or self.generated:
            return True
        if self.default is None:
            return False
        return (
            _default_calls(self.default) & {"nextval", "gen_random_uuid", "uuid_generate_v4"}
            != set()
        )


@dataclass(frozen=True)
class ForeignKey:
    name: str
    columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...]


@dataclass(frozen=True)
class UniqueKey:
    name: str
    columns: tuple[str, ...]  # columns the key or index reads (expressions: the columns in them)
    nulls_not_distinct: bool = False


@dataclass(frozen=True)
class Check:
    name: str
    expression: str  # pg_get_expr(conbin): PostgreSQL's own deparse


@dataclass
class Table:
    name: str
    columns: dict[str, Column] = field(default_factory=dict)
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    unique_keys: list[UniqueKey] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)


def walk(node: object):
    """Every pglast node under ``node`` (itself included)."""
    if isinstance(node, ast.Node):
        yield node
        for attribute in node:
            yield from walk(getattr(node, attribute))
    elif isinstance(node, tuple):
        for item in node:
            yield from walk(item)


def _default_calls(expression: str) -> set[str]:
    """Names of the functions a column default calls (``nextval('s'::regclass)`` -> nextval)."""
    try:
        (statement,) = pglast.parse_sql(f"SELECT {expression}")
    except pglast.parser.ParseError:
        return set()
    return {n.funcname[-1].sval for n in walk(statement.stmt) if isinstance(n, ast.FuncCall)}


def column_refs(expression: str) -> set[str]:
    """The column names an SQL expression reads (for expression indexes)."""
    (statement,) = pglast.parse_sql(f"SELECT {expression}")
    return {
        n.fields[-1].sval
        for n in walk(statement.stmt)
        if isinstance(n, ast.ColumnRef) and isinstance(n.fields[-1], ast.String)
    }


COLUMNS = sa.text(
    """
    SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS sql_type,
           a.attnotnull, pg_get_expr(d.adbin, d.adrelid) AS default_sql,
           a.attidentity <> '' AS identity, a.attgenerated <> '' AS generated,
           coalesce(nullif(t.typbasetype, 0), t.oid) AS base_oid,
           CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS typmod
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum
    """
)

TYPES = sa.text(
    """
    SELECT t.oid, t.typname, t.typcategory, t.typelem, format_type(t.typelem, NULL) AS element,
           (SELECT array_agg(e.enumlabel ORDER BY e.enumsortorder)
              FROM pg_enum e WHERE e.enumtypid = coalesce(nullif(t.typelem, 0), t.oid)) AS labels,
           et.typname AS element_name, et.typcategory AS element_category
    FROM pg_type t LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
    WHERE t.oid = ANY(:oids)
    """
)

CONSTRAINTS = sa.text(
    """
    SELECT c.relname, k.conname, k.contype,
           ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, i)
                 JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i),
           p.relname AS parent,
           ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(n, i)
                 JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i),
           CASE WHEN k.contype = 'c' THEN pg_get_expr(k.conbin, k.conrelid) END AS expression,
           coalesce(i.indnullsnotdistinct, false) AS nulls_not_distinct
    FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_class p ON p.oid = k.confrelid
    LEFT JOIN pg_index i ON i.indexrelid = k.conindid AND k.contype IN ('p', 'u')
    WHERE n.nspname = 'public' AND k.contype IN ('p', 'u', 'f', 'c')
    ORDER BY c.relname, k.conname
    """
)

UNIQUE_INDEXES = sa.text(
    """
    SELECT c.relname, ic.relname AS index_name, i.indnullsnotdistinct,
           ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
                 FROM generate_series(1, i.indnkeyatts) k) AS keys
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND i.indisunique
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
    ORDER BY c.relname, ic.relname
    """
)


def _type_numbers(sql_type: str, typmod: int, base_name: str) -> tuple[int | None, ...]:
    """(length, precision, scale, dimensions) from the type modifier."""
    if typmod < 0:
        return None, None, None, None
    if base_name in ("varchar", "bpchar"):
        return typmod - 4, None, None, None
    if base_name == "numeric":
        return None, ((typmod - 4) >> 16) & 0xFFFF, (typmod - 4) & 0xFFFF, None
    if base_name == "vector":
        return None, None, None, typmod
    return None, None, None, None


def read_schema(connection: Connection, schema_tables: set[str] | None = None) -> dict[str, Table]:
    """Every table of ``public`` (but the bookkeeping ones) as the catalog describes it now."""
    rows = connection.execute(COLUMNS).all()
    types = {
        row.oid: row
        for row in connection.execute(TYPES, {"oids": sorted({row.base_oid for row in rows})})
    }
    tables: dict[str, Table] = {}
    for row in rows:
        if row.relname in SKIPPED_TABLES:
            continue
        kind = types[row.base_oid]
        is_array = kind.typcategory == "A"
        base_name = kind.element_name if is_array else kind.typname
        length, precision, scale, dimensions = _type_numbers(row.sql_type, row.typmod, base_name)
        table = tables.setdefault(row.relname, Table(row.relname))
        table.columns[row.attname] = Column(
            name=row.attname,
            sql_type=row.sql_type,
            not_null=row.attnotnull,
            default=row.default_sql,
            identity=row.identity,
            generated=row.generated,
            category=kind.element_category if is_array else kind.typcategory,
            base_type=base_name,
            length=length,
            precision=precision,
            scale=scale,
            is_array=is_array,
            element_type=(row.sql_type.removesuffix("[]") if is_array else None),
            labels=tuple(kind.labels) if kind.labels else None,
            dimensions=dimensions,
        )
    for row in connection.execute(CONSTRAINTS):
        table = tables.get(row.relname)
        if table is None:
            continue
        if row.contype in ("p", "u"):
            table.unique_keys.append(UniqueKey(row.conname, tuple(row[3]), row.nulls_not_distinct))
        elif row.contype == "f":
            table.foreign_keys.append(
                ForeignKey(row.conname, tuple(row[3]), row.parent, tuple(row[5]))
            )
        else:
            table.checks.append(Check(row.conname, row.expression))
    for row in connection.execute(UNIQUE_INDEXES):
        table = tables.get(row.relname)
        if table is None:
            continue
        columns: list[str] = []
        for key in row.keys:
            for name in sorted(column_refs(key)):
                if name in table.columns and name not in columns:
                    columns.append(name)
        table.unique_keys.append(UniqueKey(row.index_name, tuple(columns), row.indnullsnotdistinct))
    return tables
