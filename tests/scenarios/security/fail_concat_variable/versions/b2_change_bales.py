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
    table = "bales"
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE " + table + " SET grade = 'A' WHERE id = 1"))


def downgrade() -> None:
    op.execute("UPDATE bales SET grade = NULL WHERE id = 1")
