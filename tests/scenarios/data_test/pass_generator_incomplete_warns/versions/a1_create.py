"""create codes whose md5 starts with 0

Revision ID: a1
Revises: 
"""

import sqlalchemy as sa
from alembic import op

revision = "a1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "codes",
        sa.Column("code", sa.String(10), primary_key=True),
        sa.CheckConstraint("md5(code) LIKE '000%'", name="ck_codes_lucky"),
    )


def downgrade() -> None:
    op.drop_table("codes")
