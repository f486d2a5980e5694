"""names are optional

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
    op.alter_column("people", "name", existing_type=sa.String(40), nullable=True)


def downgrade() -> None:
    op.alter_column("people", "name", existing_type=sa.String(40), nullable=False)
