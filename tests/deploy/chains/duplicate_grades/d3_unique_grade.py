"""one bale per grade: fails, d2 left two of grade A

Revision ID: d3_unique_grade
Revises: d2_graded_bales
"""

from alembic import op

revision = "d3_unique_grade"
down_revision = "d2_graded_bales"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("uq_bale_grade", "bale", ["grade"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_bale_grade", table_name="bale")
