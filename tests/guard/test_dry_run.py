"""dry-run on a real server: the project's chain passes; contract, drift and load failures are named."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from backend.db.guard.checks import dry_run
from backend.db.guard.checks.model_drift import describe_diff, model_location
from backend.db.guard.context import GuardContext

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios" / "dry_run"


def run(context: GuardContext):
    with context.recorder.collecting() as record:
        findings = dry_run.run(context).findings
    return findings, [name for name, _ in record.steps], record.notes


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


BASELINE = Path(__file__).resolve().parents[2] / "backend" / "db" / "migrations" / "versions"


def baseline_plus(tmp_path: Path, upgrade_sql: str) -> Path:
    """The project's baseline and one revision after it that runs ``upgrade_sql``."""
    versions = tmp_path / "versions"
    versions.mkdir()
    [baseline] = BASELINE.glob("*_initial_baseline_*.py")
    (versions / baseline.name).write_text(baseline.read_text())
    head = baseline.name.split("_", 1)[0]
    (versions / "e1_enum_change.py").write_text(
        "from alembic import op\n\n"
        f'revision = "e1"\ndown_revision = "{head}"\n\n\n'
        f"def upgrade():\n    op.execute({upgrade_sql!r})\n\n\n"
        "def downgrade():\n    pass\n"
    )
    return versions


def test_a_renamed_enum_label_is_model_drift_at_the_enum_declaration(
    context_for, tmp_path: Path
) -> None:
    versions = baseline_plus(tmp_path, "ALTER TYPE trade_status RENAME VALUE 'cancelled' TO 'void'")
    findings, _, _ = run(context_for(versions, compare_models=True))
    assert {f.rule for f in findings} == {"no-model-drift"}
    messages = [f.message for f in findings]
    assert len(findings) == 2, messages
    assert messages[0].startswith(
        "enum trade_status: the models have label 'cancelled' that the database lacks"
    )
    assert messages[1].startswith(
        "enum trade_status: the database has label 'void' that the models lack"
    )
    for finding in findings:
        assert finding.path == "backend/modules/trade_desk/models.py"
        declared = Path(finding.path).read_text().splitlines()[finding.line - 1]
        assert declared.startswith("trade_status_enum = Enum(")
    assert "ALTER TYPE trade_status ADD VALUE 'cancelled'" in findings[0].hint


def test_an_extra_enum_label_in_the_database_is_model_drift(context_for, tmp_path: Path) -> None:
    versions = baseline_plus(tmp_path, "ALTER TYPE kyc_status ADD VALUE 'suspended'")
    findings, _, _ = run(context_for(versions, compare_models=True))
    assert [f.message.split(";")[0] for f in findings] == [
        "enum kyc_status: the database has label 'suspended' that the models lack"
    ]
    assert findings[0].path == "backend/modules/partners/models.py"


def test_enum_differences_name_missing_types_extra_labels_and_order() -> None:
    from backend.db.guard.checks.model_drift import enum_differences

    live = {"grade": ["a", "b", "c"], "only_db": ["x"], "same": ["p", "q"]}
    models = {"grade": ["a", "c", "b"], "only_models": ["y"], "same": ["p", "q"]}
    drifts = {d.enum: d.message for d in enum_differences(live, models)}
    assert drifts == {
        "grade": "enum grade: the labels are in another order (database: a, b, c; models: a, "
        "c, b); ORDER BY and comparisons on its columns follow the database's order",
        "only_db": "enum only_db is created by the migrations but is not in the models",
        "only_models": "enum only_models is in the models but no migration creates it",
    }
    [two] = enum_differences({"grade": ["a"]}, {"grade": ["a", "b", "c"]})
    assert two.message.startswith("enum grade: the models have labels 'b', 'c' that")


def test_the_models_enums_are_read_from_their_columns() -> None:
    from backend.db.base import Base
    from backend.db.guard.checks.model_drift import model_enums

    enums = model_enums(Base.metadata)
    assert enums["trade_status"][-2:] == ["cancelled", "disputed"]
    assert len(enums) == 9


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
