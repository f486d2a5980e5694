"""seed the grades every trade refers to

Revision ID: b2
Revises: a1
"""

from alembic import op

revision = "b2"
down_revision = "a1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("INSERT INTO grades (code) VALUES ('A'), ('B')")


def downgrade() -> None:
    # guard: irreversible trades recorded after the release refer to these grades
    pass
