"""trades get a fee, backfilled

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
    op.add_column("trades", sa.Column("fee", sa.Numeric(12, 2), nullable=True))
    op.execute("UPDATE trades SET fee = 0 WHERE fee IS NULL")


def downgrade() -> None:
    op.drop_column("trades", "fee")
