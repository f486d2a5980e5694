"""The only declarative Base of the backend, and the engine and session factories.

Every model module subclasses :class:`Base` from here (through ``backend.db.base``). A second
``DeclarativeBase`` would get its own ``MetaData``; Alembic would not see its tables and
autogenerate would propose to drop them ("table not found" in production).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import MetaData, create_engine
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import NullPool

# Deterministic names for every constraint and index, so that a migration written today and the
# models compared tomorrow agree on names (autogenerate compares by name).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The declarative Base shared by all 58 tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def database_url(url: str | URL | None = None) -> URL:
    """The URL to use: the one given, else ``DATABASE_URL``; always with the psycopg2 driver."""
    raw = url if url is not None else os.environ.get("DATABASE_URL")
    if not raw:
        raise RuntimeError("DATABASE_URL is not set")
    parsed = make_url(raw) if isinstance(raw, str) else raw
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg2")
    return parsed


def make_engine(url: str | URL | None = None, **kwargs: object) -> Engine:
    """An engine for ``url`` (or ``DATABASE_URL``)."""
    return create_engine(database_url(url), **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine``."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def scratch_connection(url: str | URL) -> Iterator[Connection]:
    """One connection to ``url`` with no pool left behind (the engine is disposed on exit).

    For tools that visit a database once: a check, a proof, a snapshot, a migration.
    """
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()
