"""The rehearsal: one database walked once through every revision, with rows in every table.

For each revision in topological order: top up the tables that hold fewer rows than asked; upgrade
it; compare row counts (an upgrade keeps the rows of the tables it keeps); run the team's
``rehearsal/<revision>.sql``; add rows that use the new schema (after the revision's commit, so
labels added with ``ALTER TYPE ... ADD VALUE`` can be used); downgrade it with those rows in
place; upgrade it again. The first upgrade that fails ends the walk (the revisions after it cannot
run); a failed downgrade leaves the database at the revision, so the walk goes on.

Everything here takes explicit arguments and returns a :class:`Rehearsal`; the check module only
adapts the guard's context.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from alembic.script import Script, ScriptDirectory
from sqlalchemy.engine import Connection

from backend.db.guard.checks.data_rehearsal import diagnosis
from backend.db.guard.checks.data_rehearsal.tables import (
    changed_tables,
    row_counts,
    table_shapes,
    with_ancestors,
)
from backend.db.guard.checks.revision_findings import function_line
from backend.db.guard.findings import Finding, error, warning
from backend.db.guard.rules import registry
from backend.db.migrator.failure import FailureLocation, MigrationFailed
from backend.db.migrator.scripts import topological_order
from backend.db.migrator.stepper import Statement, Stepper
from backend.db.rehearsal import DEFAULT_ROWS, FillReport, fill
from backend.db.urls import mask_text

PHASES = ("fill", "upgrade", "team rows", "downgrade", "reupgrade")


@dataclass(frozen=True)
class RehearsalOptions:
    """What to rehearse and how.

    ``rows``: rows per table; ``old``: revisions not to rehearse (``--since``: they are applied
    first, one after the other, without rows); ``rehearsal_dir``: the team's ``<revision>.sql`` files;
    ``irreversible``: revisions declared ``# guard: irreversible`` (never downgraded);
    ``allowed_destructive``: revision -> the reason of its ``# guard: allow-destructive``.
    """

    rows: int = DEFAULT_ROWS
    old: frozenset[str] = frozenset()
    rehearsal_dir: Path | None = None
    irreversible: frozenset[str] = frozenset()
    allowed_destructive: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Rehearsal:
    """What the walk found and what it did: findings, notes, seconds per phase, rows."""

    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PHASES, 0.0))
    fills: int = 0
    rows_inserted: int = 0
    peak_rows: dict[str, int] = field(default_factory=dict)  # the most rows each table held
    rehearsed: int = 0  # revisions whose upgrade succeeded on rows
    planned: int = 0  # revisions to rehearse (after --since)


def split(scripts: ScriptDirectory, old: frozenset[str]) -> tuple[list[Script], list[Script]]:
    """(the ``old`` revisions, every other revision), each in topological order."""
    ordered = topological_order(scripts)
    return (
        [script for script in ordered if script.revision in old],
        [script for script in ordered if script.revision not in old],
    )


class _Walk:
    """One rehearsal's state: the database, its stepper and what has been found so far."""

    def __init__(
        self,
        scripts: ScriptDirectory,
        connection: Connection,
        options: RehearsalOptions,
        display: Callable[[str | Path], str],
    ) -> None:
        self.connection = connection
        self.options = options
        self.display = display
        self.result = Rehearsal()
        self.last_sql: str | None = None
        self.stepper = Stepper(scripts, connection, before_statement=[self._remember])
        self._warned: set[tuple[str, str | None]] = set()

    def _remember(self, statement: Statement) -> None:
        self.last_sql = statement.sql

    def _timed(self, phase: str, started: float) -> None:
        self.result.seconds[phase] += time.perf_counter() - started

    # Rows

    def fill(self, script: Script, tables: set[str]) -> None:
        """Add rows to ``tables`` and commit; a generator warning becomes a finding once."""
        if not tables:
            return
        started = time.perf_counter()
        report = fill(self.connection, self.options.rows, shapes=False, only=tables)
        self.connection.commit()
        self._timed("fill", started)
        self.result.fills += 1
        self.result.rows_inserted += report.rows
        self._generator_warnings(script, report)

    def _generator_warnings(self, script: Script, report: FillReport) -> None:
        for found in report.warnings:
            key = (found.table, found.constraint)
            if key in self._warned:
                continue
            self._warned.add(key)
            under = f" under {found.constraint}" if found.constraint else ""
            self.result.findings.append(
                warning(
                    registry.DATA_GENERATOR_INCOMPLETE,
                    self.display(script.path),
                    None,
                    f"the generator could not fill table {found.table}{under} "
                    f"({found.message}); revisions after {script.revision} are rehearsed "
                    "on fewer rows there",
                    f"add rows of that shape in rehearsal/{script.revision}.sql beside the "
                    "versions folder",
                )
            )

    def counts(self) -> dict[str, int]:
        counts = row_counts(self.connection)
        self.connection.commit()
        for name, rows in counts.items():
            self.result.peak_rows[name] = max(rows, self.result.peak_rows.get(name, 0))
        return counts

    # Steps

    def apply(self, script: Script, is_upgrade: bool, phase: str) -> FailureLocation | None:
        started = time.perf_counter()
        self.last_sql = None
        try:
            self.stepper.apply(script, is_upgrade)
        except MigrationFailed as failure:
            return failure.location
        finally:
            self._timed(phase, started)
        return None

    def upgrade_old(self, old: list[Script]) -> bool:
        """Apply the revisions ``--since`` leaves out, unjudged but with the walk's hooks, so
        the judged ones start from the schema they build on."""
        started = time.perf_counter()
        try:
            self.stepper.walk([(script, True) for script in old])
        except MigrationFailed as failure:
            self.result.findings.append(self.failed(registry.DATA_UPGRADE_FAILS, failure.location))
            return False
        finally:
            self._timed("upgrade", started)
        self.result.notes.append(f"--since: {len(old)} old revision(s) applied in one go")
        return True

    def failed(self, rule: registry.Rule, location: FailureLocation) -> Finding:
        """The finding of a revision that failed on rows: where, what PostgreSQL said, which
        rows broke it (when that can be told) and the recipe that avoids it."""
        rows = diagnosis.broken_rows(location, self.last_sql)
        shape = f"; broken by {rows}" if rows else ""
        verb = {
            registry.DATA_UPGRADE_FAILS.id: "upgrade()",
            registry.DATA_DOWNGRADE_FAILS.id: "downgrade()",
            registry.DATA_REUPGRADE_FAILS.id: "upgrade() after its own downgrade",
        }[rule.id]
        return error(
            rule,
            self.display(location.path),
            location.line or function_line(location.path, location.direction),
            f"{verb} of revision {location.revision} fails on a database with rows: "
            f"{location.error}{shape}",
            diagnosis.fix_for(location, is_downgrade=rule is registry.DATA_DOWNGRADE_FAILS),
        )

    def rows_lost(self, script: Script, before: dict[str, int], after: dict[str, int]) -> None:
        lost = {
            name: (before[name], after[name])
            for name in before.keys() & after.keys()
            if after[name] < before[name]
        }
        if not lost:
            return
        tables = ", ".join(f"{name} {was} -> {now}" for name, (was, now) in sorted(lost.items()))
        reason = self.options.allowed_destructive.get(script.revision)
        if reason:
            self.result.findings.append(
                warning(
                    registry.DATA_ROWS_LOST_ALLOWED,
                    self.display(script.path),
                    function_line(script.path, "upgrade"),
                    f"upgrade() of revision {script.revision} deleted rows ({tables}); "
                    f"allowed: {reason}",
                    "make sure a backup holds them and no running code still needs them",
                )
            )
            return
        self.result.findings.append(
            error(
                registry.DATA_ROWS_LOST,
                self.display(script.path),
                function_line(script.path, "upgrade"),
                f"upgrade() of revision {script.revision} deletes rows of tables it keeps "
                f"({tables}); production loses them on deploy",
                "keep the rows (move them, update them), or record the decision with "
                "`# guard: allow-destructive <reason>` in upgrade()",
            )
        )

    def team_rows(self, script: Script) -> None:
        """Run ``rehearsal/<revision>.sql`` when the team wrote one."""
        folder = self.options.rehearsal_dir
        path = folder / f"{script.revision}.sql" if folder else None
        if path is None or not path.is_file():
            return
        started = time.perf_counter()
        sql = path.read_text(encoding="utf-8")
        try:
            self.connection.exec_driver_sql(sql, execution_options={"no_parameters": True})
            self.connection.commit()
        except sa.exc.DBAPIError as exc:
            self.connection.rollback()
            self.result.findings.append(self._team_rows_failed(script, path, sql, exc))
        else:
            self.result.notes.append(f"team rows: {self.display(path)} ran")
        finally:
            self._timed("team rows", started)

    def _team_rows_failed(self, script: Script, path: Path, sql: str, exc) -> Finding:
        diag = getattr(getattr(exc, "orig", None), "diag", None)
        message = getattr(diag, "message_primary", None) or str(getattr(exc, "orig", exc))
        detail = getattr(diag, "message_detail", None)
        position = getattr(diag, "statement_position", None)
        line = sql[: int(position) - 1].count("\n") + 1 if position else None
        said = mask_text(message.strip()) + (f"; DETAIL: {mask_text(detail)}" if detail else "")
        return error(
            registry.DATA_REHEARSAL_SQL_FAILS,
            self.display(path),
            line,
            f"the team's rows for revision {script.revision} cannot be inserted: {said}; the "
            "shapes they hold are not rehearsed",
            f"make the file valid against the schema right after {script.revision} "
            f"(try it with psql on a database at that revision)",
        )

    # The walk

    def revision(self, script: Script) -> bool:
        """Rehearse one revision; False when the walk cannot go on past it."""
        counts = self.counts()
        self.fill(script, {name for name, rows in counts.items() if rows < self.options.rows})
        before, shapes = self.counts(), table_shapes(self.connection)
        failure = self.apply(script, True, "upgrade")
        if failure is not None:
            self.result.findings.append(self.failed(registry.DATA_UPGRADE_FAILS, failure))
            return False
        self.result.rehearsed += 1
        self.rows_lost(script, before, self.counts())
        self.team_rows(script)
        changed = changed_tables(shapes, table_shapes(self.connection))
        self.fill(script, with_ancestors(self.connection, changed) if changed else changed)
        self.counts()
        if script.revision in self.options.irreversible:
            return True
        failure = self.apply(script, False, "downgrade")
        if failure is not None:
            self.result.findings.append(self.failed(registry.DATA_DOWNGRADE_FAILS, failure))
            return True  # rolled back: still at this revision, the next one can run
        failure = self.apply(script, True, "reupgrade")
        if failure is not None:
            self.result.findings.append(self.failed(registry.DATA_REUPGRADE_FAILS, failure))
            return False
        return True


def rehearse(
    scripts: ScriptDirectory,
    connection: Connection,
    options: RehearsalOptions,
    display: Callable[[str | Path], str] = str,
) -> Rehearsal:
    """Walk every revision (but ``options.old``) on ``connection``, an empty database, with
    rows in place; see the module docstring."""
    walk = _Walk(scripts, connection, options, display)
    if options.old:
        old, new = split(scripts, options.old)
        walk.result.planned = len(new)
        if not walk.upgrade_old(old):
            return walk.result
        below = {down for script in old for down in _down_revisions(script)}
        for head in old:
            if head.revision not in below:
                walk.team_rows(head)  # the base's own rows, as production has them
    else:
        new = topological_order(scripts)
        walk.result.planned = len(new)
    for script in new:
        if not walk.revision(script):
            break
    skipped = [s.revision for s in new if s.revision in options.irreversible]
    if skipped:
        walk.result.notes.append("declared irreversible, not downgraded: " + ", ".join(skipped))
    return walk.result


def _down_revisions(script: Script) -> tuple[str, ...]:
    down = script.down_revision
    return (down,) if isinstance(down, str) else tuple(down or ())
