"""The security check: tricky parsing of executed SQL, the allow comment, the external tools
(the scenario folders in tests/scenarios/security run through the CLI harness)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from backend.db.guard.checks import security
from backend.db.guard.cli import main
from backend.db.guard.context import GuardContext
from backend.db.guard.errors import GuardError
from backend.db.guard.findings import Finding, Severity
from backend.db.guard.revision_source import parse_revision
from backend.db.guard.rules.security import SECURITY_RULES
from backend.db.guard.rules.squawk_scan import EXCLUDED_RULES, split_by_revision

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios" / "security"
# base + a CREATE INDEX: squawk needs the chain's offline SQL.
TWO_REVISIONS = SCENARIOS / "pass_dblink" / "versions"
READS_ROWS = SCENARIOS.parent / "dry_run" / "fail_offline_sql" / "versions"

HEADER = """\
import sqlalchemy as sa
from alembic import op

revision = "b2"
down_revision = "a1"
"""
HEADER_LINES = HEADER.count("\n")


def base_revision(extra: str = "", body: str = "    pass\n") -> str:
    """A base revision ``a1``: the header, ``extra`` lines, upgrade() with ``body``, downgrade()."""
    header = HEADER.replace('revision = "b2"', 'revision = "a1"').replace(
        'down_revision = "a1"', "down_revision = None"
    )
    return header + extra + f"\n\ndef upgrade():\n{body}\n\ndef downgrade():\n    pass\n"


def revision_findings(tmp_path: Path, source: str) -> list[Finding]:
    """The ast-level security findings (no bandit, no squawk) of one revision file."""
    path = tmp_path / "b2_change.py"
    path.write_text(HEADER + textwrap.dedent(source))
    revision = parse_revision(path)
    return [f for rule in SECURITY_RULES for f in rule(revision, "b2_change.py")]


def errors(findings: list[Finding]) -> list[tuple[str, int | None]]:
    return [(f.rule, f.line) for f in findings if f.severity is Severity.ERROR]


def at(line: int) -> int:
    """A line number of the test source, as a line of the written revision file."""
    return HEADER_LINES + line


def test_statement_hidden_after_semicolon_is_found_on_its_own_line(tmp_path: Path) -> None:
    findings = revision_findings(
        tmp_path,
        '''
        def upgrade():
            op.execute("""UPDATE bales SET grade = 'A' WHERE id = 1;
                tRuNcAtE     bales""")
        ''',
    )
    assert errors(findings) == [("ban-truncate", at(4))]


@pytest.mark.parametrize(
    ("sql", "rule"),
    [
        ("delete  FROM\n bales", "require-where-in-delete"),
        ("WITH gone AS (DELETE FROM bales RETURNING id) SELECT count(*) FROM gone", None),
        ("grant   all on bales to cotton_app", "ban-grant-all"),
        ("revoke all on bales from public", None),
        ("select set_config('session_replication_role', 'replica', true)", "ban-replication-role"),
        ("ALTER USER app WITH PASSWORD 'x'", "ban-literal-password"),
        ("ALTER USER app WITH PASSWORD NULL", None),
        ("select lo_export(1, '/tmp/x')", "ban-server-file-functions"),
        ("select dblink('dbname=x', 'select 1')", "ban-dblink"),
    ],
)
def test_sql_rules_read_the_parse_tree(tmp_path: Path, sql: str, rule: str | None) -> None:
    source = f"def upgrade():\n    op.execute({sql!r})\n"
    found = [r for r, _ in errors(revision_findings(tmp_path, source))]
    expected = [] if rule is None else [rule]
    if sql.startswith("WITH gone"):
        expected = ["require-where-in-delete"]  # the DELETE inside a CTE has no WHERE either
    assert found == expected


def test_words_in_comments_docstrings_names_and_unexecuted_strings_never_trigger(
    tmp_path: Path,
) -> None:
    findings = revision_findings(
        tmp_path,
        '''
        """drop table later; TRUNCATE bales; DROP DATABASE x"""
        UNUSED = "DROP SCHEMA public CASCADE"


        def upgrade():
            """DELETE FROM bales"""
            # op.execute("DROP TABLE bales")
            truncate_flag = sa.Column("truncate_flag", sa.Boolean())
            op.add_column("bales", truncate_flag)
            op.execute("UPDATE bales SET truncate_flag = false WHERE truncate_flag IS NULL")
        ''',
    )
    assert errors(findings) == []


def test_a_module_constant_formatted_later_is_injection(tmp_path: Path) -> None:
    findings = revision_findings(
        tmp_path,
        """
        SET_GRADE = "UPDATE bales SET grade = '{}' WHERE id = 1"


        def upgrade():
            sql = SET_GRADE.format("A")
            op.execute(sql)
        """,
    )
    assert errors(findings) == [("ban-sql-injection", at(7))]


@pytest.mark.parametrize(
    "expression",
    [
        'f"DELETE FROM bales WHERE id = {bale_id}"',
        '"DELETE FROM bales WHERE id = %s" % bale_id',
        '"DELETE FROM bales WHERE id = {}".format(bale_id)',
        '"DELETE FROM bales WHERE id = " + str(bale_id)',
        'sa.text(f"DELETE FROM bales WHERE id = {bale_id}").bindparams()',
        "bale_id",  # a parameter: not a literal the guard can see
    ],
)
def test_sql_built_from_values_is_injection(tmp_path: Path, expression: str) -> None:
    source = f"def upgrade(bale_id=1):\n    op.get_bind().exec_driver_sql({expression})\n"
    assert errors(revision_findings(tmp_path, source)) == [("ban-sql-injection", at(2))]


def test_literals_bound_parameters_and_placeholderless_fstrings_pass(tmp_path: Path) -> None:
    findings = revision_findings(
        tmp_path,
        """
        GRADES = ("UPDATE bales SET grade = 'A' WHERE grade = 'a'", "UPDATE bales SET grade = 'B' WHERE grade = 'b'")


        def upgrade():
            op.execute(sa.text("UPDATE bales SET grade = :g WHERE id = :id").bindparams(g="A", id=1))
            conn = op.get_bind()
            conn.execute(sa.text("DELETE FROM bales WHERE id = :id"), {"id": 2})
            op.execute(f"UPDATE bales SET grade = NULL WHERE id = 3")
            op.execute("UPDATE bales " "SET grade = NULL WHERE id = 4")
            for statement in GRADES:
                op.execute(statement)
            op.add_column("bales", sa.Column("seen", sa.DateTime(), server_default=sa.text("now()")))
        """,
    )
    assert findings == []  # not even sql-unparseable for :params or the now() default


def test_each_literal_of_a_loop_is_judged(tmp_path: Path) -> None:
    findings = revision_findings(
        tmp_path,
        """
        def upgrade():
            for statement in ("UPDATE bales SET grade = 'A' WHERE id = 1", "TRUNCATE bales"):
                op.execute(statement)
        """,
    )
    assert errors(findings) == [("ban-truncate", at(4))]  # the line that executes it


def test_unparseable_sql_is_a_warning_naming_its_line(tmp_path: Path) -> None:
    findings = revision_findings(tmp_path, 'def upgrade():\n    op.execute("DROPP TABLE bales")\n')
    assert [(f.rule, f.severity, f.line) for f in findings] == [
        ("sql-unparseable", Severity.WARNING, at(2))
    ]


def test_a_drop_in_upgrade_needs_an_allow_comment_with_reason(tmp_path: Path) -> None:
    findings = revision_findings(
        tmp_path,
        """
        def upgrade():
            op.drop_column("bales", "grade")
            op.drop_table("lots")  # guard: allow-destructive
            op.execute("ALTER TABLE bales DROP COLUMN mark")  # guard: allow-destructive moved to lots
            op.drop_column("bales", "note  # guard: allow-destructive in a string, not a comment")
        """,
    )
    assert errors(findings) == [
        ("require-allowed-destructive", at(3)),
        ("require-allowed-destructive", at(4)),
        ("require-allowed-destructive", at(6)),
    ]
    assert "gives no reason" in findings[1].message
    allowed = [f for f in findings if f.severity is Severity.WARNING]
    assert [(f.rule, f.line) for f in allowed] == [("allowed-destructive", at(5))]
    assert "moved to lots" in allowed[0].message


def test_drops_in_downgrade_pass(tmp_path: Path) -> None:
    findings = revision_findings(
        tmp_path,
        """
        def upgrade():
            op.add_column("bales", sa.Column("mark", sa.String(8)))


        def downgrade():
            op.drop_column("bales", "mark")
            op.execute("DROP TABLE IF EXISTS bale_marks")
            with op.batch_alter_table("bales") as batch_op:
                batch_op.drop_column("mark")
        """,
    )
    assert findings == []


def test_bandit_findings_are_errors_even_when_bandit_says_low(tmp_path: Path) -> None:
    (tmp_path / "a1_base.py").write_text(base_revision("import subprocess\n"))
    context = GuardContext(versions_dir=tmp_path)
    findings = security.run(context)
    assert [(f.rule, f.severity, f.line) for f in findings] == [
        ("bandit-B404", Severity.ERROR, HEADER_LINES + 1)
    ]
    assert any("squawk skipped" in note for note in context.notes)


def test_bandit_assert_is_a_warning_and_every_other_issue_stays_an_error(tmp_path: Path) -> None:
    body = '    assert len(set(GRADES)) == len(GRADES), "duplicate grade"\n'
    (tmp_path / "a1_base.py").write_text(
        base_revision('import pickle\n\nGRADES = ("A", "B")\n', body)
    )
    findings = security.run(GuardContext(versions_dir=tmp_path))
    found = {(f.rule, f.severity) for f in findings}
    assert ("bandit-B101", Severity.WARNING) in found
    assert ("bandit-B403", Severity.ERROR) in found  # pickle: still an error
    assert all(f.severity is Severity.ERROR for f in findings if f.rule != "bandit-B101")
    assert "python -O" in next(f for f in findings if f.rule == "bandit-B101").message


@pytest.mark.parametrize(
    ("base_down", "header", "module_code", "raised"),
    [
        ("None", HEADER, "import not_a_module_of_this_project\n", "ModuleNotFoundError"),
        ("None", HEADER, "GRADES = undefined_name\n", "NameError"),
        # Alembic itself rejects the header (a TypeError inside Alembic, no revision frame).
        ("None", HEADER.replace('"b2"', "None"), "", "TypeError"),
        # a1 -> c3 -> a1: Alembic finds the cycle while walking the graph.
        ('"c3"', HEADER.replace('"b2"', '"c3"'), "", "CommandError"),
    ],
    ids=["missing-module", "module-error", "bad-header", "cycle"],
)
def test_a_revision_that_does_not_load_skips_squawk_with_a_note(
    tmp_path: Path, base_down: str, header: str, module_code: str, raised: str
) -> None:
    base = base_revision().replace("down_revision = None", f"down_revision = {base_down}")
    (tmp_path / "a1_base.py").write_text(base)
    (tmp_path / "b2_change.py").write_text(header + module_code + "\n\ndef upgrade():\n    pass\n")
    context = GuardContext(versions_dir=tmp_path)
    security.run(context)  # no GuardError: lint and dry-run report revision-loads
    assert f"squawk skipped: a revision does not load ({raised})" in context.notes


def test_a_revision_whose_offline_sql_fails_skips_squawk_with_a_note() -> None:
    context = GuardContext(versions_dir=READS_ROWS)  # dry-run reports offline-sql-generates
    security.run(context)
    assert any(
        note.startswith("squawk skipped: offline SQL not generated") for note in context.notes
    ), context.notes


def test_a_guard_failure_making_the_offline_sql_is_a_guard_error(monkeypatch) -> None:
    def broken(scripts, target="heads", *args, **kwargs):
        raise RuntimeError("the guard's own bug")

    monkeypatch.setattr("backend.db.migrator.offline.offline_script", broken)
    with pytest.raises(GuardError, match="offline SQL.*RuntimeError: the guard's own bug"):
        security.run(GuardContext(versions_dir=TWO_REVISIONS))


def test_a_guard_failure_listing_the_revisions_is_a_guard_error(monkeypatch) -> None:
    def broken(scripts):
        raise KeyError("the guard's own bug")

    monkeypatch.setattr(security, "revisions_after_base", broken)
    with pytest.raises(GuardError, match="KeyError: .the guard's own bug"):
        security.run(GuardContext(versions_dir=TWO_REVISIONS))


@pytest.mark.parametrize("check", ["security", "all"])
def test_a_guard_failure_exits_2_never_passes(check, admin_url_text, monkeypatch, capsys) -> None:
    def broken(scripts, target="heads", *args, **kwargs):
        raise RuntimeError("the guard's own bug")

    monkeypatch.setattr("backend.db.migrator.offline.offline_script", broken)
    args = ["--versions", str(TWO_REVISIONS), "--postgres", "url", "--database-url", admin_url_text]
    assert main([check, *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "RuntimeError: the guard's own bug" in err[0], err


def test_squawk_warns_on_revisions_after_the_base_only() -> None:
    findings = security.run(GuardContext(versions_dir=TWO_REVISIONS))
    squawk = [f for f in findings if f.rule.startswith("squawk-")]
    assert "squawk-require-concurrent-index-creation" in {f.rule for f in squawk}
    assert all(f.severity is Severity.WARNING for f in squawk)
    assert {Path(f.path).name for f in squawk} == {"b2_change_bales.py"}
    # The deploy sets lock_timeout and statement_timeout itself: squawk must not ask for them.
    assert not {f.rule for f in squawk} & {f"squawk-{r}" for r in EXCLUDED_RULES}


def test_offline_sql_splits_per_revision_without_transaction_lines() -> None:
    sql = (
        "BEGIN;\n\nCREATE TABLE alembic_version (v int);\n\n-- Running upgrade  -> a1\n\n"
        "CREATE TABLE t (id int);\n\nCOMMIT;\n\nBEGIN;\n\n-- Running upgrade a1 -> b2\n\n"
        "CREATE INDEX ix ON t (id);\n\nCOMMIT;\n"
    )
    parts = split_by_revision(sql)
    assert set(parts) == {"a1", "b2"}
    assert "CREATE INDEX ix ON t (id);" in parts["b2"]
    assert "COMMIT" not in parts["b2"] and "BEGIN" not in parts["b2"]
    assert "CREATE INDEX" not in parts["a1"]


def test_the_projects_own_versions_folder_passes_security() -> None:
    findings = security.run(GuardContext())
    assert errors(findings) == []
