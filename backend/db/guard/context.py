"""What every check of one guard run shares: the versions folder, one Postgres server, timings.

The runner may run the static checks in threads while the database checks run, so the server, the
ScriptDirectory and the offline SQL are created under a lock, and each thread records its steps
and notes into the check it is running (see :meth:`GuardContext.collecting`).

Nothing heavy is imported here (Alembic is imported on first use): the CLI starts the server and
the static checks' process before paying for Alembic and the models.
"""

from __future__ import annotations

import importlib.util
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from backend.db.guard.errors import GuardError
from backend.db.guard.findings import Finding
from backend.db.guard.inputs import check_versions_dir, read_contract, revision_files
from backend.db.migrations_config import SCHEMA_CONTRACT, VERSIONS_DIR, repo_relative
from backend.db.postgres import PostgresServer, ProviderError
from backend.db.postgres.provider import start_server

if TYPE_CHECKING:
    from alembic.script import ScriptDirectory
    from sqlalchemy.engine import URL

    from backend.db.guard.revision_source import RevisionSource
    from backend.db.schema_contract import Snapshot

# A step still running after this long gets a progress line, so a slow run never looks hung.
PROGRESS_AFTER_S = 1.0


@dataclass
class GuardContext:
    """One guard run. The Postgres server starts on first use and serves every check.

    ``contract_path`` and ``compare_models`` default to "only for the project's own folder": a
    foreign versions folder has no contract and no models of its own. A missing versions folder,
    one without revisions, and a ``contract_path`` given but not readable as JSON raise
    :class:`GuardError` here, before any check runs; the project's own contract, when missing,
    is left to dry-run's ``schema-matches-contract`` finding.
    """

    versions_dir: Path = VERSIONS_DIR
    postgres: str = "auto"
    database_url: str | URL | None = None
    # A server the caller already runs (e.g. rebaselining): used for every check, never stopped.
    lent_server: PostgresServer | None = None
    contract_path: Path | None = None
    compare_models: bool | None = None
    progress: Callable[[str], None] = lambda message: None
    # data-test: rows per table, and the revision after which to rehearse (None: all).
    data_rows: int = 200
    data_since: str | None = None
    run_notes: list[str] = field(default_factory=list)
    # With both database checks, dry-run leaves its database at head for downgrade-test, so
    # ``all`` migrates one database instead of two.
    share_head_database: bool = False
    head_database: HeadDatabase | None = None
    _server: PostgresServer | None = None
    _server_error: GuardError | None = None
    _scripts: ScriptDirectory | None = None
    _sources: list[RevisionSource] | None = None
    _offline_sql: OfflineSql | None = None
    _offline_source: Callable[[], OfflineSql | None] | None = None
    _contract: Snapshot | None = None
    # Set in the static checks' process: the server belongs to the parent alone.
    _server_forbidden: bool = False

    def __post_init__(self) -> None:
        self.versions_dir = Path(self.versions_dir).resolve()
        check_versions_dir(self.versions_dir)
        if self.contract_path is not None:  # asked for: it must be a contract
            self.contract_path = Path(self.contract_path).resolve()
            self._contract = read_contract(self.contract_path)
        elif self.is_project:
            self.contract_path = SCHEMA_CONTRACT.resolve()
        if self.compare_models is None:
            self.compare_models = self.is_project
        # Separate locks: loading the revisions must not wait for the server to start.
        self._scripts_lock = threading.Lock()
        self._sources_lock = threading.Lock()
        self._server_lock = threading.Lock()
        self._offline_lock = threading.Lock()
        self._local = threading.local()

    @property
    def is_project(self) -> bool:
        """Whether the folder is the project's own (model drift and contract apply only then)."""
        return self.versions_dir == VERSIONS_DIR.resolve()

    def revision_files(self) -> list[Path]:
        """The revision files Alembic would load from the folder, in name order."""
        return revision_files(self.versions_dir)

    def contract(self) -> Snapshot:
        """The schema contract at ``contract_path``, read once; GuardError names the file and
        the position when it is not JSON."""
        if self._contract is None:
            self._contract = read_contract(self.contract_path)
        return self._contract

    def revision_sources(self) -> list[RevisionSource]:
        """Each revision file read with ``ast`` (never imported), parsed once per run for lint
        and security."""
        with self._sources_lock:
            if self._sources is None:
                from backend.db.guard.revision_source import parse_revision

                self._sources = [parse_revision(path) for path in self.revision_files()]
            return self._sources

    def scripts(self) -> ScriptDirectory:
        """Alembic's ScriptDirectory over the folder, loaded once per run (revision files too)."""
        with self._scripts_lock:
            if self._scripts is None:
                from backend.db.migrations_config import script_directory

                self._scripts = script_directory(self.versions_dir)
            return self._scripts

    def offline_sql(self) -> OfflineSql:
        """The chain's offline (``--sql``) upgrade SQL, generated once per run for dry-run and
        squawk; a failure is kept as the ``offline-sql-generates`` finding it makes."""
        with self._offline_lock:
            if self._offline_sql is None and self._offline_source is not None:
                self._offline_sql = self._offline_source()
            if self._offline_sql is None:
                self._offline_sql = self._generate_offline_sql()
            return self._offline_sql

    def use_offline_sql(self, source: Callable[[], OfflineSql | None]) -> None:
        """Take the offline SQL from ``source`` (the static checks' process) when first needed;
        generate it here if the source has none."""
        self._offline_source = source

    def _generate_offline_sql(self) -> OfflineSql:
        """The offline SQL, or the finding of the revision that keeps it from being made; an
        error that does not come from the revisions is the guard's own and raises GuardError."""
        from backend.db.guard.checks.revision_findings import offline_failure
        from backend.db.migrator.offline import offline_script

        def failure(exc: Exception, doing: str, while_loading: bool = False) -> OfflineSql:
            if not caused_by_revisions(exc, self.versions_dir, while_loading):
                raise guard_failure(doing, exc) from exc
            return OfflineSql(None, offline_failure(self, exc), type(exc).__name__)

        scripts = self.scripts()  # the guard's configuration, no revision file read yet
        try:
            self.load_revisions()
        except Exception as exc:  # noqa: BLE001 - judged by its cause
            return failure(exc, "loading the revisions", while_loading=True)
        try:
            script = offline_script(scripts, "heads")
            return OfflineSql(script.text, statements=script.statements)
        except Exception as exc:  # noqa: BLE001 - judged by its cause
            return failure(exc, "generating the offline SQL")

    def load_revisions(self) -> ScriptDirectory:
        """:meth:`scripts` with every revision file imported and the graph walked, so that what
        fails here is the folder's (see :func:`caused_by_revisions`, ``while_loading``)."""
        scripts = self.scripts()
        with warnings.catch_warnings():
            # Alembic only warns about duplicate ids and missing down revisions; lint reports them.
            warnings.simplefilter("ignore")
            for _ in scripts.walk_revisions():
                pass
        return scripts

    def server(self) -> PostgresServer:
        """The run's Postgres server, started on first use; every thread gets the same one."""
        with self._server_lock:
            if self._server_forbidden:
                raise GuardError("internal error: the static checks' process asked for the server")
            if self._server_error is not None:
                raise self._server_error
            if self._server is None and self.lent_server is not None:
                self._server = self.lent_server
                self.run_notes.append(f"postgres: {self._server.describe()} (lent by the caller)")
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
        return repo_relative(path)

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

    def forbid_server(self) -> None:
        """In a forked process: never start, use or stop the parent's server."""
        self._server_forbidden = True
        self._server = None

    def close(self) -> None:
        """Stop the server (and drop its scratch databases) if this run started one."""
        with self._server_lock:
            if self._server_forbidden:
                return
            if self._server is not None and self._server is not self.lent_server:
                self._server.close()
            self._server = None


