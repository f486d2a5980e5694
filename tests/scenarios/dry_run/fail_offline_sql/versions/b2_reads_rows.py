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
    count = op.get_bind().execute(sa.text("SELECT count(*) FROM warehouses")).scalar()
    op.execute(f"COMMENT ON TABLE warehouses IS '{count} at migration time'")


def downgrade() -> None:
    op.execute("COMMENT ON TABLE warehouses IS NULL")
