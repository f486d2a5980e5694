"""add bale weight (alters bale: blocked while another session locks it)

Revision ID: c3_bale_weight
Revises: c2_lots
"""

import sqlalchemy as sa
from alembic import op

revision = "c3_bale_weight"
down_revision = "c2_lots"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("bale", sa.Column("weight_kg", sa.Numeric(8, 2), nullable=True))


def downgrade() -> None:
    op.drop_column("bale", "weight_kg")
