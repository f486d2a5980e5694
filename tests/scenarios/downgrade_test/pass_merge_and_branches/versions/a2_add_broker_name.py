"""a2

Revision ID: a2
Revises: a1
"""

import sqlalchemy as sa
from alembic import op

revision = "a2"
down_revision = "a1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("brokers", sa.Column("name", sa.String(80)))


def downgrade() -> None:
    op.drop_column("brokers", "name")
