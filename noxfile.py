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
# The PostgreSQL majors the embedded server bundles: the suite runs on each (production may run
# either; 18 records NOT NULL constraints, 16 does not).
EMBEDDED_MAJORS = ("16", "18")
# What the passes after the first leave out: the docs, the packaging and the bench harness, whose
# verdicts do not depend on the server's major (the first pass runs them). Every test of the
# schema, the contract, the guard's checks, the deploy and the rebaseline runs on each major.
IN_ORDER = "tests/docs/test_documented_commands.py"
ONCE_ONLY = (
    "tests/docs",
    "tests/benchmarks",
    "tests/test_nox_guard.py",
    "tests/test_precommit.py",
    "tests/test_action.py",
    "tests/test_workflow.py",
    "tests/deploy/test_install.py",
)


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
def migration_lock_test(session: nox.Session) -> None:
    """Measure what each revision locks on big tables, and for how long at production size."""
    guard(session, "lock-test")


@nox.session
def migration_guard(session: nox.Session) -> None:
    """Every check in one process, on one Postgres server."""
    guard(session, "all")


@nox.session
def bench(session: nox.Session) -> None:
    """Time the guard against the floor and pytest-alembic (benchmarks/README.md)."""
    install(session, "bench")
    session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite on embedded PostgreSQL 16, then its database tests on 18 (one pass: set
    TEST_POSTGRES or GUARD_EMBEDDED_PG_VERSION; given test paths run as given)."""
    install(session, "dev")
    # One worker per core, each with its own server. The documented commands build on each other
    # in one copy of the repository: they run after, in one process, in order.
    parallel = ["-n", "auto", "--dist", "loadgroup", f"--ignore={IN_ORDER}"]
    if session.posargs:
        session.run("pytest", *session.posargs)
        return

    def whole_suite(env: dict[str, str] | None = None) -> None:
        session.run("pytest", *parallel, env=env)
        session.run("pytest", IN_ORDER, env=env)

    if "TEST_POSTGRES" in os.environ or "GUARD_EMBEDDED_PG_VERSION" in os.environ:
        whole_suite()
        return
    first, *others = EMBEDDED_MAJORS
    for major in (first, *others):
        session.log(f"tests on embedded PostgreSQL {major}")
        env = {"TEST_POSTGRES": "embedded", "GUARD_EMBEDDED_PG_VERSION": major}
        if major == first:
            whole_suite(env)
        else:
            session.run("pytest", *parallel, *(f"--ignore={p}" for p in ONCE_ONLY), env=env)
