"""Pre-flight: a database URL we can use, the Alembic config and versions, one head.

Nothing here touches the network; every failure is a :class:`PreflightError` (exit 2) that
names the exact problem, so a misconfigured build fails before it reaches the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import URL

from backend.db.deploy.errors import PreflightError
from backend.db.migrations_config import ALEMBIC_INI, SCHEMA_CONTRACT, VERSIONS_DIR
from backend.db.migrations_config import script_directory as load_script_directory
from backend.db.urls import UrlError, mask_text, parse_url

DB_PARTS = ("DB_HOST", "DB_USER", "DB_NAME")
CLOUD_SQL_SOCKET_ROOT = "/cloudsql/"


@dataclass
class Preflight:
    """What the later steps need, all checked."""

    url: URL
    scripts: ScriptDirectory
    head: str
    versions_dir: Path
    contract: Path | None  # None: the schema-contract comparison is skipped (foreign folder)


def database_url(explicit: str | None, env: Mapping[str, str]) -> URL:
    """The URL to migrate: ``explicit``, else ``DATABASE_URL``, else one built from ``DB_*``.

    ``DB_HOST`` may be a Cloud SQL unix socket directory (``/cloudsql/PROJECT:REGION:INSTANCE``);
    the URL then carries it as ``?host=...`` because a socket path is not a network host.
    """
    raw = explicit if explicit is not None else env.get("DATABASE_URL")
    if raw is not None:
        try:
            return parse_url(raw)
        except UrlError as exc:
            source = "--database-url" if explicit is not None else "DATABASE_URL"
            raise PreflightError(f"{source}: {exc}") from None
    if not any(env.get(name) for name in (*DB_PARTS, "DB_PORT", "DB_PASSWORD")):
        raise PreflightError(
            "no database configured: set DATABASE_URL, or DB_HOST, DB_PORT, DB_USER, "
            "DB_PASSWORD and DB_NAME (DB_HOST may be /cloudsql/PROJECT:REGION:INSTANCE)"
        )
    return url_from_parts(env)


def url_from_parts(env: Mapping[str, str]) -> URL:
    """A URL from ``DB_HOST``/``DB_PORT``/``DB_USER``/``DB_PASSWORD``/``DB_NAME``."""
    missing = [name for name in DB_PARTS if not env.get(name)]
    if missing:
        raise PreflightError(f"database settings incomplete: {', '.join(missing)} not set")
    host = env["DB_HOST"]
    port_text = env.get("DB_PORT") or None
    port = None
    if port_text is not None:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise PreflightError(f"DB_PORT is not a port number: {port_text!r}")
        port = int(port_text)
    socket = host.startswith("/")
    if socket and not host.startswith(CLOUD_SQL_SOCKET_ROOT) and not Path(host).is_dir():
        raise PreflightError(f"DB_HOST {host!r} looks like a socket directory but does not exist")
    query: dict[str, str] = {"host": host} if socket else {}
    if socket and port is not None:
        query["port"] = str(port)
    return URL.create(
        "postgresql+psycopg2",
        username=env["DB_USER"],
        password=env.get("DB_PASSWORD") or None,
        host=None if socket else host,
        port=None if socket else port,
        database=env["DB_NAME"],
        query=query,
    )


def scripts_of(versions_dir: Path) -> tuple[ScriptDirectory, str]:
    """The revision graph of ``versions_dir`` and its single head."""
    if not ALEMBIC_INI.is_file():
        raise PreflightError(f"Alembic config not found: {ALEMBIC_INI}")
    if not versions_dir.is_dir():
        raise PreflightError(f"versions folder not found: {versions_dir}")
    try:
        scripts = load_script_directory(versions_dir)
        heads = scripts.get_heads()
    except (CommandError, SyntaxError, ImportError) as exc:
        raise PreflightError(f"revision files cannot be loaded: {mask_text(str(exc))}") from None
    if not heads:
        raise PreflightError(f"no revisions in {versions_dir}")
    if len(heads) > 1:
        raise PreflightError(
            f"the revision graph has {len(heads)} heads ({', '.join(sorted(heads))}); "
            "merge them with `alembic merge` before deploying"
        )
    return scripts, heads[0]


def check(
    explicit_url: str | None,
    env: Mapping[str, str],
    versions_dir: Path | None = None,
    contract: Path | None = None,
) -> Preflight:
    """Run every pre-flight check; the contract defaults to the project's for its own folder."""
    url = database_url(explicit_url, env)
    folder = Path(versions_dir or VERSIONS_DIR).resolve()
    scripts, head = scripts_of(folder)
    if contract is None and folder == VERSIONS_DIR.resolve():
        contract = SCHEMA_CONTRACT
    if contract is not None and not Path(contract).is_file():
        raise PreflightError(f"schema contract not found: {contract} (run `invoke snapshot`)")
    return Preflight(url=url, scripts=scripts, head=head, versions_dir=folder, contract=contract)
