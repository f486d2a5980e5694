"""never reached: comes after the failing revision

Revision ID: f3_after
Revises: f2_broken
"""

import sqlalchemy as sa
from alembic import op

revision = "f3_after"
down_revision = "f2_broken"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("contract", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("contract")
