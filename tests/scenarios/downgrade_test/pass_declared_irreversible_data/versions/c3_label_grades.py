"""label the seeded grades

Revision ID: c3
Revises: b2
"""

from alembic import op

revision = "c3"
down_revision = "b2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE grades SET label = 'grade ' || code WHERE label IS NULL")


def downgrade() -> None:
    # guard: irreversible labels typed by hand afterwards cannot be told from these
    pass
