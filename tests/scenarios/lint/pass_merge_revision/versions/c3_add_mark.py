"""add mark

Revision ID: c3
Revises: a1
"""

import sqlalchemy as sa
from alembic import op

revision = "c3"
down_revision = 'a1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("bales", sa.Column("mark", sa.String(8)))


def downgrade() -> None:
    op.drop_column("bales", "mark")
