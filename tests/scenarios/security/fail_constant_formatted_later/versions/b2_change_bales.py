"""change bales

Revision ID: b2
Revises: a1
"""

import sqlalchemy as sa
from alembic import op

revision = "b2"
down_revision = 'a1'
branch_labels = None
depends_on = None

SET_GRADE = "UPDATE bales SET grade = '{grade}' WHERE id = 1"


def upgrade() -> None:
    op.execute(SET_GRADE.format(grade="A"))


def downgrade() -> None:
    op.execute("UPDATE bales SET grade = NULL WHERE id = 1")
