"""A synthetic tangled history that nets out to exactly the models' schema.

The project's 58 tables are created over 25 linear revisions (enum types added where first
used, two of them missing a label), then the tangles: a branch that adds and drops an index, a
branch that adds an enum label (``ALTER TYPE ... ADD VALUE``) and changes a server default,
a merge, the default restored and a column added, a branch that drops that column and adds and
drops a table, a branch that adds another enum label with ``BEFORE``, a second merge, and two
open heads each creating one last table. 38 revisions, two merges, two heads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import render_python_code
from alembic.operations import ops
from alembic.runtime.migration import MigrationContext
from sqlalchemy.dialects import postgresql

from backend.db.base import Base
from backend.db.baseline_writer import create_enum_sql, create_extension_sql, drop_extension_sql

LINEAR_CHUNKS = 24
DEFAULT_TABLE, DEFAULT_COLUMN = "availabilities", "currency"
INDEX_TABLE, INDEX_COLUMN = "availabilities", "unit"


@dataclass(frozen=True)
class Tangled:
    folder: Path
    revisions: tuple[str, ...]
    heads: tuple[str, ...]
    merges: tuple[str, ...]
    enum_appended: tuple[str, str]  # (enum, label) added by ALTER TYPE ... ADD VALUE
    enum_inserted: tuple[str, str]  # (enum, label) added with BEFORE


def _render(operations: list[ops.MigrateOperation]) -> str:
    if not operations:
        return "    pass"
    context = MigrationContext.configure(
        dialect_name="postgresql", opts={"target_metadata": Base.metadata}
    )
    code = render_python_code(ops.UpgradeOps(ops=operations), migration_context=context)
    return "\n".join(
        "    " + line.strip() if i == 0 else line for i, line in enumerate(code.splitlines())
    )


def write_revision(folder: Path, rev: str, down, message: str, up: list, down_ops: list) -> None:
    """One revision file (tests also add one on top of the history: a disagreement, a failure)."""
    slug = "".join(ch if ch.isalnum() else "_" for ch in message.lower())[:40]
    (folder / f"{rev}_{slug}.py").write_text(
        f'''"""{message}

