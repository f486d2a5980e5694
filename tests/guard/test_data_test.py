"""data-test on the project's own schema: the five ways a migration that passes every other check
breaks the deploy on a database that holds rows, each next to its safe recipe.

Each test copies the project's versions folder (the 58-table baseline) into a temporary folder,
adds one revision and runs ``migration-guard data-test --versions TMP`` on the session server: the
failing one exits 1 with the finding at the ``op.*`` line that broke and names the rows that broke
it; the recipe exits 0.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from backend.db.guard.checks.data_rehearsal.diagnosis import altered_columns, broken_rows
from backend.db.guard.checks.data_rehearsal.walk import split
from backend.db.guard.cli import main
from backend.db.migrations_config import VERSIONS_DIR
from backend.db.migrator.failure import FailureLocation
from backend.db.migrator.scripts import load

BASELINE = "d5fd7286d60e"
HEADER = '''"""{doc}

Revision ID: {rev}
Revises: {down}
"""

import sqlalchemy as sa
from alembic import op

revision = "{rev}"
down_revision = "{down}"
branch_labels = None
depends_on = None

'''

NOT_NULL_WITHOUT_DEFAULT = """
def upgrade() -> None:
    op.add_column("trades", sa.Column("contract_terms_version", sa.Integer(), nullable=False))


def downgrade() -> None:
    op.drop_column("trades", "contract_terms_version")
"""
NOT_NULL_WITH_DEFAULT = """
def upgrade() -> None:
    op.add_column(
        "trades",
        sa.Column("contract_terms_version", sa.Integer(), server_default="1", nullable=False),
    )


def downgrade() -> None:
    op.drop_column("trades", "contract_terms_version")
