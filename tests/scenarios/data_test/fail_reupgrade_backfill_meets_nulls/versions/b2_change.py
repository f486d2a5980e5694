"""names optional, an upper-case copy for search

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
    op.add_column("people", sa.Column("name_upper", sa.String(40), nullable=True))
    op.execute("UPDATE people SET name_upper = upper(name)")
    op.alter_column("people", "name_upper", existing_type=sa.String(40), nullable=False)


def downgrade() -> None:
    op.drop_column("people", "name_upper")
