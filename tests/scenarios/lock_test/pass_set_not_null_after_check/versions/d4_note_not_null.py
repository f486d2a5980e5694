"""trades.note becomes required (the validated check proves it)

Revision ID: d4
Revises: c3
"""

import sqlalchemy as sa
from alembic import op

revision = "d4"
down_revision = "c3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column("trades", "note", nullable=False, existing_type=sa.String(40))
    op.execute("ALTER TABLE trades DROP CONSTRAINT ck_trades_note_present")


def downgrade() -> None:
    op.execute(
        "ALTER TABLE trades ADD CONSTRAINT ck_trades_note_present CHECK (note IS NOT NULL)"
    )
    op.alter_column("trades", "note", nullable=True, existing_type=sa.String(40))
