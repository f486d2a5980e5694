"""b2

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
    op.create_table(
        "lots",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("grade", sa.Enum("shankar6", "mech1", name="cotton_grade"), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("lots")  # the cotton_grade type stays behind
