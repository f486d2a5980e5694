"""backfill trades.status

Revision ID: b2
Revises: a1
"""

from alembic import op

revision = "b2"
down_revision = "a1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE trades SET status = 'open' WHERE status IS NULL")


def downgrade() -> None:
    pass
