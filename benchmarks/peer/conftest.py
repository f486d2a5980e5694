"""pytest-alembic's default tests on the project's revisions: the peer the guard is timed against.

Run with ``python -m pytest -p pytest_alembic benchmarks/peer --test-alembic
--alembic-tests-path benchmarks/peer/conftest.py`` in a venv holding the ``bench`` extra
(pytest-alembic does not collect under pytest 9.2). Same kind of server as the guard's: one
embedded PostgreSQL per session from the project's provider, a fresh database per test (as
pytest-mock-resources would give it), the project's alembic.ini and env.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic.config import Config
from sqlalchemy.engine import Engine

from backend.db.migrations_config import alembic_config as project_alembic_config
from backend.db.postgres import PostgresServer, postgres_server


@pytest.fixture(scope="session")
def peer_server() -> Iterator[PostgresServer]:
    with postgres_server("embedded") as server:
        yield server


@pytest.fixture
def alembic_config() -> Config:
    """The project's Alembic config (its alembic.ini, env.py and versions folder)."""
    return project_alembic_config()


@pytest.fixture
def alembic_engine(peer_server: PostgresServer) -> Iterator[Engine]:
    """An engine on a fresh empty database; env.py accepts it in attributes["connection"]."""
    engine = sa.create_engine(peer_server.fresh_database("peer"), poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()
