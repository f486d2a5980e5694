"""The SQL a run would execute, generated offline (Alembic's ``--sql`` mode): no database.

One implementation for every reader: the guard (dry-run's ``offline-sql-generates``, squawk's
lock review) and the deploy's ``--dry-run``, which starts from the database's revision and may
go down. Each statement written is remembered with the ``op.*`` line that emitted it, so a
finding about the SQL points at the revision line that produced it.
"""

from __future__ import annotations

import bisect
import io
import sys
from dataclasses import dataclass
from functools import cached_property

from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL

from backend.db.migrations_config import alembic_config
from backend.db.migrator.environment import ALEMBIC_PROXIES
from backend.db.migrator.locations import SourceLine, VersionsFolder


@dataclass(frozen=True)
class EmittedStatement:
    """One piece of the offline output: its lines (1-based, inclusive) and the ``op.*`` line
    that wrote it (None for Alembic's own: BEGIN, the version table, ``-- Running`` comments)."""

    first_line: int
    last_line: int
    source: SourceLine | None


@dataclass(frozen=True)
class OfflineScript:
    """The offline SQL and where each of its statements comes from."""

    text: str
    statements: tuple[EmittedStatement, ...] = ()

    @cached_property
    def _starts(self) -> list[int]:
        return [statement.first_line for statement in self.statements]

    def source_of(self, line: int) -> SourceLine | None:
        """The revision line that emitted the statement on output line ``line`` (1-based)."""
        index = bisect.bisect_right(self._starts, line) - 1
        if index < 0 or line > self.statements[index].last_line:
            return None
        return self.statements[index].source


class _LocatingBuffer(io.StringIO):
    """Alembic's output buffer, noting for each write (one statement: ``static_output``) its
    lines and the innermost frame in the versions folder."""

    def __init__(self, folder: VersionsFolder) -> None:
        super().__init__()
        self.folder = folder
        self.statements: list[EmittedStatement] = []
        self._lines = 0

    def write(self, text: str) -> int:
        if text.strip():
            first = self._lines + 1 + (len(text) - len(text.lstrip("\n")))
            last = self._lines + text.rstrip("\n").count("\n") + 1
            source = self.folder.caller(sys._getframe(1))
            self.statements.append(EmittedStatement(first, last, source))
        self._lines += text.count("\n")
        return super().write(text)


def offline_script(
    scripts: ScriptDirectory,
    target: str = "heads",
    start: str | None = None,
    *,
    downgrade: bool = False,
    url: URL | None = None,
) -> OfflineScript:
    """What Alembic's ``--sql`` mode emits from ``start`` (None: base) to ``target``, going down
    when ``downgrade`` (which needs a ``start``, as ``alembic downgrade --sql FROM:TO`` does).

    ``url`` gives env.py the dialect (default: a bare postgresql URL); nothing connects.
    """
    if downgrade and start is None:
        raise ValueError("an offline downgrade needs the revision it starts from")
    buffer = _LocatingBuffer(VersionsFolder(scripts))
    config = alembic_config(scripts.versions, url=url)
    config.output_buffer = buffer

    def plan(heads, migration_context: MigrationContext) -> list:
        if downgrade:
            return scripts._downgrade_revs(target, heads)
        return scripts._upgrade_revs(target, heads)

    with (
        ALEMBIC_PROXIES,
        EnvironmentContext(
            config, scripts, fn=plan, as_sql=True, starting_rev=start, destination_rev=target
        ),
    ):
        scripts.run_env()
    return OfflineScript(buffer.getvalue(), tuple(buffer.statements))


def offline_sql(
    scripts: ScriptDirectory,
    target: str = "heads",
    start: str | None = None,
    *,
    downgrade: bool = False,
    url: URL | None = None,
) -> str:
    """The text of :func:`offline_script` (the same arguments)."""
    return offline_script(scripts, target, start, downgrade=downgrade, url=url).text
