"""The SQL a run would execute, generated offline (Alembic's ``--sql`` mode): no database."""

from __future__ import annotations

import io

from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from backend.db.migrations_config import alembic_config
from backend.db.migrator.environment import ALEMBIC_PROXIES


def offline_sql(scripts: ScriptDirectory, target: str = "heads") -> str:
    """The SQL Alembic's ``--sql`` (offline) mode emits for base -> ``target``."""
    buffer = io.StringIO()
    config = alembic_config(scripts.versions)
    config.output_buffer = buffer

    def plan(heads, migration_context: MigrationContext) -> list:
        return scripts._upgrade_revs(target, heads)

    with (
        ALEMBIC_PROXIES,
        EnvironmentContext(
            config, scripts, fn=plan, as_sql=True, starting_rev=None, destination_rev=target
        ),
    ):
        scripts.run_env()
    return buffer.getvalue()
