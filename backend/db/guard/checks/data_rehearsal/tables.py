"""The tables of ``public`` between two steps of a rehearsal: their row counts and their shape.

Both are read in one statement each (a walk reads them around every revision): the counts say
whether an upgrade lost rows and which tables need topping up, the shape (columns, types,
nullability, enum labels) says which tables a revision changed, so only those get rows of the
new schema.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from backend.db.rehearsal.catalog import SKIPPED_TABLES

_TABLES = sa.text(
    """
    SELECT c.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    ORDER BY c.relname
    """
)

# One line per table: each column's name, type, NOT NULL and (for an enum) its labels in order.
_SHAPES = sa.text(
    """
    SELECT c.relname,
           string_agg(
               a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
               || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
               || coalesce(' (' || (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                                    FROM pg_enum e WHERE e.enumtypid = a.atttypid) || ')', ''),
               '; ' ORDER BY a.attnum) AS shape
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    GROUP BY c.relname
    """
)


_PARENTS = sa.text(
    """
    SELECT DISTINCT child.relname, parent.relname
    FROM pg_constraint k
    JOIN pg_class child ON child.oid = k.conrelid
    JOIN pg_class parent ON parent.oid = k.confrelid
    JOIN pg_namespace n ON n.oid = child.relnamespace
    WHERE k.contype = 'f' AND n.nspname = 'public' AND child.oid <> parent.oid
    """
)


def _names(connection: Connection) -> list[str]:
    return [name for name in connection.execute(_TABLES).scalars() if name not in SKIPPED_TABLES]


def row_counts(connection: Connection) -> dict[str, int]:
    """Rows per table of ``public`` (but the bookkeeping tables), in one statement."""
    names = _names(connection)
    if not names:
        return {}
    quote = connection.dialect.identifier_preparer.quote
    union = " UNION ALL ".join(
        f"SELECT CAST(:t{i} AS text), count(*) FROM {quote(name)}" for i, name in enumerate(names)
    )
    params = {f"t{i}": name for i, name in enumerate(names)}
    return dict(connection.execute(sa.text(union), params).all())


def table_shapes(connection: Connection) -> dict[str, str]:
    """Each table's columns as one comparable line (see ``_SHAPES``)."""
    return {
        name: shape for name, shape in connection.execute(_SHAPES) if name not in SKIPPED_TABLES
    }


def changed_tables(before: dict[str, str], after: dict[str, str]) -> set[str]:
    """The tables that are new in ``after`` or whose shape differs from ``before``."""
    return {name for name, shape in after.items() if before.get(name) != shape}


def with_ancestors(connection: Connection, tables: set[str]) -> set[str]:
    """``tables`` and every table they reference through foreign keys, transitively.

    Rows appended to a table whose foreign key is unique need parents no row uses yet, so its
    parents are topped up with it."""
    parents: dict[str, set[str]] = {}
    for child, parent in connection.execute(_PARENTS):
        parents.setdefault(child, set()).add(parent)
    found, waiting = set(tables), list(tables)
    while waiting:
        for parent in parents.get(waiting.pop(), ()):
            if parent not in found and parent not in SKIPPED_TABLES:
                found.add(parent)
                waiting.append(parent)
    return found
