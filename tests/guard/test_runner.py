"""The runner: with both database checks, downgrade-test starts from dry-run's database at head;
every check still finds what it finds alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from backend.db.guard import runner
from backend.db.guard.context import GuardContext

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def steps(result) -> list[str]:
    return [name for name, _ in result.steps]


def test_all_migrates_one_database_for_both_database_checks(context_for) -> None:
    results = runner.run(list(runner.CHECK_MODULES), context_for())
    by_check = {result.check: result for result in results}
    assert [result.check for result in results] == list(runner.CHECK_MODULES)
    assert all(result.ok for result in results), [r.findings for r in results]
    downgrade = steps(by_check["downgrade-test"])
    assert "reused dry-run's database at head" in downgrade
    assert "upgrade to head" not in downgrade
    assert "downgrade to base" in downgrade
    assert any(note.startswith("offline SQL: ") for note in by_check["dry-run"].notes)


def test_reused_database_still_shows_an_enum_left_behind(context_for) -> None:
    versions = SCENARIOS / "downgrade_test" / "fail_enum_left_behind" / "versions"
    dry_run, downgrade = runner.run(["dry-run", "downgrade-test"], context_for(versions))
    assert dry_run.ok
    assert "reused dry-run's database at head" in steps(downgrade)
    assert "enum-left-behind" in {finding.rule for finding in downgrade.findings}


def test_downgrade_test_alone_makes_its_own_database(context_for) -> None:
    [downgrade] = runner.run(["downgrade-test"], context_for())
    assert downgrade.ok
    assert "create database (downgrade)" in steps(downgrade)
    assert "upgrade to head" in steps(downgrade)


def test_the_cli_starts_without_importing_alembic_or_the_models() -> None:
    """The server starts before Alembic and the models load; an import at the top of a module
    on the CLI's path would silently put ~0.3 s back in front of it."""
    probe = (
        "import sys, backend.db.guard.cli; "
        "print(sorted(m for m in ('alembic', 'backend.db.base') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_lent_server_serves_the_checks_and_is_not_stopped(pg_server) -> None:
    context = GuardContext.create(lent_server=pg_server)
    try:
        [result] = runner.run(["dry-run"], context)
    finally:
        context.close()
    assert result.ok, result.findings
    assert any("lent by the caller" in note for note in context.run_notes)
    scratch = pg_server.fresh_database("still_up")  # the server outlived the guard run
    pg_server.drop_database(scratch)
