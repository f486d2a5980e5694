"""Chains for the scaling runs: the baseline plus N generated revisions, as real revision files.

Revision ``2k`` adds a nullable column to table ``k mod 58`` (walking the baseline's tables in
name order) and revision ``2k+1`` indexes that column, so every step is real DDL on a table that
the baseline filled with columns, indexes and foreign keys. Each downgrade undoes exactly its
upgrade, so the guard must pass on every chain: a failing chain would time an early exit.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from backend.db.base import Base
from backend.db.migrations_config import VERSIONS_DIR, script_directory

REVISION_TEMPLATE = '''"""bench {number}: {what}

Revision ID: {revision}
Revises: {down_revision}
"""

{imports}
revision = {revision!r}
down_revision = {down_revision!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    {upgrade}


def downgrade() -> None:
    {downgrade}
'''


def baseline_head() -> str:
    """The project's single head, which the generated revisions build on."""
    (head,) = script_directory(VERSIONS_DIR).get_heads()
    return head


def revision_id(number: int) -> str:
    return f"bench{number:07d}"


def revision_source(number: int, down_revision: str, tables: list[str]) -> str:
    """The text of generated revision ``number`` (0-based), applied after ``down_revision``."""
    pair = number // 2
    table = tables[pair % len(tables)]
    column = f"bench_c{pair}"
    if number % 2 == 0:
        what = f"add column {table}.{column}"
        upgrade = f"op.add_column({table!r}, sa.Column({column!r}, sa.Integer(), nullable=True))"
        downgrade = f"op.drop_column({table!r}, {column!r})"
    else:
        index = f"ix_bench_{pair}"
        what = f"index {table}.{column}"
        upgrade = f"op.create_index({index!r}, {table!r}, [{column!r}])"
        downgrade = f"op.drop_index({index!r}, table_name={table!r})"
    imports = ("import sqlalchemy as sa\n" if "sa." in upgrade else "") + "from alembic import op\n"
    return REVISION_TEMPLATE.format(
        imports=imports,
        number=number,
        what=what,
        revision=revision_id(number),
        down_revision=down_revision,
        upgrade=upgrade,
        downgrade=downgrade,
    )


# The chain's tables are small in "production": lock-test measures the generated index builds
# (its cost is what the bench times) but does not fail them, so the timed run passes.
CHAIN_TABLE_ROWS = 1_000


def sizes_file(versions: Path) -> Path:
    """The production sizes of a chain written by :func:`write_chain`, beside its folder."""
    return versions.parent / "table_sizes.json"


def write_chain(target: Path, added: int) -> Path:
    """Fill ``target`` with the baseline's revision files plus ``added`` generated ones, and
    write their production sizes beside it (:func:`sizes_file`)."""
    target.mkdir(parents=True, exist_ok=True)
    for baseline in VERSIONS_DIR.glob("*.py"):
        shutil.copy2(baseline, target / baseline.name)
    tables = sorted(Base.metadata.tables)
    down_revision = baseline_head()
    for number in range(added):
        path = target / f"{revision_id(number)}_bench.py"
        path.write_text(revision_source(number, down_revision, tables))
        down_revision = revision_id(number)
    sizes_file(target).write_text(json.dumps(dict.fromkeys(tables, CHAIN_TABLE_ROWS)))
    return target
