"""Connection test: reach the database with bounded retries, then say what we found there.

A Cloud SQL instance that is restarting or a proxy that is still starting refuses connections
for a few seconds; the deploy retries with exponential back-off, but never longer than the
configured total, so a build with a wrong host fails in seconds rather than hanging.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from backend.db.deploy.errors import ConnectionFailed
from backend.db.urls import error_line

# Errors a retry cannot fix: retrying a wrong password only adds lockout risk and wait.
_PERMANENT = (
    "password authentication failed",
    "no password supplied",
    "does not exist",
    "no pg_hba.conf entry",
    "invalid dsn",
    "invalid connection option",
)


@dataclass(frozen=True)
class ExtensionStatus:
    """One extension as the server offers it: what is installed, what it could install."""

    name: str
    installed: str | None  # pg_extension.extversion in this database, None when not created
    default: str | None  # what CREATE EXTENSION installs; None when the server lacks its files
    versions: tuple[str, ...] = ()  # every version the server can install


@dataclass(frozen=True)
class ServerInfo:
    """What the connection test reports."""

    version: str
    major: int
    current_heads: tuple[str, ...]
    extensions: dict[str, ExtensionStatus] = field(default_factory=dict)

    @property
    def pgvector_available(self) -> str | None:
        """The pgvector version the server would install, None if it has none."""
        vector = self.extensions.get("vector")
        return vector.default if vector else None

    @property
    def pgvector_installed(self) -> str | None:
        vector = self.extensions.get("vector")
        return vector.installed if vector else None


def backoff_delays(
    attempts: int, total_s: float, first_s: float = 0.5, factor: float = 2.0
) -> list[float]:
    """The pauses between ``attempts`` tries: exponential, and summing to at most ``total_s``."""
    delays: list[float] = []
    budget = max(total_s, 0.0)
    delay = first_s
    for _ in range(max(attempts - 1, 0)):
        pause = min(delay, budget)
        delays.append(pause)
        budget -= pause
        delay *= factor
    return delays


def describe_error(exc: BaseException, *secrets: str | URL | None) -> str:
    """The first line of the driver's message, masked (see :func:`backend.db.urls.error_line`)."""
    return error_line(exc, *secrets)


APPLICATION_NAME = "cotton-erp-deploy"


def make_engine(url: URL, connect_timeout_s: float) -> Engine:
    """An engine without a pool: each deploy connection is opened on purpose and closed after.

    The application name lets ``pg_stat_activity`` (and a waiting deploy) tell who holds a lock.
    """
    timeout = max(int(connect_timeout_s), 2)  # libpq's minimum useful value is 2 seconds
    return sa.create_engine(
        url,
        poolclass=sa.pool.NullPool,
        connect_args={"connect_timeout": timeout, "application_name": APPLICATION_NAME},
    )


def connect(
    engine: Engine,
    attempts: int,
    total_s: float,
    on_retry: Callable[[int, str, float], None] = lambda attempt, error, pause: None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> tuple[Connection, int]:
    """Open a connection, retrying transient failures; return it and the attempt that worked.

    Raises :class:`ConnectionFailed` with the last (masked) driver error after ``attempts`` tries
    or ``total_s`` seconds, whichever comes first.
    """
    deadline = clock() + total_s
    delays = backoff_delays(attempts, total_s)
    attempt = 0
    while True:
        attempt += 1
        try:
            return engine.connect(), attempt
        except SQLAlchemyError as exc:
            error = describe_error(exc, engine.url)
        if any(marker in error.lower() for marker in _PERMANENT):
            raise ConnectionFailed(f"cannot connect to {_where(engine.url)}: {error}")
        remaining = deadline - clock()
        if attempt >= attempts or remaining <= 0:
            raise ConnectionFailed(
                f"cannot connect to {_where(engine.url)} after {attempt} attempt(s) "
                f"in {total_s:g} s: {error}"
            )
        pause = min(delays[attempt - 1], remaining)
        on_retry(attempt, error, pause)
        sleep(pause)


_EXTENSIONS = """
SELECT coalesce(a.name, e.extname) AS name, e.extversion AS installed,
       a.default_version AS default,
       array(SELECT v.version FROM pg_available_extension_versions v WHERE v.name = a.name)
         AS versions
FROM pg_available_extensions a FULL JOIN pg_extension e ON e.extname = a.name
"""


def server_info(connection: Connection) -> ServerInfo:
    """Server version and major, the revision(s) in ``alembic_version``, and the extensions.

    Extensions: every one the server offers (``pg_available_extensions`` and
    ``pg_available_extension_versions``) or this database has (``pg_extension.extversion``).
    """
    version = connection.execute(sa.text("SHOW server_version")).scalar_one()
    number = int(connection.execute(sa.text("SHOW server_version_num")).scalar_one())
    heads = current_heads(connection)
    extensions = {
        row.name: ExtensionStatus(row.name, row.installed, row.default, tuple(row.versions))
        for row in connection.execute(sa.text(_EXTENSIONS))
    }
    connection.rollback()  # leave no transaction open: Alembic must own the next ones
    return ServerInfo(
        version=version, major=number // 10000, current_heads=heads, extensions=extensions
    )


def current_heads(connection: Connection) -> tuple[str, ...]:
    """The revision(s) in the database's ``alembic_version`` (empty: base)."""
    return tuple(MigrationContext.configure(connection).get_current_heads())


def _where(url: URL) -> str:
    host = url.host or url.query.get("host") or "local socket"
    if isinstance(host, tuple):
        host = host[0]
    port = f":{url.port}" if url.port else ""
    return f"{host}{port}/{url.database or ''}"
