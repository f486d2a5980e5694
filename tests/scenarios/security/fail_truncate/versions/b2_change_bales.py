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
    op.execute("UPDATE bales SET grade = NULL WHERE id = 0; truncate bales")


def downgrade() -> None:
    pass
