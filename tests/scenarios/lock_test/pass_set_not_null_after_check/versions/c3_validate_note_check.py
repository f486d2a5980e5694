"""validate the NOT NULL check of trades.note

Revision ID: c3
Revises: b2
"""

import sqlalchemy as sa
from alembic import op

revision = "c3"
down_revision = "b2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE trades VALIDATE CONSTRAINT ck_trades_note_present")


def downgrade() -> None:
    pass  # validating changes nothing to undo
