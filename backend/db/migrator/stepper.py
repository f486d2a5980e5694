"""Move one database along the revision graph in-process, one revision at a time if need be.

``alembic.command.upgrade`` reloads every revision file and re-runs env.py on each call, which
makes a stairway over N revisions quadratic. A :class:`Stepper` runs env.py once per database
to learn the project's migration options (so a foreign versions folder is migrated exactly as the
project's own would be), then drives Alembic's ``MigrationContext`` directly with
``RevisionStep``\\ s of the one ScriptDirectory of the run: linear, a few ms of overhead per step.

Callers observe a run through hooks rather than by driving Alembic themselves: before and after
each revision (the after hook is Alembic's ``on_version_apply``) and before and after each
statement a revision executes (SQLAlchemy's cursor events, with the ``op.*`` line that emitted
it), e.g. to read ``pg_locks`` while the revision's transaction still holds them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext, RevisionStep
from alembic.script import Script, ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Connection

from backend.db.migrator.environment import ALEMBIC_PROXIES, env_options
from backend.db.migrator.failure import MigrationFailed
from backend.db.migrator.locations import SourceLine, VersionsFolder


@dataclass(frozen=True)
class AppliedStep:
    """One revision applied in one direction, and how long it took."""

    revision: str
    is_upgrade: bool
    duration_s: float


@dataclass(frozen=True)
class Statement:
    """One statement a revision executes, as the statement hooks see it.

    ``source`` is the ``op.*`` (or ``op.get_bind().execute``) line in the versions folder that
    emitted it; None for Alembic's own statements of the step (the version table update).
    ``duration_s`` is None before the statement runs.
    """

    revision: str
    is_upgrade: bool
    sql: str
    parameters: Any
    source: SourceLine | None
    duration_s: float | None = None

    @property
    def line(self) -> int | None:
        return self.source.line if self.source else None


RevisionHook = Callable[[Script, bool], None]
StatementHook = Callable[[Statement], None]


class Stepper:
    """Upgrades and downgrades one database, to a target or one revision at a time.

    Each revision runs in its own transaction (the project's ``transaction_per_migration``), so a
    failing revision leaves the database at the last good one. Every hook runs inside the
    revision's transaction, and a hook that raises fails its revision:

    - ``before_revision(script, is_upgrade)`` just before its upgrade() or downgrade();
    - ``on_version_apply`` (Alembic's signature) after it and the version update, after env.py's;
    - ``before_statement(statement)`` and ``after_statement(statement)`` (with its duration)
      around each statement the step executes. Statements a hook executes itself are not
      reported again.
    """

    def __init__(
        self,
        scripts: ScriptDirectory,
        connection: Connection,
        on_version_apply: Sequence[Callable[..., None]] = (),
        before_revision: Sequence[RevisionHook] = (),
        before_statement: Sequence[StatementHook] = (),
        after_statement: Sequence[StatementHook] = (),
    ) -> None:
        self.scripts = scripts
        self.connection = connection
        self.on_version_apply = tuple(on_version_apply)
        self.before_revision = tuple(before_revision)
        self.before_statement = tuple(before_statement)
        self.after_statement = tuple(after_statement)
        self.options = env_options(scripts, connection)
        self._folder = VersionsFolder(scripts)
        self._current: tuple[Script, bool] | None = None  # the step running, for statements
        self._statement: Statement | None = None
        self._started = 0.0
        self._in_hook = False
        self._plan: Callable[[tuple[str, ...]], Iterable[RevisionStep]] = lambda heads: []
        self._context = self._new_context()

    def _new_context(self) -> MigrationContext:
        return MigrationContext.configure(
            connection=self.connection, opts={**self.options, "fn": self._next_steps}
        )

    @property
    def migration_context(self) -> MigrationContext:
        return self._context

    def heads(self) -> tuple[str, ...]:
        """The revisions the database is at (several while branches are unmerged)."""
        heads = self._context.get_current_heads()
        self._end_transaction()
        return heads

    def upgrade(self, target: str = "heads") -> list[AppliedStep]:
        return self._run(lambda heads: self.scripts._upgrade_revs(target, heads))

    def downgrade(self, target: str = "base") -> list[AppliedStep]:
        return self._run(lambda heads: self.scripts._downgrade_revs(target, heads))

    def upgrade_plan(self, target: str = "heads") -> list[Script]:
        """The revisions ``upgrade(target)`` would apply from the current heads, in order."""
        return [step.revision for step in self.scripts._upgrade_revs(target, self.heads())]

    def apply(self, script: Script, is_upgrade: bool) -> AppliedStep:
        """Apply exactly one revision (by id, so merges and branch points are unambiguous)."""
        step = RevisionStep(self.scripts.revision_map, script, is_upgrade)
        return self._run(lambda heads: [step])[0]

    def walk(self, moves: Sequence[tuple[Script, bool]]) -> list[AppliedStep]:
        """Apply each (revision, is_upgrade) in order, as if each were its own ``alembic``
        command: its own transaction and a fresh DDL memo (so an enum dropped by one move is
        created again by the next), but one MigrationContext and one look at the version table
        for all of them: the stairway's per-step cost. A failure names its move's index in
        ``MigrationFailed.index``."""
        revision_map = self.scripts.revision_map

        def plan(heads: tuple[str, ...]) -> Iterator[RevisionStep]:
            for script, is_upgrade in moves:
                # Asked for between two moves, outside their transactions.
                self._context.impl.memo.clear()
                yield RevisionStep(revision_map, script, is_upgrade)

        return self._run(plan)

    def _next_steps(
        self, heads: tuple[str, ...], migration_context: MigrationContext
    ) -> Iterable[RevisionStep]:
        return self._plan(heads)

    def _run(self, plan: Callable[[tuple[str, ...]], Iterable[RevisionStep]]) -> list[AppliedStep]:
        planned: list[RevisionStep] = []

        def remember(heads: tuple[str, ...]) -> Iterator[RevisionStep]:
            # Lazily: a walk's plan runs between its moves.
            for step in plan(heads):
                planned.append(step)
                yield self._hooked(step)

        applied: list[AppliedStep] = []
        clock = [time.perf_counter()]

        def record(ctx, step, heads, run_args) -> None:
            now = time.perf_counter()
            revision = planned[len(applied)].revision.revision
            applied.append(AppliedStep(revision, step.is_upgrade, now - clock[0]))
            clock[0] = now
            self._current = None

        self._plan = remember
        self._end_transaction()
        # A fresh MigrationContext per run, as each `alembic` command gets: its DDL memo
        # remembers enum types created earlier and would skip creating them again.
        self._context = self._new_context()
        self._context.on_version_apply_callbacks = [
            *self._context.on_version_apply_callbacks,
            *(self._as_hook(callback) for callback in self.on_version_apply),
            record,  # last: a failing callback is its revision's failure
        ]
        watch = bool(self.before_statement or self.after_statement)
        if watch:
            event.listen(self.connection, "before_cursor_execute", self._before_cursor)
            event.listen(self.connection, "after_cursor_execute", self._after_cursor)
        try:
            # ``op.*`` inside the revisions resolves to this context (env.py's run_migrations
            # does the same).
            with ALEMBIC_PROXIES, Operations.context(self._context):
                self._context.run_migrations()
        except Exception as exc:
            self._end_transaction(rollback=True)
            if len(applied) < len(planned):
                failed = planned[len(applied)]
                raise MigrationFailed(
                    failed.revision, failed.is_upgrade, exc, len(applied)
                ) from exc
            raise
        finally:
            self._plan = lambda heads: []
            self._current = self._statement = None
            if watch:
                event.remove(self.connection, "before_cursor_execute", self._before_cursor)
                event.remove(self.connection, "after_cursor_execute", self._after_cursor)
        self._end_transaction()
        return applied

    def _hooked(self, step: RevisionStep) -> RevisionStep:
        """``step`` with its migration function wrapped: it marks the step as the one running
        (for the statement hooks) and calls ``before_revision`` inside its transaction."""
        migration_fn = step.migration_fn
        script, is_upgrade = step.revision, step.is_upgrade

        def run(**kw: Any) -> None:
            self._current = (script, is_upgrade)
            self._call(self.before_revision, script, is_upgrade)
            migration_fn(**kw)

        step.migration_fn = run
        return step

    def _call(self, hooks: Sequence[Callable[..., None]], *args: Any, **kwargs: Any) -> None:
        if not hooks:
            return
        self._in_hook = True  # what a hook executes is not the revision's statement
        try:
            for hook in hooks:
                hook(*args, **kwargs)
        finally:
            self._in_hook = False

    def _as_hook(self, callback: Callable[..., None]) -> Callable[..., None]:
        return lambda **kwargs: self._call((callback,), **kwargs)

    def _before_cursor(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self._current is None or self._in_hook:
            return
        script, is_upgrade = self._current
        self._statement = Statement(
            script.revision, is_upgrade, statement, parameters, self._folder.caller()
        )
        self._call(self.before_statement, self._statement)
        self._started = time.perf_counter()

    def _after_cursor(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self._statement is None or self._in_hook:
            return
        done = replace(self._statement, duration_s=time.perf_counter() - self._started)
        self._statement = None
        self._call(self.after_statement, done)

    def _end_transaction(self, rollback: bool = False) -> None:
        # The MigrationContext begins its own transaction per revision only when none is open.
        if self.connection.in_transaction():
            if rollback:
                self.connection.rollback()
            else:
                self.connection.commit()
