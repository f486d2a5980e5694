"""Offline SQL: from a start, up or down, and each statement traced to the op line that wrote it."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.db.migrations_config import script_directory
from backend.db.migrator.offline import offline_script, offline_sql

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
BRANCHES = SCENARIOS / "downgrade_test" / "pass_merge_and_branches" / "versions"


def test_an_upgrade_from_a_start_leaves_out_what_is_applied() -> None:
    sql = offline_sql(script_directory(BRANCHES), "a1", start="r1")
    assert "CREATE TABLE brokers" in sql
    assert "CREATE TABLE warehouses" not in sql  # r1: already applied
    assert (
        "UPDATE alembic_version SET version_num='a1' WHERE alembic_version.version_num = 'r1'"
        in sql
    )


def test_a_downgrade_runs_the_downgrades_from_its_start() -> None:
    sql = offline_sql(script_directory(BRANCHES), "r1", start="a1", downgrade=True)
    assert "DROP TABLE brokers" in sql and "CREATE TABLE" not in sql
    with pytest.raises(ValueError, match="starts from"):
        offline_sql(script_directory(BRANCHES), "base", downgrade=True)


def test_each_statement_is_traced_to_its_op_line() -> None:
    scripts = script_directory(BRANCHES)
    script = offline_script(scripts)
    lines = script.text.splitlines()
    brokers = next(i for i, line in enumerate(lines, 1) if line.startswith("CREATE TABLE brokers"))
    source = script.source_of(brokers)
    assert source.path.name == "a1_create_brokers.py"
    assert (
        source.path.read_text()
        .splitlines()[source.line - 1]
        .strip()
        .startswith('op.create_table("brokers"')
    )
    # A statement over several lines is traced from any of them.
    assert script.source_of(brokers + 1) == source
    # Alembic's own statements come from no revision line.
    version = next(
        i for i, line in enumerate(lines, 1) if line.startswith("UPDATE alembic_version")
    )
    assert script.source_of(version) is None
    assert script.source_of(0) is None and script.source_of(len(lines) + 5) is None
