"""forget archived people

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
    # guard: allow-destructive archived people were exported to the archive bucket (TKT-812)
    op.execute("DELETE FROM people WHERE archived")


def downgrade() -> None:
    # guard: irreversible the deleted people cannot come back
    pass
