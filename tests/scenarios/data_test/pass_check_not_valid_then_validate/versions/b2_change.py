"""every person has a city, rows fixed first

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
        "ALTER TABLE people ADD CONSTRAINT ck_people_city_known CHECK (city IS NOT NULL) NOT VALID"
    )
    op.execute("UPDATE people SET city = 'unknown' WHERE city IS NULL")
    op.execute("ALTER TABLE people VALIDATE CONSTRAINT ck_people_city_known")


def downgrade() -> None:
    op.execute("ALTER TABLE people DROP CONSTRAINT ck_people_city_known")
