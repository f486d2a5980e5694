"""trades get a random weight

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
    op.add_column("trades", sa.Column("weight", sa.Float, server_default=sa.text("random()")))


def downgrade() -> None:
    op.drop_column("trades", "weight")
