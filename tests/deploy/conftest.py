"""Helpers of the deploy tests: a fresh database as a URL string, the CLI in-process, catalog reads.

The rebaseline's adoption tests run the deploy CLI too and import these (``deploy.conftest``)."""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from backend.db.deploy.cli import main
from backend.db.session import scratch_connection

CHAINS = Path(__file__).parent / "chains"
GOOD = CHAINS / "good"
FAILING_MIDDLE = CHAINS / "failing_middle"
REPO = Path(__file__).resolve().parents[2]
DB_ENV = ("DATABASE_URL", "DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD", "DB_NAME")


# tasks.py lives at the repository root, outside any package.
_spec = importlib.util.spec_from_file_location("tasks", REPO / "tasks.py")
tasks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tasks)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No database setting leaks in from the machine running the tests."""
    for name in (*DB_ENV, "DEPLOY_TEST_SLEEP"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def db_url(fresh_db: URL) -> str:
    """The fresh database's URL as text, password included (as an operator would pass it)."""
    return fresh_db.render_as_string(hide_password=False)


Deploy = Callable[..., tuple[int, str]]


def run_cli(*args: str | Path) -> tuple[int, str]:
    """The deploy CLI in-process: exit code and output."""
    out = io.StringIO()
    code = main([str(a) for a in args], file=out)
    return code, out.getvalue()


@pytest.fixture
def deploy() -> Deploy:
    """Run the CLI in-process: ``deploy(*args) -> (exit code, output)``."""
    return run_cli


def rows(url: str | URL, sql: str, **params: object) -> list[tuple]:
    with scratch_connection(url) as conn:
        return [tuple(row) for row in conn.execute(sa.text(sql), params)]


def scalar(url: str | URL, sql: str, **params: object) -> object:
    with scratch_connection(url) as conn:
        return conn.execute(sa.text(sql), params).scalar()


def current_revision(url: str | URL) -> str | None:
    if not scalar(url, "SELECT to_regclass('alembic_version') IS NOT NULL"):
        return None
    return scalar(url, "SELECT version_num FROM alembic_version")


def table_exists(url: str | URL, name: str) -> bool:
    return bool(scalar(url, "SELECT to_regclass(:n) IS NOT NULL", n=name))


def audit_rows(url: str | URL) -> list[tuple[str, str]]:
    """(revision, action) of every audit row, oldest first."""
    return rows(url, "SELECT revision, action FROM migration_audit ORDER BY id")
