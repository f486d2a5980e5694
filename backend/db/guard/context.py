"""What a check is given: the run's configuration, its versions folder, its server and the
recorder of the check's steps and notes — four objects, each with one concern.

:class:`GuardContext` only holds them together and passes on the few calls every check makes.
The configuration is immutable (``guard/config.py``); the folder reads each view of the revision
files once (``guard/revisions.py``); the server is one lifecycle (``postgres/lifecycle.py``);
what one check hands to another is not here at all: the runner passes it (``guard/runner.py``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backend.db.guard.config import GuardConfig
from backend.db.guard.errors import GuardError
from backend.db.guard.findings import Table
from backend.db.guard.inputs import read_contract
from backend.db.guard.revisions import OfflineSql, RevisionFolder
from backend.db.migrations_config import repo_relative
from backend.db.postgres import PostgresServer, ProviderError
from backend.db.postgres.lifecycle import LazyServer
from backend.db.progress import announce_if_slow

if TYPE_CHECKING:
    from alembic.script import ScriptDirectory

    from backend.db.guard.revision_source import RevisionSource
    from backend.db.guard.since import Since
    from backend.db.schema_contract import Snapshot


@dataclass
class CheckRecord:
    """What one check recorded besides its findings: timed steps, notes, and tables."""

    steps: list[tuple[str, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


class Recorder:
    """The record of the check each thread is running (static checks may run in a thread beside
    the database checks: each gets its own)."""

    def __init__(self, progress: Callable[[str], None] = lambda message: None) -> None:
        self.progress = progress
        self._local = threading.local()

    @property
    def current(self) -> CheckRecord:
        record = getattr(self._local, "record", None)
        if record is None:
            record = self._local.record = CheckRecord()
        return record

    @contextmanager
    def collecting(self) -> Iterator[CheckRecord]:
        """Record this thread's steps, notes and tables afresh (one check's worth)."""
        previous = getattr(self._local, "record", None)
        self._local.record = CheckRecord()
        try:
            yield self._local.record
        finally:
            self._local.record = previous

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time one step; one still running after a second is announced through ``progress``."""
        started = time.perf_counter()
        try:
            with announce_if_slow(self.progress, name):
                yield
        finally:
            self.current.steps.append((name, time.perf_counter() - started))


@dataclass(frozen=True)
class GuardContext:
    """One guard run as the checks see it; make it with :meth:`create`."""

    config: GuardConfig
    folder: RevisionFolder
    postgres: LazyServer
    recorder: Recorder = field(default_factory=Recorder)

    @classmethod
    def create(
        cls,
        lent_server: PostgresServer | None = None,
        progress: Callable[[str], None] = lambda message: None,
        **options: Any,
    ) -> GuardContext:
        """A run configured by ``options`` (those of :meth:`GuardConfig.create`: versions_dir,
        postgres, database_url, contract_path, ...); ``lent_server`` is a server the caller runs
        (used for every check, never stopped). GuardError (exit 2) names a bad input."""
        config = GuardConfig.create(**options)
        return cls(
            config=config,
            folder=RevisionFolder(config.versions_dir),
            postgres=LazyServer(config.postgres, config.database_url, lent_server, progress),
            recorder=Recorder(progress),
        )

    # The configuration.

    @property
    def versions_dir(self) -> Path:
        return self.config.versions_dir

    @property
    def contract_path(self) -> Path | None:
        return self.config.contract_path

    @property
    def compare_models(self) -> bool:
        return self.config.compare_models

    @property
    def is_project(self) -> bool:
        return self.config.is_project

    @property
    def since(self) -> Since | None:
        return self.config.since

    @property
    def table_sizes_path(self) -> Path | None:
        return self.config.table_sizes_path

    @property
    def lock_budget_s(self) -> float | None:
        return self.config.lock_budget_s

    @property
    def data_rows(self) -> int:
        return self.config.data_rows

    def contract(self) -> Snapshot:
        """The schema contract: the one given (read when the run was made), else the file at
        ``contract_path``; GuardError names the file and the position when it is not JSON."""
        if self.config.given_contract is not None:
            return self.config.given_contract
        return read_contract(self.config.contract_path)

    # The versions folder.

    def revision_files(self) -> list[Path]:
        return self.folder.files()

    def revision_sources(self) -> list[RevisionSource]:
        return self.folder.sources()

    def scripts(self) -> ScriptDirectory:
        return self.folder.scripts()

    def load_revisions(self) -> ScriptDirectory:
        return self.folder.load()

    def offline_sql(self) -> OfflineSql:
        return self.folder.offline_sql()

    # The server.

    def server(self) -> PostgresServer:
        """The run's server, started on first use; GuardError when none can be had."""
        try:
            return self.postgres.get()
        except ProviderError as exc:
            raise GuardError(str(exc)) from None

    @property
    def run_notes(self) -> list[str]:
        """Notes about the run as a whole (which server served it)."""
        return self.postgres.notes

    def close(self) -> None:
        """Stop the server (and drop its scratch databases) if this run started one."""
        self.postgres.close()

    # The recorder of the check running.

    @property
    def steps(self) -> list[tuple[str, float]]:
        return self.recorder.current.steps

    @property
    def notes(self) -> list[str]:
        return self.recorder.current.notes

    @property
    def tables(self) -> list[Table]:
        """The current check's tables (title, header, rows): shown under the check in markdown,
        carried in its JSON."""
        return self.recorder.current.tables

    def step(self, name: str):
        return self.recorder.step(name)

    @staticmethod
    def display_path(path: str | Path) -> str:
        """A path as findings show it: relative to the repository when inside it."""
        return repo_relative(path)
