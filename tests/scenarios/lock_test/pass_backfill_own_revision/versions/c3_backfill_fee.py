"""backfill the fee of trades, in a revision of its own

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
    op.execute("UPDATE trades SET fee = 0 WHERE fee IS NULL")


def downgrade() -> None:
    pass  # the fee column is dropped by b2
