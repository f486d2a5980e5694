"""Nox sessions: each installs the project and calls its CLI. CI's jobs run these same sessions.

``nox -s NAME -- ARGS`` passes ARGS to the command. ``nox -R -s NAME`` reuses the environment.
"""

from __future__ import annotations

import os

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["migration_guard", "tests"]
# uv does not write bytecode by default; on machines exporting PYTHONDONTWRITEBYTECODE every
# process would then recompile SQLAlchemy (~0.3 s each).
os.environ.setdefault("UV_COMPILE_BYTECODE", "1")


def install(session: nox.Session, extra: str) -> None:
    """The project with ``extra`` (``guard``; ``dev`` and ``bench`` include the guard's)."""
    session.install("-e", f".[{extra}]")


def guard(session: nox.Session, check: str) -> None:
    install(session, "guard")
    session.run("migration-guard", check, *session.posargs)


@nox.session
def migration_lint(session: nox.Session) -> None:
    """Lint the revision files and graph (no database)."""
    guard(session, "lint")


@nox.session
def migration_dry_run(session: nox.Session) -> None:
    """Upgrade a fresh Postgres to head; compare with the contract and the models."""
    guard(session, "dry-run")


@nox.session
def migration_downgrade_test(session: nox.Session) -> None:
    """Upgrade, downgrade to base, upgrade again, and walk the stairway."""
    guard(session, "downgrade-test")


@nox.session
def security_check(session: nox.Session) -> None:
    """Find injection, dangerous SQL, destructive changes and Python dangers in migrations."""
    guard(session, "security")


@nox.session
def migration_data_test(session: nox.Session) -> None:
    """Rehearse every migration on a database full of rows (up, rows kept, down, up again)."""
    guard(session, "data-test")


@nox.session
def migration_guard(session: nox.Session) -> None:
    """All four checks in one process, on one Postgres server."""
    guard(session, "all")


@nox.session
def bench(session: nox.Session) -> None:
    """Time the guard against the floor and pytest-alembic (benchmarks/README.md)."""
    install(session, "bench")
    session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite, on a real (embedded by default) PostgreSQL."""
    install(session, "dev")
    session.run("pytest", *session.posargs)
