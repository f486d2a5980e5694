"""c4

Revision ID: c4
Revises: m3
"""

import sqlalchemy as sa
from alembic import op

revision = "c4"
down_revision = "m3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_brokers_name", "brokers", ["name"])


def downgrade() -> None:
    op.drop_index("ix_brokers_name", table_name="brokers")
