"""add people.nickname

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
    op.add_column("people", sa.Column("nickname", sa.String(20), nullable=False))


def downgrade() -> None:
    op.drop_column("people", "nickname")