# Found without importing Alembic (see the module docstring).
ALEMBIC_PACKAGE = Path(importlib.util.find_spec("alembic").origin).parent.resolve()


def caused_by_revisions(
    exc: BaseException, versions_dir: Path, while_loading: bool = False
) -> bool:
    """Whether an exception comes from the revision files, not from the guard.

    It does when it was raised in a revision file (its module code or its upgrade()) or is a
    syntax error in one; ``while_loading`` (Alembic importing the files and walking their
    graph), also when Alembic itself raised it last: Alembic rejects a bad header
    (``revision = None``: a TypeError in Alembic), a cycle or a missing down revision with no
    revision frame in the traceback. Anything else is a bug of the guard, never a finding.
    """
    if isinstance(exc, SyntaxError) and exc.filename:
        if Path(exc.filename).resolve().parent == versions_dir:
            return True
    frames = [Path(frame.filename) for frame in traceback.extract_tb(exc.__traceback__)]
    if any(path.resolve().parent == versions_dir for path in frames):
        return True
    if not while_loading:
        return False
    innermost = next((path for path in reversed(frames) if not str(path).startswith("<")), None)
    return innermost is not None and innermost.resolve().is_relative_to(ALEMBIC_PACKAGE)


def guard_failure(doing: str, exc: BaseException) -> GuardError:
    """The one-line error for an exception of the guard's own while ``doing`` something."""
    return GuardError(f"internal error while {doing}: {type(exc).__name__}: {exc}")


@dataclass(frozen=True)
class OfflineSql:
    """The offline upgrade SQL of the chain, or the finding that says why it cannot be made."""

    sql: str | None
    failure: Finding | None = None
    error_type: str | None = None
    # Where each statement of ``sql`` comes from (backend.db.migrator.offline.EmittedStatement).
    statements: tuple = ()


@dataclass(frozen=True)
class HeadDatabase:
    """A scratch database migrated to head by dry-run, with its schema at head and when empty."""

    url: object  # sqlalchemy URL (with the password: never printed)
    at_head: Snapshot
    empty: Snapshot
