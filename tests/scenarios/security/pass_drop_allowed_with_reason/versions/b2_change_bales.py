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
    op.drop_column("bales", "grade")  # guard: allow-destructive grade moved to lots in 2024-06


def downgrade() -> None:
    op.add_column("bales", sa.Column("grade", sa.String(20), nullable=True))
