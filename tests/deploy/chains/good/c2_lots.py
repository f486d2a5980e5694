"""create lots (sleeps DEPLOY_TEST_SLEEP seconds first, so a test can kill the deploy mid-revision)

Revision ID: c2_lots
Revises: c1_bales
"""

import os

import sqlalchemy as sa
from alembic import op

revision = "c2_lots"
down_revision = "c1_bales"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("lot", sa.Column("id", sa.Integer, primary_key=True))
    seconds = float(os.environ.get("DEPLOY_TEST_SLEEP", "0"))
    if seconds:
        op.execute(sa.text("SELECT pg_sleep(:s)").bindparams(s=seconds))
    op.add_column("lot", sa.Column("bales", sa.Integer, nullable=True))


def downgrade() -> None:
    op.drop_table("lot")
