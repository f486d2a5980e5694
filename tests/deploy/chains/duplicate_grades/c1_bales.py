"""create bales with a grade enum

Revision ID: c1_bales
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "c1_bales"
down_revision = None
branch_labels = None
depends_on = None

grade = postgresql.ENUM("A", "B", "C", name="cotton_grade", create_type=False)


def upgrade() -> None:
    grade.create(op.get_bind())
    op.create_table(
        "bale",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("grade", grade, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("bale")
    grade.drop(op.get_bind())
