"""Build a schema the way production would get it, by migrating a fresh database, and read it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, Connection

from backend.db import schema_contract
from backend.db.migrations_config import SCHEMA_CONTRACT, script_directory
from backend.db.migrator.stepper import Stepper
from backend.db.postgres import PostgresServer, postgres_server
from backend.db.session import scratch_connection


def upgrade_connection(
    connection: Connection, target: str = "heads", versions_dir: str | Path | None = None
) -> None:
    """Migrate the database on ``connection`` to ``target`` with the project's env.py, one
    committed transaction per revision (the kernel's Stepper, as the guard and the deploy do)."""
    Stepper(script_directory(versions_dir), connection).upgrade(target)


def upgrade_database(
    url: URL, target: str = "heads", versions_dir: str | Path | None = None
) -> None:
    """Migrate the database at ``url`` to ``target`` in-process with the project's env.py."""
    with scratch_connection(url) as connection:
        upgrade_connection(connection, target, versions_dir)


def migrated_snapshot(
    server: PostgresServer, versions_dir: str | Path | None = None, target: str = "heads"
) -> schema_contract.Snapshot:
    """Upgrade a fresh database on ``server`` to ``target`` and return its catalog snapshot."""
    url = server.fresh_database("contract")
    try:
        with scratch_connection(url) as connection:
            upgrade_connection(connection, target, versions_dir)
            return schema_contract.snapshot(connection)
    finally:
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
