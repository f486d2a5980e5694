"""trades reference their counterparty

Revision ID: b2
Revises: a1
"""

import sqlalchemy as sa
from alembic import op

revision = "b2"
down_revision = "a1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_foreign_key(
        "fk_trades_counterparty_id_counterparties", "trades", "counterparties",
        ["counterparty_id"], ["id"],
    )


def downgrade() -> None:
    op.drop_constraint("fk_trades_counterparty_id_counterparties", "trades", type_="foreignkey")
