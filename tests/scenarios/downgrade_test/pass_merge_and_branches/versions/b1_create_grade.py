"""b1

Revision ID: b1
Revises: r1
"""

import sqlalchemy as sa
from alembic import op

revision = "b1"
down_revision = "r1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sa.Enum("shankar6", "mech1", name="cotton_grade").create(op.get_bind())
    op.add_column("warehouses", sa.Column("grade", sa.Enum(name="cotton_grade", create_type=False)))


def downgrade() -> None:
    op.drop_column("warehouses", "grade")
    sa.Enum(name="cotton_grade").drop(op.get_bind())
