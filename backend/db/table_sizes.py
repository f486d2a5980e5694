"""How many rows each table holds in production: read from a live database's statistics, kept in
``backend/db/table_sizes.json``, used by ``migration-guard lock-test`` to predict lock times.

Only row estimates are read (``pg_class.reltuples``, ``pg_stat_user_tables.n_live_tup``): no row
of data, no ``count(*)`` scan, nothing written.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from backend.db.migrations_config import REPO_ROOT

TABLE_SIZES = REPO_ROOT / "backend" / "db" / "table_sizes.json"
# What lock-test assumes of every table when no sizes file says otherwise.
DEFAULT_ROWS = 1_000_000

_ESTIMATES = sa.text(
    """
    SELECT c.relname, greatest(c.reltuples, coalesce(s.n_live_tup, 0), 0)::bigint
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'alembic_version'
    ORDER BY c.relname
    """
)


class TableSizesError(ValueError):
    """A sizes file that is missing or not a JSON object of table -> row count."""


def estimates(connection: Connection) -> dict[str, int]:
    """Each table of ``public`` and its estimated row count (never reads a row).

    ``reltuples`` is -1 for a table never vacuumed or analysed (PostgreSQL 14+); the live-tuple
    counter covers it, and the greater of the two is taken."""
    return {name: int(rows) for name, rows in connection.execute(_ESTIMATES)}


def write(path: Path, sizes: dict[str, int]) -> None:
    path.write_text(json.dumps(dict(sorted(sizes.items())), indent=2) + "\n")


def load(path: Path) -> dict[str, int]:
    """The sizes in ``path``; :class:`TableSizesError` names the file and what is wrong."""
    try:
        data = json.loads(Path(path).read_text())
    except OSError as exc:
        raise TableSizesError(f"cannot read table sizes {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise TableSizesError(f"table sizes {path} is not JSON: {exc}") from None
    if not isinstance(data, dict) or not all(
        isinstance(rows, int) and not isinstance(rows, bool) and rows >= 0 for rows in data.values()
    ):
        raise TableSizesError(
            f"table sizes {path} must be a JSON object of table name -> row count (>= 0)"
        )
    return {str(name): rows for name, rows in data.items()}


def from_database(url: str | sa.engine.URL | None = None) -> dict[str, int]:
    """The estimates of the database at ``url`` (default ``DATABASE_URL``), read in a read-only
    transaction. Errors carry the URL with its password masked."""
    from backend.db.session import database_url, scratch_connection
    from backend.db.urls import mask_text, render_url

    target = database_url(url)
    try:
        with scratch_connection(target) as connection:
            connection.execute(sa.text("SET TRANSACTION READ ONLY"))
            return estimates(connection)
    except sa.exc.DBAPIError as exc:
        reason = mask_text(str(exc.orig or exc).strip().splitlines()[0], target)
        raise TableSizesError(
            f"cannot read table sizes from {render_url(target)}: {reason}"
        ) from None
