"""index trades by quantity

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
    op.create_index("ix_trades_quantity", "trades", ["quantity"])


def downgrade() -> None:
    op.drop_index("ix_trades_quantity", table_name="trades")
