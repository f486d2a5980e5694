"""One run's PostgreSQL server as one object: started on first use or in the background, lent by
a caller or owned, forbidden in a forked child, closed once.

The guard starts the server in a background thread before it imports Alembic and the models, so
the start overlaps them; every thread that asks for the server gets the same one, and a failure
to start is kept and raised to each caller that needs it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy.engine import URL

from backend.db.postgres.provider import ProviderError, start_server
from backend.db.postgres.server import PostgresServer
from backend.db.progress import announce_if_slow


class ServerForbidden(ProviderError):
    """A forked child (the guard's static checks' process) asked for its parent's server: a bug."""


class LazyServer:
    """The server ``mode``/``url`` choose (see :func:`start_server`), or ``lent``, which is used
    and never stopped. ``notes`` says which server served, and how long it took to start."""

    def __init__(
        self,
        mode: str = "auto",
        url: str | URL | None = None,
        lent: PostgresServer | None = None,
        progress: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.mode, self.url, self.lent, self.progress = mode, url, lent, progress
        self.notes: list[str] = []
        self._server: PostgresServer | None = None
        self._error: ProviderError | None = None
        self._forbidden = False
        self._lock = threading.Lock()

    def get(self) -> PostgresServer:
        """The server, started on first use; ProviderError (the same one each time) when none
        could be had."""
        with self._lock:
            if self._forbidden:
                raise ServerForbidden(
                    "internal error: the static checks' process asked for the server"
                )
            if self._error is not None:
                raise self._error
            if self._server is None and self.lent is not None:
                self._server = self.lent
                self.notes.append(f"postgres: {self._server.describe()} (lent by the caller)")
            if self._server is None:
                started = time.perf_counter()
                with announce_if_slow(self.progress, "starting PostgreSQL"):
                    try:
                        self._server = start_server(self.mode, self.url)
                    except ProviderError as exc:
                        self._error = exc
                        raise
                self.notes.append(
                    f"postgres: {self._server.describe()}"
                    f" (ready in {time.perf_counter() - started:.2f} s)"
                )
            return self._server

    def start_in_background(self) -> threading.Thread:
        """Start the server while other work goes on; an error surfaces at the next ``get()``."""

        def start() -> None:
            try:
                self.get()
            except ProviderError:
                pass  # kept and raised to the caller that needs the server

        thread = threading.Thread(target=start, name="postgres-start", daemon=True)
        thread.start()
        return thread

    def forbid(self) -> None:
        """In a forked child: never start, use or stop the parent's server."""
        self._forbidden = True
        self._server = None

    def close(self) -> None:
        """Stop the server (dropping its scratch databases) if it was started here."""
        with self._lock:
            if self._forbidden:
                return
            if self._server is not None and self._server is not self.lent:
                self._server.close()
            self._server = None
