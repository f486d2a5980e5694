"""Build a schema the way production would get it, by migrating a fresh database, and read it."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import URL

from backend.db import schema_contract
from backend.db.migrations_config import SCHEMA_CONTRACT, alembic_config
from backend.db.postgres import PostgresServer, postgres_server


def upgrade_database(
    url: URL, target: str = "heads", versions_dir: str | Path | None = None
) -> None:
    """Migrate the database at ``url`` to ``target`` in-process with the project's env.py."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            command.upgrade(alembic_config(versions_dir, connection=connection), target)
            connection.commit()
    finally:
        engine.dispose()


def migrated_snapshot(
    server: PostgresServer, versions_dir: str | Path | None = None, target: str = "heads"
) -> schema_contract.Snapshot:
    """Upgrade a fresh database on ``server`` to ``target`` and return its catalog snapshot."""
    url = server.fresh_database("contract")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            command.upgrade(alembic_config(versions_dir, connection=connection), target)
            connection.commit()
            return schema_contract.snapshot(connection)
    finally:
        engine.dispose()
        server.drop_database(url)


def regenerate_contract(
    path: str | Path = SCHEMA_CONTRACT,
    versions_dir: str | Path | None = None,
    postgres: str = "auto",
    database_url: str | None = None,
) -> tuple[schema_contract.Snapshot, str]:
    """Write the contract from a freshly migrated database; return it and the server used."""
    with postgres_server(postgres, database_url) as server:
        snap = migrated_snapshot(server, versions_dir)
        schema_contract.write(snap, path)
        return snap, server.describe()
