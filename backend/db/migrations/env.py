"""Alembic environment: URL from the caller or ``DATABASE_URL``, metadata from ``backend.db.base``.

Callers inside the product (guard, deploy, tests) pass an open Connection or an Engine in
``config.attributes["connection"]`` (pytest-alembic passes an Engine); the CLI uses DATABASE_URL.
Each revision runs in its own transaction, so a failure leaves the database at the last good one.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection, Engine

from backend.db.base import Base
from backend.db.session import database_url

# Tables owned by tools rather than by the models: never proposed for dropping by autogenerate.
NON_MODEL_TABLES = frozenset({"alembic_version", "migration_audit"})

config = context.config
target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "table" and name in NON_MODEL_TABLES)


def configure_options() -> dict:
    return {
        "target_metadata": target_metadata,
        "compare_type": True,
        "compare_server_default": True,
        "include_object": include_object,
        "transaction_per_migration": True,
        # The deploy writes its audit row inside each revision's own transaction.
        "on_version_apply": config.attributes.get("on_version_apply", ()),
    }


def run_migrations_offline() -> None:
    # Offline SQL needs only the dialect: a bare postgresql URL serves when none is configured.
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    if not url and not os.environ.get("DATABASE_URL"):
        url = "postgresql+psycopg2://"
    url = database_url(url or None)
    context.configure(url=url, literal_binds=True, **configure_options())
    with context.begin_transaction():
        context.run_migrations()


def run_on(connection: Connection) -> None:
    context.configure(connection=connection, **configure_options())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given = config.attributes.get("connection")
    if isinstance(given, Connection):
        run_on(given)
        return
    if isinstance(given, Engine):
        with given.connect() as connection:
            run_on(connection)
            connection.commit()
        return
    from sqlalchemy import create_engine

    url = database_url(config.get_main_option("sqlalchemy.url") or None)
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            run_on(connection)
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
