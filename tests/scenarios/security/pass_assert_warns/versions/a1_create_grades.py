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

GRADES = ("A", "B", "C")


def upgrade() -> None:
    grades = op.create_table(
        "grades",
        sa.Column("code", sa.String(2), primary_key=True),
    )
    assert len(set(GRADES)) == len(GRADES), "duplicate grade codes"
    op.bulk_insert(grades, [{"code": code} for code in GRADES])


def downgrade() -> None:
    op.drop_table("grades")
