"""change bales

Revision ID: b2
Revises: a1
"""

import sqlalchemy as sa
from alembic import op

revision = "b2"
down_revision = 'a1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from backend.db.base import Base

    op.add_column("bales", sa.Column("lot", sa.String(20)))
    assert Base is not None


def downgrade() -> None:
    op.drop_column("bales", "lot")
