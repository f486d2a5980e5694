"""The row generator against its floor, in SQL on the bench's running server.

The generator (``backend.db.rehearsal.fill``) writes rows that satisfy every key, foreign key and
CHECK, in hard shapes, into the real tables (indexes and constraints checked). Its floor is the
least work that writes as many rows: per table, one ``INSERT ... SELECT`` of one constant row
(a row the generator made) ``FROM generate_series`` into a copy of the table with its columns and
NOT NULLs but no index, key or CHECK. Both are timed inside one transaction, connecting excluded.
"""

from __future__ import annotations

import time

import sqlalchemy as sa

from backend.db.rehearsal import DEFAULT_ROWS, fill
from backend.db.rehearsal.catalog import read_schema

FLOOR_SCHEMA = "rows_floor"


def fill_seconds(url, rows: int = DEFAULT_ROWS) -> tuple[float, int]:
    """(seconds, rows written) of one ``fill`` of every table of a database at head."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            report = fill(connection, rows, shapes=False)
            connection.commit()
            return report.seconds, report.rows
    finally:
        engine.dispose()


def floor_seconds(url, rows: int = DEFAULT_ROWS) -> tuple[float, int]:
    """(seconds, rows written) of the floor on a database at head whose tables hold rows (one
    of them is the constant row); the copies are made untimed."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            quote = connection.dialect.identifier_preparer.quote
            names = sorted(read_schema(connection))
            connection.execute(sa.text(f"CREATE SCHEMA {FLOOR_SCHEMA}"))
            for name in names:
                connection.execute(
                    sa.text(f"CREATE TABLE {FLOOR_SCHEMA}.{quote(name)} (LIKE {quote(name)})")
                )
            connection.commit()
            started = time.perf_counter()
            written = 0
            for name in names:
                written += connection.execute(
                    sa.text(
                        f"INSERT INTO {FLOOR_SCHEMA}.{quote(name)} SELECT r.* "
                        f"FROM generate_series(1, :rows), (SELECT * FROM {quote(name)} LIMIT 1) AS r"
                    ),
                    {"rows": rows},
                ).rowcount
            connection.commit()
            return time.perf_counter() - started, written
    finally:
        engine.dispose()
