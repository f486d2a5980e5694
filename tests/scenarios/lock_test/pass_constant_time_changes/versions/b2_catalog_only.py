"""catalog-only changes of trades

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
    op.add_column("trades", sa.Column("fee", sa.Numeric(12, 2), nullable=True))
    op.add_column("trades", sa.Column("status", sa.String(20), server_default="open"))
    op.alter_column("trades", "note", type_=sa.String(80), existing_type=sa.String(40))
    op.alter_column("trades", "note", type_=sa.Text, existing_type=sa.String(80))
    op.alter_column("trades", "status", server_default="new")
    op.alter_column("trades", "quantity", new_column_name="quantity_kg")
    op.create_table("fees", sa.Column("id", sa.Integer, primary_key=True), sa.Column("amount", sa.Integer))
    op.create_index("ix_fees_amount", "fees", ["amount"])


def downgrade() -> None:
    op.drop_index("ix_fees_amount", table_name="fees")
    op.drop_table("fees")
    op.alter_column("trades", "quantity_kg", new_column_name="quantity")
    op.alter_column("trades", "note", type_=sa.String(40), existing_type=sa.Text)
    op.drop_column("trades", "status")
    op.drop_column("trades", "fee")
