"""One real PostgreSQL per test run (embedded unless TEST_POSTGRES says otherwise), a fresh
database per test that asks for one."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import settings
from sqlalchemy.engine import URL, Engine

from backend.db.fresh_schema import upgrade_database
from backend.db.postgres import PostgresServer, postgres_server
from backend.db.postgres.embedded_server import VERSION_ENV
from backend.db.postgres.majors import major_of
from backend.db.postgres.provider import start_server

# CI runs the property tests on the same examples every time (a verdict that does not depend on
# the draw); a developer's run draws new ones and finds what CI's examples miss.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    with postgres_server(os.environ.get("TEST_POSTGRES", "auto")) as server:
        print(f"\ntests use {server.describe()}")
        yield server


@pytest.fixture(scope="session")
def other_major_server(pg_server: PostgresServer) -> Iterator[PostgresServer]:
    """An embedded server of the other bundled major (18, or 16 when the session runs on 18),
    started the first time a test asks: a contract made on one major must hold on the other."""
    major = 16 if major_of(pg_server.version) == 18 else 18
    with pytest.MonkeyPatch.context() as env:
        env.setenv(VERSION_ENV, str(major))
        server = start_server("embedded")  # the variable is read at start only
    try:
        yield server
    finally:
        server.close()


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
def migrated_template_db(
    pg_server: PostgresServer,
) -> Callable[..., str]:
    """``migrated_template_db(prefix, target="heads", versions_dir=None)``: a database migrated
    to ``target`` once, returned by name for ``clone_of`` (make it in a session fixture)."""

    def make(prefix: str, target: str = "heads", versions_dir: Path | None = None) -> str:
        url = pg_server.fresh_database(prefix)
        upgrade_database(url, target, versions_dir)
        return url.database

    return make


@pytest.fixture
def clone_of(pg_server: PostgresServer) -> Iterator[Callable[[str, str], URL]]:
    """``clone_of(template, prefix)``: a fresh copy of the database ``template`` for this test,
    dropped after it. Cheaper than migrating again."""
    clones: list[URL] = []

    def clone(template: str, prefix: str = "clone") -> URL:
        clones.append(pg_server.fresh_database(prefix, template=template))
        return clones[-1]

    yield clone
    for url in clones:
        pg_server.drop_database(url)


@pytest.fixture(scope="session")
def migrated_template(migrated_template_db) -> str:
    """A database upgraded to head once per run; tests clone it instead of migrating again."""
    return migrated_template_db("template_head")


@pytest.fixture
def migrated_db(clone_of, migrated_template: str) -> URL:
    return clone_of(migrated_template, "migrated")
