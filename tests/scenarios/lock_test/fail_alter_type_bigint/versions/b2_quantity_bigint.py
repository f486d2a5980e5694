"""widen trades.quantity to bigint

Revision ID: b2
Revises: a1
"""

import sqlalchemy as sa
from alembic import op

revision = "b2"
down_revision = "a1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column("trades", "quantity", type_=sa.BigInteger, existing_type=sa.Integer)


def downgrade() -> None:
    op.alter_column("trades", "quantity", type_=sa.Integer, existing_type=sa.BigInteger)
