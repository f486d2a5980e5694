"""What every check of one guard run shares: the versions folder, one Postgres server, timings."""

from __future__ import annotations

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


@dataclass
class GuardContext:
    """One guard run. The Postgres server starts on first use and serves every check."""

    versions_dir: Path = VERSIONS_DIR
    postgres: str = "auto"
    database_url: str | None = None
    contract_path: Path = SCHEMA_CONTRACT
    progress: Callable[[str], None] = lambda message: None
    steps: list[tuple[str, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _server: PostgresServer | None = None
    _scripts: ScriptDirectory | None = None

    def __post_init__(self) -> None:
        self.versions_dir = Path(self.versions_dir).resolve()
        if not self.versions_dir.is_dir():
            raise GuardError(f"versions folder not found: {self.versions_dir}")

    @property
    def is_project(self) -> bool:
        """Whether the folder is the project's own (model drift and contract apply only then)."""
        return self.versions_dir == VERSIONS_DIR.resolve()

    def revision_files(self) -> list[Path]:
        """The revision files Alembic would load from the folder, in name order."""
        return sorted(p for p in self.versions_dir.glob("*.py") if p.name != "__init__.py")

    def scripts(self) -> ScriptDirectory:
        """Alembic's ScriptDirectory over the folder, loaded once per run."""
        if self._scripts is None:
            self._scripts = script_directory(self.versions_dir)
        return self._scripts

    def server(self) -> PostgresServer:
        """The run's Postgres server, started on first use."""
        if self._server is None:
            self.progress(f"starting PostgreSQL ({self.postgres})")
            try:
                self._server = start_server(self.postgres, self.database_url)
            except ProviderError as exc:
                raise GuardError(str(exc)) from None
            self.notes.append(f"postgres: {self._server.describe()}")
        return self._server

    def display_path(self, path: str | Path) -> str:
        """A path as findings show it: relative to the repository when inside it."""
        path = Path(path).resolve()
        try:
            return str(path.relative_to(REPO_ROOT))
        except ValueError:
            return str(path)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time one step of the current check; the report prints each step's time."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.steps.append((name, time.perf_counter() - started))

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
