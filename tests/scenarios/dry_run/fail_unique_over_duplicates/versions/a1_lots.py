"""lots, with two rows of the same code

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
        "lots",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(20), nullable=False),
    )
    op.execute("INSERT INTO lots (code) VALUES ('A1'), ('A1')")


def downgrade() -> None:
    op.drop_table("lots")
