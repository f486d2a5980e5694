"""create lots, then fail: the table must not survive the failure

Revision ID: f2_broken
Revises: c1_bales
"""

import sqlalchemy as sa
from alembic import op

revision = "f2_broken"
down_revision = "c1_bales"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("lot", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("ALTER TABLE bale ADD COLUMN grade_again no_such_type")


def downgrade() -> None:
    op.drop_table("lot")
