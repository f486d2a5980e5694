"""trades.note: a NOT NULL check, not validated yet

Revision ID: b2
Revises: a1
"""

import sqlalchemy as sa
from alembic import op

revision = "b2"
down_revision = "a1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE trades ADD CONSTRAINT ck_trades_note_present CHECK (note IS NOT NULL) NOT VALID"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE trades DROP CONSTRAINT ck_trades_note_present")
