"""lot codes are unique

Revision ID: b2
Revises: a1
"""

from alembic import op

revision = "b2"
down_revision = "a1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a1 left two lots with code A1: the index cannot be built.
    op.create_index(
        "uq_lots_code",
        "lots",
        ["code"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_lots_code", table_name="lots")
