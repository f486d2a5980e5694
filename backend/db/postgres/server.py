"""A running PostgreSQL server that hands out fresh databases, whoever started it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import URL

from backend.db.urls import render_url


@dataclass
class PostgresServer:
    """A server to create scratch databases on; ``close()`` drops them and stops what we started.

    ``admin_url`` points at a maintenance database of a role allowed to ``CREATE DATABASE``.
    """

    kind: str
    admin_url: URL
    stop: Callable[[], None] = lambda: None
    version: str = ""
    # A server we started and will destroy needs no DROP DATABASE at the end (saves a round trip
    # per database); a user's own server given by URL gets back exactly what it had.
    owns_server: bool = False
    created: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # One AUTOCOMMIT engine for the run: CREATE/DROP DATABASE cannot run in a transaction.
        self._admin = sa.create_engine(
            self.admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool
        )
        if not self.version:
            with self._admin.connect() as conn:
                self.version = conn.execute(sa.text("SHOW server_version")).scalar_one()

    def describe(self) -> str:
        """One line for the report: which Postgres and its version, never a password."""
        return f"{self.kind} PostgreSQL {self.version} at {render_url(self.admin_url)}"

    def fresh_database(self, prefix: str = "scratch", template: str = "template0") -> URL:
        """Create a database copied from ``template`` (empty by default) and return its URL."""
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with self._admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        self.created.append(name)
        return self.admin_url.set(database=name)

    def drop_database(self, url: URL) -> None:
        """Drop a database made by :meth:`fresh_database`, closing its leftover connections."""
        name = url.database
        with self._admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if name in self.created:
            self.created.remove(name)

    def close(self) -> None:
        """Drop every database we created, then stop the server if we started it."""
        try:
            for name in [] if self.owns_server else list(self.created):
                self.drop_database(self.admin_url.set(database=name))
        finally:
            self._admin.dispose()
            self.stop()
