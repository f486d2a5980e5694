"""Pre-flight: a database URL we can use, the Alembic config and versions, one head, and
what the schema needs of the server (extensions at a version that has what it uses).

Nothing here touches the network: the extensions the server offers are handed in by the
runner after connecting, still before any revision runs. Every failure is a
:class:`PreflightError` (exit 2) that names the exact problem, so a misconfigured build fails
before it changes the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import URL

from backend.db import schema_contract
from backend.db.deploy.connection import ExtensionStatus
from backend.db.deploy.errors import PreflightError
from backend.db.migrations_config import ALEMBIC_INI, SCHEMA_CONTRACT, VERSIONS_DIR
from backend.db.migrations_config import script_directory as load_script_directory
from backend.db.postgres import majors
from backend.db.urls import UrlError, mask_text, parse_url

DB_PARTS = ("DB_HOST", "DB_USER", "DB_NAME")
CLOUD_SQL_SOCKET_ROOT = "/cloudsql/"


@dataclass(frozen=True)
class ExtensionNeed:
    """An extension the schema needs, and the first version that has what it uses (if any)."""

    name: str
    min_version: str | None = None
    uses: str = ""  # what needs ``min_version``: "HNSW indexes"


@dataclass(frozen=True)
class ExtensionFeature:
    """Something a schema may use that an extension has only from ``min_version`` on."""

    extension: str
    min_version: str
    uses: str
    used_by: Callable[[schema_contract.Snapshot], bool]


# Cloud SQL offers several pgvector versions per PostgreSQL major; an old one fails the revision
# that creates an HNSW index, half-way through a deploy.
EXTENSION_FEATURES = (
    ExtensionFeature(
        "vector",
        "0.5.0",
        "HNSW indexes",
        lambda contract: any(
            " USING hnsw " in index["definition"] for index in contract["indexes"].values()
        ),
    ),
)


@dataclass
class Preflight:
    """What the later steps need, all checked."""

    url: URL
    scripts: ScriptDirectory
    head: str
    versions_dir: Path
    contract: Path | None  # None: the schema-contract comparison is skipped (foreign folder)
    extensions: tuple[ExtensionNeed, ...] = ()  # what the contract's schema needs
    production_major: int | None = None  # [tool.migration-guard] production-postgres


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
    try:
        production = majors.production_major()
    except majors.SettingError as exc:
        raise PreflightError(str(exc)) from None
    return Preflight(
        url=url,
        scripts=scripts,
        head=head,
        versions_dir=folder,
        contract=contract,
        extensions=extension_needs(schema_contract.load(contract)) if contract else (),
        production_major=production,
    )


def extension_needs(
    contract: schema_contract.Snapshot, features: tuple[ExtensionFeature, ...] = EXTENSION_FEATURES
) -> tuple[ExtensionNeed, ...]:
    """Every extension of the contract, with the version what the schema uses needs."""
    needs = []
    for name in contract.get("extensions", []):
        used = [f for f in features if f.extension == name and f.used_by(contract)]
        newest = max(used, key=lambda f: version_key(f.min_version), default=None)
        needs.append(
            ExtensionNeed(name, newest.min_version, newest.uses) if newest else ExtensionNeed(name)
        )
    return tuple(needs)


def version_key(version: str) -> tuple[int, ...]:
    """An extension version as numbers to compare: ``0.10.0`` > ``0.5.1`` > ``0.5`` (= ``0.5.0``).

    A suffix (``1.2beta1``, ``0.8.0-rc``) counts as before its release: it cannot satisfy a
    minimum of that release.
    """
    text = version.strip()
    release = re.match(r"\d+(?:\.\d+)*", text)
    numbers = [int(number) for number in release.group().split(".")] if release else []
    while numbers and numbers[-1] == 0:
        numbers.pop()
    suffix = text[release.end() :] if release else text
    # A last place below 0 for a prerelease, 0 for the release: 1.2beta1 < 1.2 < 1.2.1.
    return (*numbers, -1 if suffix else 0)


def check_extensions(
    needs: tuple[ExtensionNeed, ...], server: Mapping[str, ExtensionStatus]
) -> list[str]:
    """One line per need that the server meets; raise one :class:`PreflightError` otherwise.

    Installed in the database: that version must be new enough (``CREATE EXTENSION IF NOT
    EXISTS`` keeps an old one). Not installed: the server must have it, and what ``CREATE
    EXTENSION`` installs (its default version) must be new enough.
    """
    met, problems = [], []
    for need in needs:
        status = server.get(need.name)
        wanted = f"{need.name} >= {need.min_version} for {need.uses}" if need.min_version else ""
        if status is None or (status.installed is None and status.default is None):
            problems.append(
                f"extension {need.name} is not available on this server"
                + (f" (the schema needs {wanted})" if wanted else "")
            )
            continue
        version = status.installed or status.default
        if need.min_version and version_key(version) < version_key(need.min_version):
            newest = max(status.versions, key=version_key, default=None)
            if status.installed:
                fix = (
                    f"run ALTER EXTENSION {need.name} UPDATE (the server has {newest})"
                    if newest and version_key(newest) >= version_key(need.min_version)
                    else "upgrade the extension on the server"
                )
                problems.append(
                    f"{need.name} {version} is installed; the schema needs {wanted}: {fix}"
                )
            else:
                problems.append(
                    f"CREATE EXTENSION {need.name} would install {version}; the schema needs "
                    f"{wanted}"
                )
            continue
        met.append(
            f"{need.name} {version} {'installed' if status.installed else 'available'}"
            + (f" (>= {need.min_version} for {need.uses})" if need.min_version else "")
        )
    if problems:
        raise PreflightError("; ".join(problems) + "; nothing was applied")
    return met


def major_report(server_major: int, production: int | None) -> tuple[bool, str]:
    """Whether the server's major is production's, and a line saying so."""
    setting = f"[tool.{majors.SETTINGS_TABLE}] {majors.PRODUCTION_SETTING}"
    if production is None:
        return True, f"PostgreSQL {server_major}; production's major is not set ({setting})"
    if server_major == production:
        return True, f"PostgreSQL {server_major}, production's major ({setting})"
    return False, (
        f"the server runs PostgreSQL {server_major} but {setting} = {production}, the major "
        f"the guard is meant to test on; if this server is production, set it to "
        f"{server_major} and run the guard on that major: {majors.how_to_test_on(server_major)}"
    )
