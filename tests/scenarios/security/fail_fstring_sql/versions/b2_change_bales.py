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
    grade = "A"
    op.execute(f"UPDATE bales SET grade = '{grade}' WHERE id = 1")


def downgrade() -> None:
    pass
