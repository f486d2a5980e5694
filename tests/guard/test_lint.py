"""The lint check: its rules one by one on tiny revision files (the scenario folders in
tests/scenarios/lint run through the CLI in tests/scenarios/test_scenarios.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.db.guard.checks import lint, security
from backend.db.guard.context import GuardContext
from backend.db.guard.errors import GuardError
from backend.db.guard.findings import Finding, Severity
from backend.db.guard.revision_source import parse_revision
from backend.db.guard.rules.lint import (
    filename_matches_revision,
    no_app_import,
    require_real_downgrade,
    revision_compiles,
)

HEADER = 'import sqlalchemy as sa\nfrom alembic import op\n\nrevision = "{rev}"\ndown_revision = {down!r}\n'
ADD_COLUMN = '    op.add_column("bales", sa.Column("lot", sa.String(20)))\n'


def write_revision(
    folder: Path, rev: str, body: str, down: str | None = None, name: str = ""
) -> Path:
    path = folder / (name or f"{rev}_change.py")
    path.write_text(HEADER.format(rev=rev, down=down) + body)
    return path


def rule_ids(findings: list[Finding], severity: Severity = Severity.ERROR) -> list[str]:
    return [f.rule for f in findings if f.severity is severity]


def downgrade_findings(tmp_path: Path, downgrade_body: str, upgrade_body: str = ADD_COLUMN):
    path = write_revision(
        tmp_path, "b2", f"def upgrade():\n{upgrade_body}\n\ndef downgrade():\n{downgrade_body}"
    )
    return list(require_real_downgrade(parse_revision(path), "b2_change.py"))


@pytest.mark.parametrize(
    "body",
    [
        "    pass\n",
        '    """Cannot be undone."""\n',
        "    ...\n",
        "    raise NotImplementedError\n",
        '    raise NotImplementedError("one-way migration")\n',
        '    """Nothing."""\n    pass\n    return None\n',
    ],
)
def test_a_downgrade_that_does_nothing_fails(tmp_path: Path, body: str) -> None:
    findings = downgrade_findings(tmp_path, body)
    assert [f.rule for f in findings] == ["require-real-downgrade"]
    assert findings[0].line == 10  # the ``def downgrade`` line


def test_a_downgrade_that_undoes_the_upgrade_passes(tmp_path: Path) -> None:
    assert downgrade_findings(tmp_path, '    op.drop_column("bales", "lot")\n') == []


def test_a_noop_upgrade_needs_no_downgrade(tmp_path: Path) -> None:
    """A merge revision: ``pass`` both ways is fine."""
    assert downgrade_findings(tmp_path, "    pass\n", upgrade_body="    pass\n") == []


UPDATE_TRADES = "    op.execute(\"UPDATE trades SET status = 'open' WHERE status IS NULL\")\n"


@pytest.mark.parametrize(
    ("upgrade_body", "says"),
    [
        (ADD_COLUMN, "upgrade() adds column bales.lot; downgrade() is `pass`"),
        (
            ADD_COLUMN + '    op.create_index(op.f("ix_bales_lot"), "bales", ["lot"])\n',
            "upgrade() adds column bales.lot and creates index ix_bales_lot on bales;",
        ),
        (
            '    with op.batch_alter_table("bales") as batch_op:\n'
            '        batch_op.alter_column("grade", nullable=False)\n',
            "upgrade() alters column bales.grade;",
        ),
        (
            UPDATE_TRADES + "    op.execute(\"CREATE TYPE colour AS ENUM ('white')\")\n",
            "upgrade() runs UPDATE on trades and runs CREATE TYPE;",
        ),
        ('    op.execute("DROP TABLE lots")\n', "upgrade() runs DROP TABLE;"),
    ],
)
def test_the_message_says_what_upgrade_does(tmp_path: Path, upgrade_body: str, says: str) -> None:
    [finding] = downgrade_findings(tmp_path, "    pass\n", upgrade_body)
    assert finding.rule == "require-real-downgrade" and says in finding.message
    assert "leaves the new schema behind" in finding.message
    assert "guard: irreversible <reason>" in finding.hint


@pytest.mark.parametrize(
    ("upgrade_body", "says"),
    [
        (UPDATE_TRADES, "upgrade() only changes data (runs UPDATE on trades)"),
        (
            '    op.bulk_insert(sa.table("grades", sa.column("code")), [{"code": "A"}])\n'
            '    op.get_bind().execute(sa.text("DELETE FROM lots WHERE bales = 0"))\n',
            "upgrade() only changes data (inserts rows into grades and runs DELETE on lots)",
        ),
        (
            "    _backfill()\n\n\ndef _backfill():\n"
            '    trades = sa.table("trades", sa.column("status"))\n'
            '    op.execute(trades.update().values(status="open"))\n',
            "upgrade() only changes data (runs UPDATE on trades)",
        ),
    ],
)
def test_a_data_only_upgrade_with_a_pass_downgrade_fails_and_names_the_marker(
    tmp_path: Path, upgrade_body: str, says: str
) -> None:
    [finding] = downgrade_findings(tmp_path, "    pass\n", upgrade_body)
    assert finding.rule == "require-real-downgrade" and finding.severity is Severity.ERROR
    assert says in finding.message and "schema" not in finding.message
    assert "`# guard: irreversible <reason>`" in finding.hint


def test_a_declared_irreversible_data_migration_is_a_warning_with_its_reason(
    tmp_path: Path,
) -> None:
    [finding] = downgrade_findings(
        tmp_path,
        "    # guard: irreversible the old statuses were never stored\n    pass\n",
        UPDATE_TRADES,
    )
    assert (finding.rule, finding.severity) == ("declared-irreversible", Severity.WARNING)
    assert "the old statuses were never stored" in finding.message
    assert finding.line == 11  # the marker's line inside downgrade(), not its def (10)


def test_the_irreversible_marker_needs_a_reason(tmp_path: Path) -> None:
    [finding] = downgrade_findings(tmp_path, "    pass  # guard: irreversible\n", UPDATE_TRADES)
    assert (finding.rule, finding.severity) == ("require-real-downgrade", Severity.ERROR)
    assert "gives no reason" in finding.message and finding.line == 11


def test_the_irreversible_marker_does_not_excuse_a_schema_change_left_behind(
    tmp_path: Path,
) -> None:
    [finding] = downgrade_findings(tmp_path, "    pass  # guard: irreversible data is lost\n")
    assert finding.rule == "require-real-downgrade" and finding.severity is Severity.ERROR
    assert "although it is declared irreversible" in finding.message


def test_the_marker_counts_only_in_downgrade_and_only_as_a_comment(tmp_path: Path) -> None:
    in_upgrade = UPDATE_TRADES + "    # guard: irreversible written in the wrong function\n"
    assert rule_ids(downgrade_findings(tmp_path, "    pass\n", in_upgrade)) == [
        "require-real-downgrade"
    ]
    in_string = '    """guard: irreversible in a docstring"""\n'
    assert rule_ids(downgrade_findings(tmp_path, in_string, UPDATE_TRADES)) == [
        "require-real-downgrade"
    ]


def test_a_real_downgrade_of_a_lossy_revision_may_declare_it_irreversible(tmp_path: Path) -> None:
    findings = downgrade_findings(
        tmp_path,
        '    op.drop_column("bales", "lot")  # guard: irreversible lots typed later are lost\n',
    )
    assert [(f.rule, f.severity) for f in findings] == [("declared-irreversible", Severity.WARNING)]


def test_a_missing_upgrade_or_downgrade_fails(tmp_path: Path) -> None:
    path = write_revision(tmp_path, "b2", f"def upgrade():\n{ADD_COLUMN}")
    findings = list(require_real_downgrade(parse_revision(path), "b2_change.py"))
    assert [f.message for f in findings] == [
        "the revision defines no downgrade(); Alembic fails when it reaches this revision"
    ]


@pytest.mark.parametrize(
    "statement",
    [
        "import backend.modules.core.models",
        "from backend.db.base import Base",
        "from app.models import Trade",
        "import app",
    ],
)
def test_an_application_import_fails_wherever_it_is(tmp_path: Path, statement: str) -> None:
    body = f"def upgrade():\n    {statement}\n\n\ndef downgrade():\n    pass\n"
    path = write_revision(tmp_path, "b2", body)
    findings = list(no_app_import(parse_revision(path), "b2_change.py"))
    assert [(f.rule, f.line) for f in findings] == [("no-app-import", 7)]


def test_library_imports_with_app_like_names_pass(tmp_path: Path) -> None:
    body = "import application_helpers\nfrom backend_tools import x\nfrom . import sibling\n"
    path = write_revision(tmp_path, "b2", body)
    assert list(no_app_import(parse_revision(path), "b2_change.py")) == []


def test_file_name_must_start_with_revision_id(tmp_path: Path) -> None:
    good = write_revision(tmp_path, "b2", "", name="b2_add_lot.py")
    bad = write_revision(tmp_path, "b2", "", name="add_lot_b2.py")
    assert list(filename_matches_revision(parse_revision(good), "x")) == []
    assert rule_ids(list(filename_matches_revision(parse_revision(bad), "x"))) == [
        "filename-matches-revision"
    ]


def test_a_syntax_error_is_a_finding_at_its_line(tmp_path: Path) -> None:
    path = write_revision(tmp_path, "b2", "def upgrade(:\n    pass\n")
    findings = list(revision_compiles(parse_revision(path), "b2_change.py"))
    assert [(f.rule, f.line) for f in findings] == [("revision-compiles", 6)]


def test_graph_errors_become_findings_not_crashes(tmp_path: Path) -> None:
    """Cycle and missing down revision are Alembic exceptions; lint reports them."""
    write_revision(tmp_path, "a1", "def upgrade():\n    pass\ndef downgrade():\n    pass\n", "c3")
    write_revision(tmp_path, "c3", "def upgrade():\n    pass\ndef downgrade():\n    pass\n", "a1")
    write_revision(tmp_path, "d4", "def upgrade():\n    pass\ndef downgrade():\n    pass\n", "zz")
    findings = lint.run(GuardContext.create(versions_dir=tmp_path)).findings
    assert set(rule_ids(findings)) in ({"no-cycle"}, {"missing-down-revision"})


def test_unused_import_is_only_a_warning_and_undefined_name_an_error(tmp_path: Path) -> None:
    body = "import json\n\n\ndef upgrade():\n    op.execute(SQL)\n\n\ndef downgrade():\n"
    body += '    op.execute("SELECT 1")\n'
    write_revision(tmp_path, "a1", body, name="a1_base.py")
    findings = lint.run(GuardContext.create(versions_dir=tmp_path)).findings
    assert rule_ids(findings) == ["ruff-F821"]
    assert set(rule_ids(findings, Severity.WARNING)) == {"ruff-F401"}  # json, sa
    undefined = next(f for f in findings if f.rule == "ruff-F821")
    assert undefined.line == 10
    assert undefined.path.endswith("a1_base.py")


def test_duplicate_ids_are_reported_although_alembic_keeps_one(tmp_path: Path) -> None:
    base = "def upgrade():\n    pass\ndef downgrade():\n    pass\n"
    write_revision(tmp_path, "a1", base, name="a1_base.py")
    write_revision(tmp_path, "b2", base, "a1", name="b2_one.py")
    write_revision(tmp_path, "b2", base, "a1", name="b2_two.py")
    findings = lint.run(GuardContext.create(versions_dir=tmp_path)).findings
    assert rule_ids(findings) == ["unique-revision-id"]  # and not single-head: one id, one head


def test_the_projects_own_versions_folder_passes_lint() -> None:
    findings = lint.run(GuardContext.create()).findings
    assert rule_ids(findings) == []


def test_lint_and_security_share_one_parse_of_each_file() -> None:
    context = GuardContext.create()
    lint.run(context)
    sources = context.revision_sources()
    security.run(context)
    assert context.revision_sources() is sources
    assert [source.path for source in sources] == context.revision_files()


def test_a_guard_bug_reading_the_graph_stops_the_run_instead_of_blaming_a_revision(
    monkeypatch,
) -> None:
    class BrokenScripts:
        def get_heads(self):
            raise RuntimeError("the guard's own bug")

    context = GuardContext.create()
    monkeypatch.setattr(context.folder, "scripts", lambda: BrokenScripts())
    with pytest.raises(GuardError, match="reading the revision graph: RuntimeError"):
        lint.run(context)
