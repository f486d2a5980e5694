"""The static checks in a forked child: same results as in-process, errors and deaths handled,
and the child never runs the parent's atexit cleanup (which would stop the embedded server)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from backend.db.guard import runner
from backend.db.guard.context import GuardContext, OfflineSql
from backend.db.guard.errors import GuardError
from backend.db.guard.static_process import CAN_FORK, StaticProcess

pytestmark = pytest.mark.skipif(not CAN_FORK, reason="fork is used on Linux only")
SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
UNDEFINED_NAME = SCENARIOS / "lint" / "fail_undefined_name" / "versions"


def rules(results) -> dict[str, list[str]]:
    return {result.check: sorted(f.rule for f in result.findings) for result in results}


def test_child_results_equal_in_process_results() -> None:
    context = GuardContext(versions_dir=UNDEFINED_NAME)
    child = StaticProcess(runner.run_checks, ["lint", "security"], context, with_offline_sql=False)
    from_child = child.results()
    in_process = runner.run_checks(["lint", "security"], GuardContext(versions_dir=UNDEFINED_NAME))
    assert from_child is not None
    assert rules(from_child) == rules(in_process)
    assert "ruff-F821" in rules(from_child)["lint"]
    assert [name for name, _ in from_child[0].steps] == [name for name, _ in in_process[0].steps]


def test_child_sends_the_offline_sql_first() -> None:
    child = StaticProcess(lambda names, context: [], [], GuardContext(), with_offline_sql=True)
    offline = child.offline_sql()
    assert offline is not None and offline.failure is None
    assert "CREATE TABLE" in offline.sql
    assert child.results() == []


def test_offline_sql_that_does_not_pickle_is_left_to_the_parent() -> None:
    context = GuardContext()
    context.offline_sql = lambda: OfflineSql(sql=lambda: None)  # a lambda does not pickle
    child = StaticProcess(lambda names, context: [], [], context, with_offline_sql=True)
    assert child.offline_sql() is None  # the parent generates the SQL itself
    assert child.results() == []


def test_child_error_is_raised_in_the_parent() -> None:
    def broken(names, context):
        raise GuardError("ruff not found")

    child = StaticProcess(broken, ["lint"], GuardContext(), with_offline_sql=False)
    with pytest.raises(GuardError, match="ruff not found"):
        child.results()


def test_child_that_dies_gives_nothing_so_the_parent_runs_the_checks() -> None:
    child = StaticProcess(lambda names, context: os._exit(3), ["lint"], GuardContext(), False)
    assert child.results() is None
    assert child.offline_sql() is None


def test_child_that_asks_for_the_server_gets_an_error(context_for) -> None:
    def wants_server(names, context):
        context.server()

    with pytest.raises(GuardError, match="static checks' process"):
        StaticProcess(wants_server, ["lint"], context_for(), False).results()


def test_child_leaves_the_session_server_running(pg_server) -> None:
    # The session's embedded server registered pgserver's atexit cleanup in this process; a
    # child that ran it would stop the server under every later test.
    for _ in range(2):
        assert StaticProcess(runner.run_checks, ["lint"], GuardContext(), False).results()
    engine = sa.create_engine(pg_server.admin_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT 1")).scalar_one() == 1
    finally:
        engine.dispose()


def test_a_guard_failure_making_the_offline_sql_in_the_child_stops_the_parent(monkeypatch) -> None:
    def broken(scripts, target="heads", *args, **kwargs):
        raise RuntimeError("the guard's own bug")

    monkeypatch.setattr("backend.db.migrator.offline.offline_script", broken)
    context = GuardContext(versions_dir=SCENARIOS / "security" / "pass_dblink" / "versions")
    child = StaticProcess(lambda names, context: [], [], context, with_offline_sql=True)
    try:
        context.use_offline_sql(child.offline_sql)
        # Never an offline-sql-generates finding blaming the revisions: the run stops (exit 2).
        with pytest.raises(GuardError, match="offline SQL: RuntimeError: the guard's own bug"):
            context.offline_sql()
    finally:
        child.kill()
