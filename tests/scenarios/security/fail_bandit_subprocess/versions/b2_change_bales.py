"""change bales

Revision ID: b2
Revises: a1
"""

import subprocess

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "b2"
down_revision = 'a1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    subprocess.run(["pg_dump", "--schema-only"], check=True)


def downgrade() -> None:
    pass
