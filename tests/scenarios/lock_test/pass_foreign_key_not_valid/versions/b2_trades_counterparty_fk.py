"""trades reference their counterparty (not validated yet)

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
        ["counterparty_id"], ["id"], postgresql_not_valid=True,
    )


def downgrade() -> None:
    op.drop_constraint("fk_trades_counterparty_id_counterparties", "trades", type_="foreignkey")
