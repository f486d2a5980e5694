"""b2

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
    op.execute("ALTER TABLE warehouses ADD COLUMN capacity INTEGR")


def downgrade() -> None:
    op.execute("ALTER TABLE warehouses DROP COLUMN capacity")
