"""m3

Revision ID: m3
Revises: a2, b1
"""

import sqlalchemy as sa
from alembic import op

revision = "m3"
down_revision = ("a2", "b1")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
