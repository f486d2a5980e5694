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
    op.execute("DROP TABLE bales")


def downgrade() -> None:
    op.create_table(
        "bales",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("grade", sa.String(20), nullable=True),
    )
