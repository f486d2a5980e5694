"""index bale grades

Revision ID: b2
Revises: a1
"""

import sqlalchemy as sa
from alembic import op

revision = "b2"
down_revision = "a1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("bales", sa.Column("origin", sa.Text(), nullable=True))
    op.create_index(
        "ix_bales_grade",
        "bales",
        ["grade"],
    )


def downgrade() -> None:
    op.drop_index("ix_bales_grade", table_name="bales")
    op.drop_column("bales", "origin")
