"""one person per city, after dedupe

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
    op.execute(
        "UPDATE people AS p SET city = NULL WHERE EXISTS "
        "(SELECT 1 FROM people AS o WHERE o.city = p.city AND o.id < p.id)"
    )
    op.create_index("uq_people_city", "people", ["city"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_people_city", table_name="people")
