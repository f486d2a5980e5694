"""validate the counterparty key of trades

Revision ID: c3
Revises: b2
"""

import sqlalchemy as sa
from alembic import op

revision = "c3"
down_revision = "b2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE trades VALIDATE CONSTRAINT fk_trades_counterparty_id_counterparties")


def downgrade() -> None:
    pass  # validating changes nothing to undo
