"""create lots with a grade enum

Revision ID: b2
Revises: a1
"""

import sqlalchemy as sa
from alembic import op

revision = "b2"
down_revision = "a1"
branch_labels = None
depends_on = None

grade = sa.Enum("shankar6", "mech1", "dch32", name="cotton_grade")


def upgrade() -> None:
    op.create_table(
        "lots",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("warehouse_id", sa.Integer, sa.ForeignKey("warehouses.id"), nullable=False),
        sa.Column("grade", grade, nullable=False),
    )
    op.create_index("ix_lots_warehouse_id", "lots", ["warehouse_id"])


def downgrade() -> None:
    op.drop_index("ix_lots_warehouse_id", table_name="lots")
    op.drop_table("lots")
    grade.drop(op.get_bind(), checkfirst=True)
