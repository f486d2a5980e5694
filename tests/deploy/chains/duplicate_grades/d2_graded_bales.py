"""two bales of grade A

Revision ID: d2_graded_bales
Revises: c1_bales
"""

from alembic import op

revision = "d2_graded_bales"
down_revision = "c1_bales"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("INSERT INTO bale (grade) VALUES ('A'), ('A')")


def downgrade() -> None:
    op.execute("DELETE FROM bale WHERE grade = 'A'")
