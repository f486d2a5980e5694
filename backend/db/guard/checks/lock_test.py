"""lock-test: no revision holds a lock that blocks reads or writes on a big table for long.

A migration that succeeds can still take production down: ``CREATE INDEX`` blocks writes to the
table for the whole build, a type change or a volatile default rewrites it under ACCESS EXCLUSIVE
(reads wait too), ``SET NOT NULL`` and a foreign key without NOT VALID scan it under the lock, a
backfill in the revision of its ADD COLUMN runs under the ADD COLUMN's lock. Each revision runs
on rehearsal rows at two sizes, observed after every statement (locks, rewrites, scans, index
builds, times); each statement's time is predicted at the table's production size
(``--table-sizes``, else ``backend/db/table_sizes.json`` for the project's own folder, else
1,000,000 rows) and a lock held longer than the budget (``--lock-budget``, else ``lock-budget``
under ``[tool.migration-guard]``, else 1 s) is ``lock-blocks-writes`` or ``lock-blocks-reads``.

The rehearsal rows make what they can succeed (no NULLs, rows pointing at the parents of foreign
keys added later); a revision they still break is noted as not measured: rows are data-test's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from backend.db import table_sizes
from backend.db.guard.checks import NO_HANDOFF, Handoff, Outcome
from backend.db.guard.checks.revision_findings import load_scripts, migration_failure
from backend.db.guard.context import GuardContext
from backend.db.guard.errors import GuardError
from backend.db.guard.findings import Finding
from backend.db.guard.locks import observe
from backend.db.guard.locks.judge import judge
from backend.db.guard.rules import registry
from backend.db.migrator.failure import MigrationFailed
from backend.db.postgres import PostgresServer, majors
from backend.db.session import scratch_connection

# Small enough to fill in a second or two, large enough that a scan outweighs the noise.
REHEARSAL_ROWS = (5_000, 50_000)
DEFAULT_BUDGET_S = 1.0


@dataclass(frozen=True)
class Sizes:
    """Production row counts: ``rows`` from a file (a table it leaves out has none yet), else
    ``default`` for every table."""

    rows: dict[str, int] | None
    source: str

    def __call__(self, table: str) -> int:
        if self.rows is None:
            return table_sizes.DEFAULT_ROWS
        return self.rows.get(table, 0)


def run(context: GuardContext, handoff: Handoff = NO_HANDOFF) -> Outcome:
    """Observe, predict and judge every revision; see the module docstring."""
    scripts = load_scripts(context)
    if isinstance(scripts, Finding):
        return Outcome([scripts])
    sizes = production_sizes(context.table_sizes_path, context.is_project)
    budget = lock_budget(context.lock_budget_s)
    context.notes.append(f"production sizes: {sizes.source}; lock budget {budget:g} s")
    if context.since is not None:
        context.notes.append(context.since.describe())
    with context.step("wait for PostgreSQL"):
        server = context.server()
    try:
        findings, notes = lock_test(
            scripts,
            server,
            sizes,
            budget,
            context.display_path,
            context.step,
            context.recorder.progress,
            old=context.since.old if context.since else frozenset(),
        )
    except MigrationFailed as failure:  # fails on an empty database: dry-run's finding too
        return Outcome([migration_failure(registry.UPGRADE_FAILS, failure)])
    context.notes.extend(notes)
    return Outcome(findings)


def lock_test(
    scripts: ScriptDirectory,
    server: PostgresServer,
    sizes: Callable[[str], int],
    budget_s: float,
    display_path: Callable[[str], str] = str,
    step: Callable[[str], AbstractContextManager] | None = None,
    progress: Callable[[str], None] = lambda message: None,
    rehearsal_rows: tuple[int, int] = REHEARSAL_ROWS,
    old: frozenset[str] = frozenset(),
) -> tuple[list[Finding], list[str]]:
    """The findings and notes of lock-test for ``scripts`` on scratch databases of ``server``;
    the ``old`` revisions (``--since``) are applied, never measured."""
    step = step or (lambda name: nullcontext())
    with step("learn what each revision touches (empty database)"):
        with _database(server, "locks_plan") as connection:
            order, touched = observe.plan(scripts, connection)
            foreign_keys = observe.head_foreign_keys(connection)
    touched = {revision: tables for revision, tables in touched.items() if revision not in old}
    if not any(touched.values()):
        return [], ["no revision changes a table an earlier revision created: nothing to measure"]
    # A table no bigger in production than the smaller rehearsal is measured at its own size
    # already: what a statement does to it takes milliseconds, and filling it (and its parents)
    # to the larger size would be most of the run.
    small = {t for tables in touched.values() for t in tables if sizes(t) <= rehearsal_rows[0]}
    touched = {revision: tables - small for revision, tables in touched.items()}
    notes = []
    if small:
        notes.append(
            f"{len(small)} table(s) small in production (<= {rehearsal_rows[0]:,} rows) not "
            f"measured: {', '.join(sorted(small))}"
        )
    if not any(touched.values()):
        return [], [*notes, "every table the revisions change is small in production"]
    observed = []
    for rows in rehearsal_rows:
        with step(f"observe at {rows:,} rows"), _database(server, "locks") as connection:
            observed.append(
                observe.observe(scripts, connection, order, touched, rows, foreign_keys, progress)
            )
    findings, judged_notes = judge(*observed, sizes, budget_s, display_path)
    return findings, [*notes, *judged_notes]


def production_sizes(path: Path | None, is_project: bool) -> Sizes:
    """The sizes file given, else the committed one (the project's own folder only), else the
    default for every table. GuardError when a file is given but unreadable."""
    if path is None and is_project and table_sizes.TABLE_SIZES.is_file():
        path = table_sizes.TABLE_SIZES
    if path is None:
        return Sizes(None, f"no sizes file, {table_sizes.DEFAULT_ROWS:,} rows assumed per table")
    try:
        return Sizes(table_sizes.load(path), f"from {path}")
    except table_sizes.TableSizesError as exc:
        raise GuardError(str(exc)) from None


def lock_budget(given: float | None, pyproject: Path = majors.PYPROJECT) -> float:
    """``--lock-budget``, else ``lock-budget`` under ``[tool.migration-guard]``, else 1 s."""
    if given is not None:
        return given
    try:
        value = majors.settings(pyproject).get("lock-budget", DEFAULT_BUDGET_S)
    except majors.SettingError:  # an unreadable pyproject.toml leaves the default
        return DEFAULT_BUDGET_S
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise GuardError(f"{pyproject}: [tool.migration-guard] lock-budget must be seconds > 0")
    return float(value)


@contextmanager
def _database(server: PostgresServer, prefix: str) -> Iterator[Connection]:
    """A fresh scratch database of ``server`` and one connection to it, dropped on exit."""
    url = server.fresh_database(prefix)
    try:
        with scratch_connection(url) as connection:
            yield connection
    finally:
        server.drop_database(url)
