"""What every check of one guard run shares: the versions folder, one Postgres server, timings.

The runner may run the static checks in threads while the database checks run, so the server and
the ScriptDirectory are created under a lock, and each thread records its steps and notes into
the check it is running (see :meth:`GuardContext.collecting`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from alembic.script import ScriptDirectory

from backend.db.guard.errors import GuardError
from backend.db.migrations_config import (
    BACKEND_DIR,
    SCHEMA_CONTRACT,
    VERSIONS_DIR,
    script_directory,
)
from backend.db.postgres import PostgresServer, ProviderError
from backend.db.postgres.provider import start_server

REPO_ROOT = BACKEND_DIR.parent
# A step still running after this long gets a progress line, so a slow run never looks hung.
PROGRESS_AFTER_S = 1.0


@dataclass
class GuardContext:
    """One guard run. The Postgres server starts on first use and serves every check.

    ``contract_path`` and ``compare_models`` default to "only for the project's own folder": a
    foreign versions folder has no contract and no models of its own.
    """

    versions_dir: Path = VERSIONS_DIR
    postgres: str = "auto"
    database_url: str | None = None
    contract_path: Path | None = None
    compare_models: bool | None = None
    progress: Callable[[str], None] = lambda message: None
    run_notes: list[str] = field(default_factory=list)
    _server: PostgresServer | None = None
    _server_error: GuardError | None = None
    _scripts: ScriptDirectory | None = None

    def __post_init__(self) -> None:
        self.versions_dir = Path(self.versions_dir).resolve()
        if not self.versions_dir.is_dir():
            raise GuardError(f"versions folder not found: {self.versions_dir}")
        if self.contract_path is None and self.is_project:
            self.contract_path = SCHEMA_CONTRACT
        if self.contract_path is not None:
            self.contract_path = Path(self.contract_path).resolve()
        if self.compare_models is None:
            self.compare_models = self.is_project
        # Separate locks: loading the revisions must not wait for the server to start.
        self._scripts_lock = threading.Lock()
        self._server_lock = threading.Lock()
        self._local = threading.local()

    @property
    def is_project(self) -> bool:
        """Whether the folder is the project's own (model drift and contract apply only then)."""
        return self.versions_dir == VERSIONS_DIR.resolve()

    def revision_files(self) -> list[Path]:
        """The revision files Alembic would load from the folder, in name order."""
        return sorted(p for p in self.versions_dir.glob("*.py") if p.name != "__init__.py")

    def scripts(self) -> ScriptDirectory:
        """Alembic's ScriptDirectory over the folder, loaded once per run (revision files too)."""
        with self._scripts_lock:
            if self._scripts is None:
                self._scripts = script_directory(self.versions_dir)
            return self._scripts

    def server(self) -> PostgresServer:
        """The run's Postgres server, started on first use; every thread gets the same one."""
        with self._server_lock:
            if self._server_error is not None:
                raise self._server_error
            if self._server is None:
                started = time.perf_counter()
                with self._announce_if_slow("starting PostgreSQL"):
                    try:
                        self._server = start_server(self.postgres, self.database_url)
                    except ProviderError as exc:
                        self._server_error = GuardError(str(exc))
                        raise self._server_error from None
                self.run_notes.append(
                    f"postgres: {self._server.describe()}"
                    f" (ready in {time.perf_counter() - started:.2f} s)"
                )
            return self._server

    def start_server_in_background(self) -> threading.Thread:
        """Start the server while other work goes on; errors surface at the next ``server()``."""

        def start() -> None:
            try:
                self.server()
            except GuardError:
                pass  # kept in _server_error and raised to the check that needs the server

        thread = threading.Thread(target=start, name="postgres-start", daemon=True)
        thread.start()
        return thread

    def display_path(self, path: str | Path) -> str:
        """A path as findings show it: relative to the repository when inside it."""
        path = Path(path).resolve()
        try:
            return str(path.relative_to(REPO_ROOT))
        except ValueError:
            return str(path)

    # Steps and notes go to the check the current thread is running.

    @property
    def steps(self) -> list[tuple[str, float]]:
        return self._collector()[0]

    @property
    def notes(self) -> list[str]:
        return self._collector()[1]

    def _collector(self) -> tuple[list[tuple[str, float]], list[str]]:
        collector = getattr(self._local, "collector", None)
        if collector is None:
            collector = self._local.collector = ([], [])
        return collector

    @contextmanager
    def collecting(self) -> Iterator[tuple[list[tuple[str, float]], list[str]]]:
        """Collect this thread's steps and notes into fresh lists (one check's worth)."""
        previous = getattr(self._local, "collector", None)
        self._local.collector = ([], [])
        try:
            yield self._local.collector
        finally:
            self._local.collector = previous

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time one step of the current check; the report prints each step's time.

        A step that is still running after a second is announced through ``progress``.
        """
        started = time.perf_counter()
        try:
            with self._announce_if_slow(name):
                yield
        finally:
            self.steps.append((name, time.perf_counter() - started))

    @contextmanager
    def _announce_if_slow(self, name: str) -> Iterator[None]:
        timer = threading.Timer(PROGRESS_AFTER_S, self.progress, [f"{name} ..."])
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()

    def close(self) -> None:
        """Stop the server (and drop its scratch databases) if this run started one."""
        with self._server_lock:
            if self._server is not None:
                self._server.close()
                self._server = None
