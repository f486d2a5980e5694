"""In-process stepping: by revision id through branches and merges, hooks around revisions and
statements, failures located at the op line."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from backend.db.migrations_config import script_directory
from backend.db.migrator.failure import MigrationFailed
from backend.db.migrator.offline import offline_sql
from backend.db.migrator.scripts import topological_order
from backend.db.migrator.stepper import Statement, Stepper

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
BRANCHES = SCENARIOS / "downgrade_test" / "pass_merge_and_branches" / "versions"
SQL_ERROR = SCENARIOS / "dry_run" / "fail_sql_error" / "versions"
DUPLICATES = SCENARIOS / "dry_run" / "fail_unique_over_duplicates" / "versions"


def test_topological_order_puts_every_revision_after_its_parents() -> None:
    order = [script.revision for script in topological_order(script_directory(BRANCHES))]
    assert sorted(order) == ["a1", "a2", "b1", "c4", "m3", "r1"]
    position = {revision: i for i, revision in enumerate(order)}
    for child, parents in {
        "a1": ["r1"],
        "a2": ["a1"],
        "b1": ["r1"],
        "m3": ["a2", "b1"],
        "c4": ["m3"],
    }.items():
        assert all(position[p] < position[child] for p in parents), order


def test_upgrade_and_downgrade_move_the_version_table(engine) -> None:
    with engine.connect() as connection:
        stepper = Stepper(script_directory(BRANCHES), connection)
        assert stepper.heads() == ()
        applied = stepper.upgrade("heads")
        assert len(applied) == 6 and all(step.is_upgrade for step in applied)
        assert stepper.heads() == ("c4",)
        assert [step.revision for step in stepper.downgrade("base")][0] == "c4"
        assert stepper.heads() == ()


def test_apply_steps_one_revision_by_id_across_a_branch_point_and_a_merge(engine) -> None:
    scripts = script_directory(BRANCHES)
    revisions = {script.revision: script for script in topological_order(scripts)}
    with engine.connect() as connection:
        stepper = Stepper(scripts, connection)
        for revision in ("r1", "a1", "a2"):
            stepper.apply(revisions[revision], is_upgrade=True)
        stepper.apply(revisions["b1"], is_upgrade=True)
        assert set(stepper.heads()) == {"a2", "b1"}  # two branches side by side
        stepper.apply(revisions["b1"], is_upgrade=False)
        assert stepper.heads() == ("a2",)  # only b1's branch went away
        stepper.apply(revisions["b1"], is_upgrade=True)
        stepper.apply(revisions["m3"], is_upgrade=True)
        assert stepper.heads() == ("m3",)
        stepper.apply(revisions["m3"], is_upgrade=False)
        assert set(stepper.heads()) == {"a2", "b1"}  # un-merging restores both heads


def test_a_failing_revision_is_named_and_the_earlier_ones_stay(engine) -> None:
    with engine.connect() as connection:
        stepper = Stepper(script_directory(SQL_ERROR), connection)
        with pytest.raises(MigrationFailed) as failure:
            stepper.upgrade("heads")
        assert failure.value.script.revision == "b2" and failure.value.is_upgrade
        assert failure.value.path.name == "b2_bad_sql.py"
        assert 'type "integr" does not exist' in str(failure.value)
        assert stepper.heads() == ("a1",)  # a transaction per revision


def test_offline_sql_covers_the_whole_chain() -> None:
    sql = offline_sql(script_directory(BRANCHES))
    assert "CREATE TABLE warehouses" in sql and "CREATE TYPE cotton_grade" in sql
    assert "CREATE INDEX ix_brokers_name" in sql


def test_hooks_see_each_revision_and_each_statement_with_its_op_line(engine) -> None:
    scripts = script_directory(SQL_ERROR)
    events: list[tuple] = []
    locks_seen: list[int] = []

    def after_statement(statement: Statement) -> None:
        events.append(("statement", statement.revision, statement.sql, statement.line))
        assert statement.duration_s is not None and statement.duration_s >= 0
        # A hook may query the same connection inside the revision's transaction; that query
        # is not reported as the revision's statement.
        locks_seen.append(
            connection.execute(
                sa.text("SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid()")
            ).scalar_one()
        )

    with engine.connect() as connection:
        stepper = Stepper(
            scripts,
            connection,
            before_revision=[lambda script, up: events.append(("before", script.revision, up))],
            on_version_apply=[
                lambda ctx, step, heads, run_args: (
                    ctx.connection.execute(sa.text("SELECT 'audit row'")),
                    events.append(("after",)),
                )
            ],
            before_statement=[lambda statement: events.append(("before-sql", statement.line))],
            after_statement=[after_statement],
        )
        stepper.apply(scripts.get_revision("a1"), is_upgrade=True)
    kinds = [event[0] for event in events]
    assert kinds[0] == "before" and kinds[-1] == "after" and events[0][1:] == ("a1", True)
    [create] = [e for e in events if e[0] == "statement" and "CREATE TABLE" in e[2]]
    source = Path(scripts.get_revision("a1").path).read_text().splitlines()
    assert source[create[3] - 1].strip() == "op.create_table("
    assert ("before-sql", create[3]) in events  # the before hook saw the same line
    # The version table update is Alembic's own statement: no op line.
    assert any(e[0] == "statement" and "alembic_version" in e[2] and e[3] is None for e in events)
    hooks_own = ("pg_locks", "audit row")
    assert not any(own in e[2] for own in hooks_own for e in events if e[0] == "statement")
    assert min(locks_seen) > 0  # the transaction still held its locks when the hook ran


def test_a_failure_is_located_at_the_op_line_with_postgres_detail(engine) -> None:
    scripts = script_directory(DUPLICATES)
    with engine.connect() as connection:
        with pytest.raises(MigrationFailed) as failure:
            Stepper(scripts, connection).upgrade("heads")
    location = failure.value.location
    assert (location.revision, location.is_upgrade, location.sqlstate) == ("b2", True, "23505")
    assert location.path.name == "b2_unique_code.py"
    assert location.path.read_text().splitlines()[location.line - 1].strip() == "op.create_index("
    assert location.message == 'could not create unique index "uq_lots_code"'
    assert location.detail == "Key (code)=(A1) is duplicated."
    assert location.where("b2.py") == f"b2.py:{location.line}"
