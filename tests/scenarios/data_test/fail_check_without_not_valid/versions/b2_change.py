"""every person has a city

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
    op.create_check_constraint("city_known", "people", "city IS NOT NULL")


def downgrade() -> None:
    op.execute("ALTER TABLE people DROP CONSTRAINT ck_people_city_known")
