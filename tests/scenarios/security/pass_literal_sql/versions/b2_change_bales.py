"""drop table later

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
    """Later we may DROP TABLE bales; TRUNCATE is not needed."""
    # DELETE FROM bales; -- a comment, never executed
    note = "DROP DATABASE cotton"  # a string that is never executed
    op.add_column("bales", sa.Column("truncate_flag", sa.Boolean(), nullable=True))
    op.execute("UPDATE bales SET truncate_flag = false WHERE truncate_flag IS NULL")
    op.execute(f"UPDATE bales SET grade = 'A' WHERE grade = 'a'")


def downgrade() -> None:
    op.drop_column("bales", "truncate_flag")
