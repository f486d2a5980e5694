"""create grades

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
        "grades",
        sa.Column("code", sa.String(10), primary_key=True),
        sa.Column("label", sa.String(40), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("grades")