"""

UNIQUE_OVER_REPEATS = """
def upgrade() -> None:
    op.create_index("uq_business_partners_legal_name", "business_partners", ["legal_name"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_business_partners_legal_name", table_name="business_partners")
"""
UNIQUE_AFTER_DEDUPE = """
def upgrade() -> None:
    op.execute(
        "UPDATE business_partners AS b SET legal_name = left(b.legal_name, 170) || ' ('"
        " || b.partner_code || ')' WHERE EXISTS (SELECT 1 FROM business_partners AS o"
        " WHERE o.legal_name = b.legal_name AND o.id <> b.id)"
    )
    op.create_index("uq_business_partners_legal_name", "business_partners", ["legal_name"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_business_partners_legal_name", table_name="business_partners")
"""

CAST_EVERY_VALUE = """
def upgrade() -> None:
    op.alter_column(
        "business_partners", "phone", type_=sa.Integer(), postgresql_using="phone::integer"
    )


def downgrade() -> None:
    op.alter_column(
        "business_partners", "phone", type_=sa.String(20), postgresql_using="phone::text"
    )
"""
CAST_WITH_CASE = """
def upgrade() -> None:
    op.alter_column(
        "business_partners",
        "phone",
        type_=sa.Integer(),
        postgresql_using="CASE WHEN phone ~ '^[0-9]{1,9}$' THEN phone::integer END",
    )


def downgrade() -> None:
    op.alter_column(
        "business_partners", "phone", type_=sa.String(20), postgresql_using="phone::text"
    )
"""
# The row an incident left behind: a phone typed with letters O for zeros.
TEAM_ROWS = "UPDATE business_partners SET phone = '36OO02';\n"

ENUM_WITHOUT_LABEL = """
def upgrade() -> None:
    op.drop_index("ix_trades_open_delivery_to", table_name="trades")
    op.execute("ALTER TABLE trades ALTER COLUMN status DROP DEFAULT")
    op.execute("ALTER TYPE trade_status RENAME TO trade_status_old")
    op.execute(
        "CREATE TYPE trade_status AS ENUM ('draft', 'pending_signatures', 'confirmed', "
        "'in_delivery', 'delivered', 'settled', 'cancelled')"
    )
    op.execute(
        "ALTER TABLE trades ALTER COLUMN status TYPE trade_status USING status::text::trade_status"
    )
    op.execute("ALTER TABLE trades ALTER COLUMN status SET DEFAULT 'draft'")
    op.execute("DROP TYPE trade_status_old")
    op.create_index(
        "ix_trades_open_delivery_to",
        "trades",
        ["delivery_to"],
        postgresql_where=sa.text("status IN ('confirmed', 'in_delivery')"),
    )


def downgrade() -> None:
    op.execute("ALTER TYPE trade_status ADD VALUE 'disputed'")
"""
ENUM_AFTER_MOVING_ROWS = ENUM_WITHOUT_LABEL.replace(
    '    op.drop_index("ix_trades_open_delivery_to", table_name="trades")',
    "    op.execute(\"UPDATE trades SET status = 'cancelled' WHERE status = 'disputed'\")\n"
    '    op.drop_index("ix_trades_open_delivery_to", table_name="trades")',
)

NOT_NULL_BACK_IN_DOWNGRADE = """
def upgrade() -> None:
    op.alter_column("trades", "payment_term_id", existing_type=sa.UUID(), nullable=True)


def downgrade() -> None:
    op.alter_column("trades", "payment_term_id", existing_type=sa.UUID(), nullable=False)
"""
NOT_NULL_BACK_AFTER_BACKFILL = """
def upgrade() -> None:
    op.alter_column("trades", "payment_term_id", existing_type=sa.UUID(), nullable=True)


def downgrade() -> None:
    op.execute(
        "UPDATE trades SET payment_term_id = (SELECT id FROM payment_terms ORDER BY id LIMIT 1)"
        " WHERE payment_term_id IS NULL"
    )
    op.alter_column("trades", "payment_term_id", existing_type=sa.UUID(), nullable=False)
"""


def project_with(tmp_path: Path, body: str, team_rows: str | None = None) -> Path:
    """The project's versions folder plus one revision ``c1`` after the baseline."""
    versions = tmp_path / "migrations" / "versions"
    shutil.copytree(VERSIONS_DIR, versions, ignore=shutil.ignore_patterns("__pycache__"))
    text = HEADER.format(doc="the case", rev="c1", down=BASELINE) + body.lstrip("\n")
    (versions / "c1_case.py").write_text(text)
    if team_rows is not None:
        folder = tmp_path / "migrations" / "rehearsal"
        folder.mkdir()
        (folder / f"{BASELINE}.sql").write_text(team_rows)
    return versions


def data_test(versions: Path, admin_url_text: str, capsys, *extra: str) -> tuple[int, dict]:
    code = main(
        [
            "data-test",
            "--versions",
            str(versions),
            "--format",
            "json",
            "--postgres",
            "url",
            "--database-url",
            admin_url_text,
            *extra,
        ]
    )
    return code, json.loads(capsys.readouterr().out)


def line_of(versions: Path, needle: str) -> int:
    lines = (versions / "c1_case.py").read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def errors(report: dict) -> list[dict]:
    return [f for f in report["findings"] if f["severity"] == "error"]


FAILING = [
    pytest.param(
        NOT_NULL_WITHOUT_DEFAULT,
        None,
        "data-upgrade-fails",
        "op.add_column(",
        ["contains null values", "rows with NULL in trades.contract_terms_version"],
        id="not-null-without-default",
    ),
    pytest.param(
        UNIQUE_OVER_REPEATS,
        None,
        "data-upgrade-fails",
        "op.create_index(",
        ["could not create unique index", "rows that repeat (legal_name)=("],
        id="unique-index-over-repeats",
    ),
    pytest.param(
        CAST_EVERY_VALUE,
        TEAM_ROWS,
        "data-upgrade-fails",
        "op.alter_column(",
        [
            "invalid input syntax for type integer",
            "in business_partners.phone, which is not a valid integer",
        ],
        id="varchar-to-integer-36OO02",
    ),
    pytest.param(
        ENUM_WITHOUT_LABEL,
        None,
        "data-upgrade-fails",
        "USING status::text::trade_status",
        ["invalid input value for enum trade_status", "label 'disputed' in trades.status"],
        id="enum-label-removed",
    ),
    pytest.param(
        NOT_NULL_BACK_IN_DOWNGRADE,
        None,
        "data-downgrade-fails",
        "nullable=False",
        ["contains null values", "rows with NULL in trades.payment_term_id"],
        id="downgrade-re-adds-not-null",
    ),
]


@pytest.mark.parametrize(("body", "team_rows", "rule", "op_line", "said"), FAILING)
def test_each_case_fails_on_rows_at_the_op_line(
    tmp_path, admin_url_text, capsys, body, team_rows, rule, op_line, said
) -> None:
    versions = project_with(tmp_path, body, team_rows)

    code, report = data_test(versions, admin_url_text, capsys)

    assert code == 1, report
    [found] = errors(report)
    assert found["rule"] == rule
    assert found["path"].endswith("c1_case.py")
    assert found["line"] == line_of(versions, op_line) or (
        # a multi-line op.* call is placed at the line the traceback names: its first
        found["line"] < line_of(versions, op_line)
        and "op." in (versions / "c1_case.py").read_text().splitlines()[found["line"] - 1]
    )
    for words in said:
        assert words in found["message"], found["message"]


SAFE = [
    pytest.param(NOT_NULL_WITH_DEFAULT, None, id="server-default"),
    pytest.param(UNIQUE_AFTER_DEDUPE, None, id="dedupe-then-unique-index"),
    pytest.param(CAST_WITH_CASE, TEAM_ROWS, id="using-case"),
    pytest.param(ENUM_AFTER_MOVING_ROWS, None, id="rows-moved-off-the-label"),
    pytest.param(NOT_NULL_BACK_AFTER_BACKFILL, None, id="downgrade-backfills"),
]


@pytest.mark.parametrize(("body", "team_rows"), SAFE)
def test_each_safe_recipe_passes_on_rows(tmp_path, admin_url_text, capsys, body, team_rows):
    versions = project_with(tmp_path, body, team_rows)

    code, report = data_test(versions, admin_url_text, capsys, "--since", BASELINE)

    assert code == 0, report
    assert not errors(report)
    notes = " ".join(report["notes"])
    assert "--since: 1 old revision(s) applied in one go" in notes
    assert "revisions rehearsed on rows: 1 of 1" in notes
    if team_rows:
        assert f"rehearsal/{BASELINE}.sql ran" in notes


def test_the_project_passes_with_rows_in_every_table(admin_url_text, capsys) -> None:
    code, report = data_test(VERSIONS_DIR, admin_url_text, capsys, "--rows", "50")

    assert code == 0, report
    assert report["findings"] == []
    assert "at most 2900 rows in 58 tables (50-50 per table)" in " ".join(report["notes"])
    assert {step["name"] for step in report["steps"]} >= {
        "fill",
        "upgrade",
        "downgrade",
        "reupgrade",
    }


def test_split_keeps_the_old_revisions_apart_in_order(tmp_path) -> None:
    versions = project_with(tmp_path, NOT_NULL_WITH_DEFAULT)
    scripts = load(versions)

    old, new = split(scripts, frozenset({BASELINE}))

    assert [s.revision for s in old] == [BASELINE]
    assert [s.revision for s in new] == ["c1"]


def test_an_unknown_since_revision_cannot_run(tmp_path, admin_url_text, capsys) -> None:
    versions = project_with(tmp_path, NOT_NULL_WITH_DEFAULT)

    code = main(
        ["data-test", "--versions", str(versions), "--since", "nope", "--postgres", "url",
         "--database-url", admin_url_text]
    )  # fmt: skip

    assert code == 2
    assert "--since nope: neither a revision of the folder nor a git ref" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("state", "message", "detail", "sql", "rows"),
    [
        ("23502", 'column "a" of relation "t" contains null values', None, None,
         "rows with NULL in t.a"),
        ("23505", 'could not create unique index "u"', "Key (k)=(1) is duplicated.", None,
         "rows that repeat (k)=(1) (unique index u)"),
        ("22P02", 'invalid input syntax for type integer: "36OO02"', None,
         "ALTER TABLE t ALTER COLUMN c TYPE INTEGER USING c::integer",
         "rows holding '36OO02' in t.c, which is not a valid integer"),
        ("23503", 'insert or update on table "c" violates foreign key constraint "f"',
         'Key (p)=(9) is not present in table "p".', None, "rows whose (p)=(9) has no row in p"),
        ("23514", 'check constraint "k" of relation "t" is violated by some row', None, None,
         "rows of t that break CHECK k"),
        ("42P01", 'relation "x" does not exist', None, None, None),
    ],
)  # fmt: skip
def test_broken_rows_says_what_postgres_told(state, message, detail, sql, rows) -> None:
    failure = FailureLocation("r", True, Path("r.py"), 3, message, detail, state)

    assert broken_rows(failure, sql) == rows


def test_altered_columns_reads_alter_table_only() -> None:
    assert altered_columns("ALTER TABLE t ALTER COLUMN c SET NOT NULL") == ["t.c"]
    assert altered_columns("UPDATE t SET c = 1") == []
    assert altered_columns("not sql at all") == []
