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
    op.execute("ALTER TABLE bales DISABLE TRIGGER ALL")


def downgrade() -> None:
    pass
