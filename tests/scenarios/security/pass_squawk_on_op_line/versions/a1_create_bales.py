"""create bales

Revision ID: a1
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "a1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bales",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("grade", sa.String(20), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("bales")
