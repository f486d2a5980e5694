"""Chains for lock-test's measures: revisions that lock and work on big tables, as real files.

:func:`write_bales_chain`: a base revision creates ``bales`` and the tables its foreign keys will
point at (``sources_0`` ...), then rounds of five revisions on ``bales``, one of each kind that
lock-test must measure: an index build, a type change int -> bigint (a rewrite), a column added
with a constant default (metadata only since PostgreSQL 11), SET NOT NULL (a scan) and a foreign
key validated under SHARE ROW EXCLUSIVE (a scan). 20 revisions = 4 rounds.

:func:`write_prediction_chain`: one table per statement kind, so each revision's work is that
kind's alone (an index on the type-changed table would be rebuilt by the rewrite).

Each downgrade undoes its upgrade, as in ``chain.py``.
"""

from __future__ import annotations

from pathlib import Path

import chain

BASE = "lockbase"
IMPORTS = "import sqlalchemy as sa\nfrom alembic import op\n"
KINDS = ("index", "alter type", "add column with default", "set not null", "foreign key")


def _write(target: Path, number: int, revision: str, down: str | None, what, up, down_sql) -> str:
    path = target / f"{number:03d}_{revision}.py"
    path.write_text(
        chain.REVISION_TEMPLATE.format(
            imports=IMPORTS,
            number=number,
            what=what,
            revision=revision,
            down_revision=down,
            upgrade=up,
            downgrade=down_sql,
        )
    )
    return revision


def _bales_columns(rounds: int) -> list[str]:
    columns = ["sa.Column('id', sa.Integer, primary_key=True)"]
    for k in range(rounds):
        columns += [
            f"sa.Column('measure_{k}', sa.Integer, nullable=False)",
            f"sa.Column('amount_{k}', sa.Integer, nullable=False)",
            f"sa.Column('grade_{k}', sa.String(8), nullable=True)",
            f"sa.Column('source_{k}_id', sa.Integer, nullable=True)",
        ]
    return columns


def _create_tables(tables: dict[str, list[str]]) -> tuple[str, str]:
    up = "\n    ".join(
        f"op.create_table({name!r}, {', '.join(columns)})" for name, columns in tables.items()
    )
    down = "\n    ".join(f"op.drop_table({name!r})" for name in reversed(tables))
    return up, down


def parents(revisions: int) -> list[str]:
    """The tables the foreign keys of a chain of ``revisions`` point at."""
    return [f"sources_{k}" for k in range(_rounds(revisions))]


def _rounds(revisions: int) -> int:
    return max(1, -(-revisions // len(KINDS)))


def bales_step(k: int, kind: str) -> tuple[str, str, str]:
    """(what, upgrade, downgrade) of round ``k``'s revision of ``kind`` on ``bales``."""
    if kind == "index":
        return (
            f"index bales.measure_{k}",
            f"op.create_index('ix_bales_measure_{k}', 'bales', ['measure_{k}'])",
            f"op.drop_index('ix_bales_measure_{k}', table_name='bales')",
        )
    if kind == "alter type":
        return (
            f"widen bales.amount_{k} to bigint",
            f"op.alter_column('bales', 'amount_{k}', type_=sa.BigInteger, "
            "existing_type=sa.Integer)",
            f"op.alter_column('bales', 'amount_{k}', type_=sa.Integer, "
            "existing_type=sa.BigInteger)",
        )
    if kind == "add column with default":
        return (
            f"add bales.checked_{k} with a default",
            f"op.add_column('bales', sa.Column('checked_{k}', sa.Boolean, nullable=False, "
            "server_default=sa.false()))",
            f"op.drop_column('bales', 'checked_{k}')",
        )
    if kind == "set not null":
        return (
            f"bales.grade_{k} NOT NULL",
            f"op.alter_column('bales', 'grade_{k}', nullable=False, existing_type=sa.String(8))",
            f"op.alter_column('bales', 'grade_{k}', nullable=True, existing_type=sa.String(8))",
        )
    return (
        f"foreign key bales.source_{k}_id -> sources_{k}",
        f"op.create_foreign_key('fk_bales_source_{k}', 'bales', 'sources_{k}', "
        f"['source_{k}_id'], ['id'])",
        f"op.drop_constraint('fk_bales_source_{k}', 'bales', type_='foreignkey')",
    )


def write_bales_chain(target: Path, revisions: int = 20) -> Path:
    """The base revision and ``revisions`` revisions on ``bales`` (kinds in turn) in ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    rounds = _rounds(revisions)
    tables = {
        name: ["sa.Column('id', sa.Integer, primary_key=True)"] for name in parents(revisions)
    }
    tables["bales"] = _bales_columns(rounds)
    up, down = _create_tables(tables)
    previous = _write(target, 0, BASE, None, "create bales and its sources", up, down)
    for number in range(revisions):
        what, up, down = bales_step(number // len(KINDS), KINDS[number % len(KINDS)])
        previous = _write(target, number + 1, f"lock{number:03d}", previous, what, up, down)
    return target


# The prediction chain: (kind, table, revision) per statement kind compared at ten times the size.
PREDICTED = (
    ("CREATE INDEX", "bales_ix", "index"),
    ("ALTER TYPE int -> bigint", "bales_ty", "alter type"),
    ("SET NOT NULL", "bales_nn", "set not null"),
)


def write_prediction_chain(target: Path) -> Path:
    """A base revision with one table per kind of :data:`PREDICTED`, then one revision each."""
    target.mkdir(parents=True, exist_ok=True)
    tables = {table: _bales_columns(1) for _, table, _ in PREDICTED}
    up, down = _create_tables(tables)
    previous = _write(target, 0, BASE, None, "create one table per statement kind", up, down)
    for number, (_, table, kind) in enumerate(PREDICTED):
        what, up, down = bales_step(0, kind)
        what = what.replace("bales", table)
        up, down = (text.replace("'bales'", repr(table)) for text in (up, down))
        up, down = (text.replace("ix_bales_", f"ix_{table}_") for text in (up, down))
        previous = _write(target, number + 1, f"pred{number:03d}", previous, what, up, down)
    return target
