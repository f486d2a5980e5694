"""Where the migrations live, and an Alembic ``Config`` for them that works from any directory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

# Alembic is imported where it is used: the guard reads these paths before importing it, so
# that the embedded server starts while Alembic and the models load.
if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy.engine import URL, Connection, Engine

BACKEND_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = BACKEND_DIR.parent
ALEMBIC_INI = BACKEND_DIR / "alembic.ini"
MIGRATIONS_DIR = BACKEND_DIR / "db" / "migrations"
VERSIONS_DIR = MIGRATIONS_DIR / "versions"
SCHEMA_CONTRACT = BACKEND_DIR / "db" / "schema_contract.json"


def repo_relative(path: str | Path) -> str:
    """A path as reports show it: relative to this repository, else to the working directory,
    else absolute."""
    resolved = Path(path).resolve()
    # The project's own files relative to its root; another repository's (the guard installed
    # as an action or a pre-commit hook) relative to where it runs, so annotations find them.
    for root in (REPO_ROOT, Path.cwd().resolve()):
        if resolved.is_relative_to(root):
            return str(resolved.relative_to(root))
    return str(resolved)


def alembic_config(
    versions_dir: str | Path | None = None,
    connection: Connection | Engine | None = None,
    url: URL | None = None,
) -> Config:
    """The project's Alembic config, optionally over another versions folder or an open connection.

    ``versions_dir`` replaces ``version_locations`` but keeps the project's env.py, so a foreign
    chain is migrated exactly as the project's own would be.
    """
    from alembic.config import Config

    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("version_locations", str(Path(versions_dir or VERSIONS_DIR).resolve()))
    if connection is not None:
        config.attributes["connection"] = connection
    if url is not None:
        config.attributes["url"] = url
    return config


def script_directory(versions_dir: str | Path | None = None) -> ScriptDirectory:
    """Alembic's own view of the revision files in ``versions_dir`` (default: the project's)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(versions_dir))
