"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""

from collections.abc import Sequence

import pgvector.sqlalchemy  # noqa: F401 - autogenerate writes pgvector.sqlalchemy.Vector(...)
import sqlalchemy as sa
from alembic import op
${imports if imports else ""}
# revision identifiers, used by Alembic.
revision: str = ${repr(up_revision)}
down_revision: str | Sequence[str] | None = ${repr(down_revision)}
branch_labels: str | Sequence[str] | None = ${repr(branch_labels)}
depends_on: str | Sequence[str] | None = ${repr(depends_on)}
% if config.attributes.get("replaces"):

# The history this baseline replaces (`deploy --adopt-baseline` reads it): a database at
# exactly these old heads, with this baseline's schema, is stamped here.
replaces_heads: tuple[str, ...] = ${repr(tuple(config.attributes["replaces"].old_heads))}
replaces_revisions: tuple[str, ...] = ${repr(tuple(config.attributes["replaces"].old_revisions))}
% endif


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
