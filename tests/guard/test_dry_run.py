"""dry-run on a real server: the project's chain passes; contract, drift and load failures are named."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from backend.db.guard.checks import dry_run
from backend.db.guard.checks.model_drift import describe_diff, model_location
from backend.db.guard.context import GuardContext

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios" / "dry_run"


def run(context: GuardContext):
    with context.collecting() as (steps, notes):
        findings = dry_run.run(context)
    return findings, [name for name, _ in steps], notes


def test_project_chain_matches_contract_and_models(context_for) -> None:
    findings, steps, notes = run(context_for())
    assert findings == []
    assert "compare with the schema contract" in steps and "compare with the models" in steps
    assert any(note.startswith("slowest revisions: d5fd7286d60e") for note in notes)


def test_every_contract_difference_is_its_own_finding(context_for) -> None:
    folder = SCENARIOS / "fail_contract_mismatch"
    context = context_for(folder / "versions", contract_path=folder / "contract.json")
    findings, _, _ = run(context)
    messages = [f.message for f in findings]
    assert {f.rule for f in findings} == {"schema-matches-contract"}
    assert any("table brokers is missing from the database" in m for m in messages)
    assert any("column lots.bales differs in nullable" in m for m in messages)
    assert len(findings) == 2


def test_model_drift_names_tables_on_both_sides(context_for) -> None:
    findings, _, _ = run(
        context_for(SCENARIOS / "fail_model_drift" / "versions", compare_models=True)
    )
    messages = [f.message for f in findings if f.rule == "no-model-drift"]
    assert "table warehouses is created by the migrations but is not in the models" in messages
    assert sum("is in the models but no migration creates it" in m for m in messages) >= 50
    # A table the models own points at its model class; one only the migrations know cannot.
    by_message = {f.message: f for f in findings}
    users = by_message["table users is in the models but no migration creates it"]
    assert users.path == "backend/modules/settings/models.py" and users.line
    assert "class User" in Path(users.path).read_text().splitlines()[users.line - 1]
    warehouses = by_message[
        "table warehouses is created by the migrations but is not in the models"
    ]
    assert warehouses.line is None


def test_drift_of_a_column_points_at_its_line_in_the_model(tmp_path) -> None:
    from backend.db.base import Base

    path, line = model_location(Base.metadata, "requirements", "quantity")
    assert path.name == "models.py" and path.parent.name == "trade_desk"
    assert path.read_text().splitlines()[line - 1].lstrip().startswith("quantity")
    assert model_location(Base.metadata, "no_such_table", None) is None


def test_syntax_error_is_a_finding_on_the_file_and_line(context_for) -> None:
    findings, _, _ = run(context_for(SCENARIOS / "fail_syntax_error" / "versions"))
    [finding] = findings
    assert finding.rule == "revision-loads"
    assert finding.path.endswith("b2_broken.py") and finding.line == 17
    assert "SyntaxError" in finding.message


def test_offline_failure_points_at_the_revision(context_for) -> None:
    findings, _, _ = run(context_for(SCENARIOS / "fail_offline_sql" / "versions"))
    [finding] = findings
    assert finding.rule == "offline-sql-generates" and finding.path.endswith("b2_reads_rows.py")


def test_autogenerate_differences_read_as_sentences() -> None:
    table = sa.Table("requirements", sa.MetaData(), sa.Column("grade", sa.String(10)))
    assert (
        describe_diff(("add_column", None, "requirements", table.c.grade))
        == "column requirements.grade is in the models but no migration creates it"
    )
    assert (
        describe_diff(("remove_table", table))
        == "table requirements is created by the migrations but is not in the models"
    )
    nullable = ("modify_nullable", None, "requirements", "grade", {}, True, False)
    assert describe_diff([nullable]) == (
        "column requirements.grade differs in nullable: the migrations give NULL allowed, "
        "the models say NOT NULL"
    )


def test_upgrade_failure_points_at_the_op_and_quotes_the_detail(context_for) -> None:
    findings, _, _ = run(context_for(SCENARIOS / "fail_unique_over_duplicates" / "versions"))
    [finding] = findings
    assert finding.rule == "upgrade-fails" and finding.path.endswith("b2_unique_code.py")
    source = Path(finding.path).read_text().splitlines()
    assert source[finding.line - 1].strip() == "op.create_index(", finding.line  # not def upgrade()
    assert 'could not create unique index "uq_lots_code"' in finding.message
    assert "Key (code)=(A1) is duplicated" in finding.message


def test_upgrade_failure_of_a_one_line_op_points_at_that_line(context_for) -> None:
    findings, _, _ = run(context_for(SCENARIOS / "fail_sql_error" / "versions"))
    [finding] = findings
    line = Path(finding.path).read_text().splitlines()[finding.line - 1]
    assert line.strip().startswith(
        'op.execute("ALTER TABLE warehouses ADD COLUMN capacity INTEGR")'
    )
