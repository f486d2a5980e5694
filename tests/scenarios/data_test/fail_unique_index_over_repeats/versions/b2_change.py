"""one person per city

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
    op.create_index("uq_people_city", "people", ["city"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_people_city", table_name="people")
