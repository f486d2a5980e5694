"""``rebaseline()`` on real PostgreSQL: a tangled history squashed, proven and archived; a
history the models disagree with refused; the project's own history reproduced."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.operations import ops
from rich.console import Console

from backend.db import schema_contract
from backend.db.fresh_schema import migrated_snapshot
from backend.db.guard import runner
from backend.db.guard.context import GuardContext
from backend.db.migrations_config import SCHEMA_CONTRACT, script_directory
from backend.db.migrator.baseline_record import read_record
from backend.db.rebaseline.errors import RebaselineError
from backend.db.rebaseline.report import print_report
from backend.db.rebaseline.squash import rebaseline

from .conftest import NEW_REV, copy_migrations, tangled_project
from .tangled import write_revision


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its content hash: "nothing was written" is checkable."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_the_tangled_history_is_tangled(tangled):
    project, history = tangled
    scripts = script_directory(project.versions)
    assert len(history.revisions) >= 30
    assert sorted(scripts.get_heads()) == list(history.heads) and len(history.heads) == 2
    merges = [s.revision for s in scripts.walk_revisions() if s.is_merge_point]
    assert sorted(merges) == sorted(history.merges)
    text = "".join(p.read_text() for p in project.versions.glob("*.py"))
    assert "ADD VALUE" in text and "BEFORE" in text
    assert "ix_tangled_tmp" in text and "'USD'" in text


def test_rebaseline_squashes_the_tangled_history_into_one_proven_baseline(
    rebaselined, pg_server, old_chain_template
):
    project, history, result = rebaselined
    assert result.rev_id == NEW_REV and not result.dry_run
    assert set(result.squashed) == set(history.revisions)
    assert result.old_heads == history.heads
    # Alembic sees exactly the new baseline, with no down revision.
    scripts = script_directory(project.versions)
    assert [s.revision for s in scripts.walk_revisions()] == [NEW_REV]
    assert scripts.get_revision(NEW_REV).down_revision is None
    assert [p.name for p in project.versions.glob("*.py")] == [result.baseline_file.name]
    # Every guard check passed in-process.
    assert [name for name, passed, _ in result.guard] == [
        "lint",
        "dry-run",
        "downgrade-test",
        "security",
        "data-test",
        "lock-test",
    ]
    assert all(passed for _, passed, _ in result.guard)
    # The regenerated contract is the old chain's schema, read independently here.
    engine = sa.create_engine(
        pg_server.admin_url.set(database=old_chain_template), poolclass=sa.pool.NullPool
    )
    with engine.connect() as connection:
        old = schema_contract.snapshot(connection)
    engine.dispose()
    assert schema_contract.compare(schema_contract.load(project.contract), old) == []
    assert result.counts["tables"] == 58 and result.counts["enum types"] == 9


def test_the_enum_labels_added_later_keep_their_place(rebaselined):
    project, history, _ = rebaselined
    contract = schema_contract.load(project.contract)
    for enum, label in (history.enum_appended, history.enum_inserted):
        assert label in contract["enums"][enum]
    enum, label = history.enum_inserted
    assert contract["enums"][enum].index(label) == 1


def test_the_archive_holds_every_old_file_a_readme_and_the_record(rebaselined):
    project, history, result = rebaselined
    archive = result.archive
    assert archive.parent == project.migrations and archive.name.startswith("versions_archive_")
    archived = {p.name.split("_", 1)[0] for p in archive.glob("*.py")}
    assert archived == set(history.revisions)
    readme = (archive / "README.md").read_text()
    assert NEW_REV in readme and all(head in readme for head in history.heads)
    record = json.loads((archive / "rebaseline.json").read_text())
    assert record["new_baseline"] == NEW_REV and record["old_heads"] == list(history.heads)
    # The baseline file itself carries the record the deploy reads.
    baseline = read_record(script_directory(project.versions))
    assert baseline.baseline == NEW_REV and baseline.old_heads == history.heads
    assert set(baseline.old_revisions) == set(history.revisions)


def test_the_guard_lints_only_the_new_baseline_not_the_archive(rebaselined, pg_server):
    project, _, result = rebaselined
    context = GuardContext.create(versions_dir=project.versions)
    try:
        [lint] = runner.run(["lint"], context)
    finally:
        context.close()
    assert lint.ok
    assert context.revision_files() == [result.baseline_file]


def test_the_report_names_the_squash_the_proof_the_archive_and_the_next_steps(rebaselined):
    _, history, result = rebaselined
    console = Console(record=True, width=120)
    print_report(result, console)
    text = console.export_text()
    assert f"Squashed {len(history.revisions)} revision(s)" in text
    assert NEW_REV in text and "--adopt-baseline" in text
    assert "215" in text and "versions_archive_" in text


def test_dry_run_proves_and_changes_no_file(pg_server, tmp_path):
    project, history = tangled_project(tmp_path)
    before = tree(tmp_path)
    result = rebaseline(
        pg_server, project.versions, project.migrations, project.contract, dry_run=True
    )
    assert result.dry_run and result.archive is None
    assert all(passed for _, passed, _ in result.guard)
    assert len(result.rev_id) == 12 and int(result.rev_id, 16) >= 0
    assert tree(tmp_path) == before


def test_models_and_chain_disagreeing_stops_names_the_column_and_writes_nothing(
    pg_server, tmp_path
):
    project, history = tangled_project(tmp_path)
    write_revision(
        project.versions,
        "tangled35e",
        history.heads[0],
        "drop a column the models still have",
        [ops.DropColumnOp("bargain_types", "description")],
        [ops.AddColumnOp("bargain_types", sa.Column("description", sa.Text(), nullable=True))],
    )
    before = tree(tmp_path)
    with pytest.raises(RebaselineError) as refused:
        rebaseline(pg_server, project.versions, project.migrations, project.contract)
    assert refused.value.exit_code == 1
    assert "disagree" in str(refused.value)
    assert refused.value.details == [
        "column bargain_types.description is in the models, but the old chain does not create it"
    ]
    assert tree(tmp_path) == before


def test_a_failing_old_revision_stops_with_the_guards_finding(pg_server, tmp_path):
    project, history = tangled_project(tmp_path)
    write_revision(
        project.versions,
        "tangled35f",
        history.heads[1],
        "broken",
        [ops.ExecuteSQLOp("ALTER TABLE no_such_table ADD COLUMN x int")],
        [],
    )
    before = tree(tmp_path)
    with pytest.raises(RebaselineError) as refused:
        rebaseline(pg_server, project.versions, project.migrations, project.contract)
    assert refused.value.exit_code == 1
    assert "tangled35f" in str(refused.value) and "no_such_table" in str(refused.value)
    assert refused.value.details[0].startswith("[upgrade-fails]")
    assert tree(tmp_path) == before


def test_the_projects_own_history_rebaselines_to_the_current_contract(pg_server, tmp_path):
    project = copy_migrations(tmp_path)
    result = rebaseline(pg_server, project.versions, project.migrations, project.contract)
    assert result.squashed == ("d5fd7286d60e",)
    assert (
        schema_contract.compare(
            schema_contract.load(project.contract), schema_contract.load(SCHEMA_CONTRACT)
        )
        == []
    )
    # And the installed folder really builds it.
    rebuilt = migrated_snapshot(pg_server, project.versions)
    assert schema_contract.compare(rebuilt, schema_contract.load(SCHEMA_CONTRACT)) == []
    shutil.rmtree(tmp_path / "migrations")


def test_archive_moves_every_file_or_none(tmp_path):
    from datetime import datetime

    from backend.db.rebaseline.archive import archive
    from backend.db.rebaseline.errors import CouldNotRun

    versions = tmp_path / "versions"
    versions.mkdir()
    present = versions / "a1_first.py"
    present.write_text("revision = 'a1'\n")
    missing = versions / "b2_gone.py"  # vanished under our feet: the move must fail
    folder = tmp_path / "versions_archive_x"
    with pytest.raises(CouldNotRun, match="nothing moved"):
        archive(
            (present, missing),
            versions,
            folder,
            tmp_path / "new.py",
            "c3",
            ("b2",),
            ("a1", "b2"),
            datetime(2026, 1, 1),
        )
    assert present.exists() and not folder.exists()
