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
    op.execute("SET LOCAL work_mem = '64MB'")


def downgrade() -> None:
    pass
