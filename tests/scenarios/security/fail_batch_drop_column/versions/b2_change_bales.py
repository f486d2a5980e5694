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
    with op.batch_alter_table("bales") as batch_op:
        batch_op.drop_column("grade")


def downgrade() -> None:
    op.add_column("bales", sa.Column("grade", sa.String(20), nullable=True))
