"""a1

Revision ID: a1
Revises: r1
"""

import sqlalchemy as sa
from alembic import op

revision = "a1"
down_revision = "r1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("brokers", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("brokers")
