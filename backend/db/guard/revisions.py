"""The versions folder of one guard run, read once: its files, their ``ast``, Alembic's
ScriptDirectory and the chain's offline SQL.

The runner may run the static checks in a thread beside the database checks, so each is made
under a lock of its own (loading the revisions must not wait for the offline SQL). Nothing
heavy is imported here: Alembic is imported on first use, after the CLI has started the server.
"""

from __future__ import annotations

import importlib.util
import threading
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from backend.db.guard.errors import GuardError
from backend.db.guard.findings import Finding, error
from backend.db.guard.inputs import revision_files
from backend.db.guard.revision_source import RevisionSource, parse_revision
from backend.db.migrations_config import repo_relative, script_directory
from backend.db.migrator.failure import first_line, locate_in_folder

if TYPE_CHECKING:
    from alembic.script import ScriptDirectory

# Found without importing Alembic (see the module docstring).
ALEMBIC_PACKAGE = Path(importlib.util.find_spec("alembic").origin).parent.resolve()


@dataclass(frozen=True)
class OfflineSql:
    """The offline upgrade SQL of the chain, or the finding that says why it cannot be made."""

    sql: str | None
    failure: Finding | None = None
    error_type: str | None = None
    # Where each statement of ``sql`` comes from (backend.db.migrator.offline.EmittedStatement).
    statements: tuple = ()


class RevisionFolder:
    """One versions folder, each view of it made once per run."""

    def __init__(self, versions_dir: Path) -> None:
        self.versions_dir = versions_dir
        self._scripts: ScriptDirectory | None = None
        self._sources: list[RevisionSource] | None = None
        self._offline_sql: OfflineSql | None = None
        self._offline_source: Callable[[], OfflineSql | None] | None = None
        self._scripts_lock = threading.Lock()
        self._sources_lock = threading.Lock()
        self._offline_lock = threading.Lock()

    def files(self) -> list[Path]:
        """The revision files Alembic would load from the folder, in name order."""
        return revision_files(self.versions_dir)

    def sources(self) -> list[RevisionSource]:
        """Each revision file read with ``ast`` (never imported), for lint and security."""
        with self._sources_lock:
            if self._sources is None:
                self._sources = [parse_revision(path) for path in self.files()]
            return self._sources

    def scripts(self) -> ScriptDirectory:
        """Alembic's ScriptDirectory over the folder (its revision files load on first use)."""
        with self._scripts_lock:
            if self._scripts is None:
                self._scripts = script_directory(self.versions_dir)
            return self._scripts

    def load(self) -> ScriptDirectory:
        """:meth:`scripts` with every revision file imported and the graph walked, so that what
        fails here is the folder's (see :func:`caused_by_revisions`, ``while_loading``)."""
        scripts = self.scripts()
        with warnings.catch_warnings():
            # Alembic only warns about duplicate ids and missing down revisions; lint reports them.
            warnings.simplefilter("ignore")
            for _ in scripts.walk_revisions():
                pass
        return scripts

    def offline_sql(self) -> OfflineSql:
        """The chain's offline (``--sql``) upgrade SQL, made once per run for dry-run and
        squawk; a failure of the revisions is kept as the ``offline-sql-generates`` finding, a
        failure of the guard's own raises GuardError."""
        with self._offline_lock:
            if self._offline_sql is None and self._offline_source is not None:
                self._offline_sql = self._offline_source()
            if self._offline_sql is None:
                self._offline_sql = self._generate_offline_sql()
            return self._offline_sql

    def use_offline_sql(self, source: Callable[[], OfflineSql | None]) -> None:
        """Take the offline SQL from ``source`` (the static checks' process) when first needed;
        make it here if the source has none."""
        self._offline_source = source

    def _generate_offline_sql(self) -> OfflineSql:
        from backend.db.migrator.offline import offline_script  # Alembic: on first use only

        def failure(exc: Exception, doing: str, while_loading: bool = False) -> OfflineSql:
            if not caused_by_revisions(exc, self.versions_dir, while_loading):
                raise guard_failure(doing, exc) from exc
            return OfflineSql(None, offline_failure(self.versions_dir, exc), type(exc).__name__)

        scripts = self.scripts()  # the guard's configuration, no revision file read yet
        try:
            self.load()
        except Exception as exc:  # noqa: BLE001 - judged by its cause
            return failure(exc, "loading the revisions", while_loading=True)
        try:
            script = offline_script(scripts, "heads")
            return OfflineSql(script.text, statements=script.statements)
        except Exception as exc:  # noqa: BLE001 - judged by its cause
            return failure(exc, "generating the offline SQL")


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
    path, _ = locate_in_folder(exc, versions_dir)
    if path is not None and path.resolve().parent == versions_dir:
        return True
    if not while_loading:
        return False
    frames = [Path(frame.filename) for frame in traceback.extract_tb(exc.__traceback__)]
    innermost = next((path for path in reversed(frames) if not str(path).startswith("<")), None)
    return innermost is not None and innermost.resolve().is_relative_to(ALEMBIC_PACKAGE)


def guard_failure(doing: str, exc: BaseException) -> GuardError:
    """The one-line error for an exception of the guard's own while ``doing`` something."""
    return GuardError(f"internal error while {doing}: {type(exc).__name__}: {exc}")


def offline_failure(versions_dir: Path, exc: BaseException) -> Finding:
    """``offline-sql-generates``: ``upgrade --sql`` fails, pointing at the revision that raised."""
    path, line = locate_in_folder(exc, versions_dir)
    return error(
        "offline-sql-generates",
        repo_relative(path or versions_dir),
        line,
        f"`alembic upgrade head --sql` fails: {first_line(exc)}; the release cannot be reviewed "
        "as SQL",
        "do not read from the database inside upgrade() (no op.get_bind() queries); use "
        "op.execute() with literal SQL",
    )
