"""phones as numbers

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
    op.alter_column(
        "people", "phone", type_=sa.Integer(), postgresql_using="phone::integer"
    )


def downgrade() -> None:
    op.alter_column("people", "phone", type_=sa.String(12), postgresql_using="phone::text")
