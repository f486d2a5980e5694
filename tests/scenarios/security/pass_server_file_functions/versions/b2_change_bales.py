"""change bales

Revision ID: b2
Revises: a1
"""

import sqlalchemy as sa
from alembic import op

revision = "b2"
down_revision = 'a1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("SELECT pg_size_pretty(pg_total_relation_size('bales'))")


def downgrade() -> None:
    pass
