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
    op.execute(sa.text("UPDATE bales SET grade = :grade WHERE id = :id").bindparams(grade="A", id=1))
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE bales SET grade = :grade WHERE id = :id"), {"grade": "B", "id": 2})


def downgrade() -> None:
    op.execute("UPDATE bales SET grade = NULL WHERE id IN (1, 2)")