Revision ID: {rev}
Revises: {down}
"""

from collections.abc import Sequence

import pgvector.sqlalchemy  # noqa: F401
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql  # noqa: F401

revision: str = {rev!r}
down_revision: str | Sequence[str] | None = {down!r}
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
{_render(up)}


def downgrade() -> None:
{_render(down_ops)}
'''
    )


def _leaf_pair(tables: list[sa.Table]) -> tuple[sa.Table, sa.Table]:
    """Two tables nothing references and that do not reference each other: the open heads."""
    referenced = {fk.column.table.name for t in tables for fk in t.foreign_keys}
    leaves = [t for t in tables if t.name not in referenced]
    return leaves[-1], leaves[-2]


def write_tangled_history(folder: Path) -> Tangled:
    """Write the history into ``folder`` (see the module docstring)."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = sa.MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        table.to_metadata(copy)
    tables = list(copy.sorted_tables)
    head_e, head_f = _leaf_pair(tables)
    linear = [t for t in tables if t not in (head_e, head_f)]

    enums: dict[str, list[str]] = {}
    for table in tables:
        for column in table.columns:
            if isinstance(column.type, sa.Enum):
                enums.setdefault(column.type.name, list(column.type.enums))
                column.type = postgresql.ENUM(
                    *column.type.enums, name=column.type.name, create_type=False
                )
    long_enums = sorted(name for name, labels in enums.items() if len(labels) >= 3)
    appended = (long_enums[0], enums[long_enums[0]][-1])
    inserted_enum = long_enums[1]
    inserted = (inserted_enum, enums[inserted_enum][1])
    initial = {name: list(labels) for name, labels in enums.items()}
    initial[appended[0]].remove(appended[1])
    initial[inserted[0]].remove(inserted[1])
    created: set[str] = set()

    def table_ops(chunk: list[sa.Table]) -> tuple[list, list]:
        up, down = [], []
        for table in chunk:
            for column in table.columns:
                name = getattr(column.type, "name", None)
                if isinstance(column.type, sa.Enum) and name not in created:
                    created.add(name)
                    up.append(ops.ExecuteSQLOp(create_enum_sql(sa.Enum(*initial[name], name=name))))
                    down.insert(0, ops.ExecuteSQLOp(f"DROP TYPE {name}"))
        for table in chunk:
            up.append(ops.CreateTableOp.from_table(table))
            up += [
                ops.CreateIndexOp.from_index(index)
                for index in sorted(table.indexes, key=lambda i: i.name)
            ]
        down[:0] = [ops.DropTableOp.from_table(table) for table in reversed(chunk)]
        return up, down

    revisions: list[str] = []

    def rev(n: int, suffix: str = "") -> str:
        name = f"tangled{n:02d}{suffix}"
        revisions.append(name)
        return name

    r = rev(1)
    write_revision(
        folder,
        r,
        None,
        "enable vector",
        [ops.ExecuteSQLOp(create_extension_sql(r))],
        [ops.ExecuteSQLOp(drop_extension_sql(r))],
    )
    previous = r
    for i in range(LINEAR_CHUNKS):
        chunk = linear[i * len(linear) // LINEAR_CHUNKS : (i + 1) * len(linear) // LINEAR_CHUNKS]
        r = rev(i + 2)
        up, down = table_ops(chunk)
        write_revision(folder, r, previous, f"tables {chunk[0].name} and more", up, down)
        previous = r
    fork = previous  # tangled25

    index = ops.CreateIndexOp("ix_tangled_tmp", INDEX_TABLE, [INDEX_COLUMN])
    a1 = rev(26, "a")
    write_revision(folder, a1, fork, "add temporary index", [index], [index.reverse()])
    a2 = rev(27, "a")
    write_revision(folder, a2, a1, "drop temporary index", [index.reverse()], [index])
    b1 = rev(26, "b")
    write_revision(
        folder,
        b1,
        fork,
        f"add label to {appended[0]}",
        [ops.ExecuteSQLOp(f"ALTER TYPE {appended[0]} ADD VALUE '{appended[1]}'")],
        [],
    )
    b2 = rev(27, "b")
    usd = ops.AlterColumnOp(
        DEFAULT_TABLE,
        DEFAULT_COLUMN,
        modify_server_default=sa.text("'USD'"),
        existing_type=sa.String(3),
    )
    inr = ops.AlterColumnOp(
        DEFAULT_TABLE,
        DEFAULT_COLUMN,
        modify_server_default=sa.text("'INR'"),
        existing_type=sa.String(3),
    )
    write_revision(folder, b2, b1, "currency defaults to USD", [usd], [inr])
    merge1 = rev(28)
    write_revision(folder, merge1, (a2, b2), "merge index and enum branches", [], [])
    r29 = rev(29)
    extra = sa.Column("legacy_note", sa.Text(), nullable=True)
    add_col = ops.AddColumnOp(DEFAULT_TABLE, extra)
    write_revision(
        folder,
        r29,
        merge1,
        "currency back to INR, legacy note",
        [inr, add_col],
        [add_col.reverse(), usd],
    )
    c1 = rev(30, "c")
    write_revision(
        folder,
        c1,
        r29,
        "drop legacy note",
        [add_col.reverse()],
        [ops.AddColumnOp(DEFAULT_TABLE, sa.Column("legacy_note", sa.Text(), nullable=True))],
    )
    scratch = sa.Table(
        "tangled_scratch", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True)
    )
    c2 = rev(31, "c")
    write_revision(
        folder,
        c2,
        c1,
        "scratch table",
        [ops.CreateTableOp.from_table(scratch)],
        [ops.DropTableOp.from_table(scratch)],
    )
    c3 = rev(32, "c")
    write_revision(
        folder,
        c3,
        c2,
        "drop scratch table",
        [ops.DropTableOp.from_table(scratch)],
        [ops.CreateTableOp.from_table(scratch)],
    )
    d1 = rev(30, "d")
    labels = enums[inserted[0]]
    before = labels[labels.index(inserted[1]) + 1]
    write_revision(
        folder,
        d1,
        r29,
        f"add label to {inserted[0]}",
        [ops.ExecuteSQLOp(f"ALTER TYPE {inserted[0]} ADD VALUE '{inserted[1]}' BEFORE '{before}'")],
        [],
    )
    merge2 = rev(33)
    write_revision(folder, merge2, (c3, d1), "merge cleanup and enum branches", [], [])
    e = rev(34, "e")
    up, down = table_ops([head_e])
    write_revision(folder, e, merge2, f"table {head_e.name}", up, down)
    f = rev(34, "f")
    up, down = table_ops([head_f])
    write_revision(folder, f, merge2, f"table {head_f.name}", up, down)
    return Tangled(
        folder, tuple(revisions), tuple(sorted((e, f))), (merge1, merge2), appended, inserted
    )
