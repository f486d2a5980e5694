"""create tickets with a state enum

Revision ID: a1
Revises: 
"""

import sqlalchemy as sa
from alembic import op

revision = "a1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    state = sa.Enum("open", "closed", name="ticket_state")
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("state", state, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("tickets")
    sa.Enum(name="ticket_state").drop(op.get_bind(), checkfirst=True)
