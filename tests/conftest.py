"""One real PostgreSQL per test run (embedded unless TEST_POSTGRES says otherwise), a fresh
database per test that asks for one."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from backend.db.fresh_schema import upgrade_database
from backend.db.postgres import PostgresServer, postgres_server


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    with postgres_server(os.environ.get("TEST_POSTGRES", "auto")) as server:
        print(f"\ntests use {server.describe()}")
        yield server


@pytest.fixture
def fresh_db(pg_server: PostgresServer) -> Iterator[URL]:
    url = pg_server.fresh_database("test")
    yield url
    pg_server.drop_database(url)


@pytest.fixture
def engine(fresh_db: URL) -> Iterator[Engine]:
    engine = sa.create_engine(fresh_db, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_template(pg_server: PostgresServer) -> str:
    """A database upgraded to head once per run; tests clone it instead of migrating again."""
    url = pg_server.fresh_database("template_head")
    upgrade_database(url)
    return url.database


@pytest.fixture
def migrated_db(pg_server: PostgresServer, migrated_template: str) -> Iterator[URL]:
    url = pg_server.fresh_database("migrated", template=migrated_template)
    yield url
    pg_server.drop_database(url)
