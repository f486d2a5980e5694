"""a1

Revision ID: a1
Revises: 
"""

import sqlalchemy as sa
from alembic import op

revision = "a1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("warehouses", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS warehouses")
