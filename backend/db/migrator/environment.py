"""What env.py tells Alembic, learned once per database, and the lock around Alembic's proxies."""

from __future__ import annotations

import threading

from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from backend.db.migrations_config import alembic_config

# Alembic's ``op`` and ``context`` are module-level proxies: while one thread migrates, another
# thread's offline (--sql) run would swap them out from under it ("'NoneType' object has no
# attribute 'add_column'"). Where fork is available the guard's static checks (squawk's offline
# SQL) run in a child process with proxies of its own; where it is not, they run in a thread
# beside the database checks, so every use of the proxies holds this lock.
ALEMBIC_PROXIES = threading.RLock()


def env_options(scripts: ScriptDirectory, connection: Connection) -> dict:
    """The options env.py passes to ``context.configure`` for an online run on ``connection``."""
    captured: dict = {}

    def capture(heads, migration_context: MigrationContext) -> list:
        captured.update(migration_context.opts)
        return []

    config = alembic_config(scripts.versions, connection=connection)
    with ALEMBIC_PROXIES, EnvironmentContext(config, scripts, fn=capture, dont_mutate=True):
        scripts.run_env()
    if connection.in_transaction():
        connection.commit()
    for key in ("fn", "dont_mutate", "destination_rev", "starting_rev", "as_sql"):
        captured.pop(key, None)
    return captured
