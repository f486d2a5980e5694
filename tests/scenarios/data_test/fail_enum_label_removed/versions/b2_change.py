"""tickets are never closed

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
    op.execute("ALTER TYPE ticket_state RENAME TO ticket_state_old")
    op.execute("CREATE TYPE ticket_state AS ENUM ('open')")
    op.execute(
        "ALTER TABLE tickets ALTER COLUMN state TYPE ticket_state "
        "USING state::text::ticket_state"
    )
    op.execute("DROP TYPE ticket_state_old")


def downgrade() -> None:
    op.execute("ALTER TYPE ticket_state ADD VALUE 'closed'")
