"""Fixtures of the guard's tests: the session server's URL as the CLI takes it, and guard runs on
that server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from backend.db.guard.context import GuardContext
from backend.db.postgres import PostgresServer


@pytest.fixture(scope="session")
def admin_url_text(pg_server: PostgresServer) -> str:
    """The session server's admin URL as ``--database-url`` takes it (password included)."""
    return pg_server.admin_url.render_as_string(hide_password=False)


@pytest.fixture
def context_for(admin_url_text: str) -> Iterator[Callable[..., GuardContext]]:
    """Make a GuardContext on the session server (for ``versions``, else the project's folder),
    closed at the end of the test."""
    contexts: list[GuardContext] = []

    def make(versions: Path | None = None, **options: object) -> GuardContext:
        kwargs = {"versions_dir": versions} if versions else {}
        context = GuardContext.create(
            postgres="url", database_url=admin_url_text, **kwargs, **options
        )
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
