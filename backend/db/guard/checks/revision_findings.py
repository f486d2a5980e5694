"""Findings about one revision file, shared by the database checks: it does not load, or it fails."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from backend.db.guard.errors import GuardError
from backend.db.guard.findings import Finding, error
from backend.db.guard.revision_source import RevisionSource, parse_revision
from backend.db.migrations_config import repo_relative
from backend.db.migrator.failure import MigrationFailed, first_line, locate_in_folder
from backend.db.migrator.scripts import topological_order
from backend.db.migrator.stepper import Stepper

if TYPE_CHECKING:
    from alembic.script import Script, ScriptDirectory

    from backend.db.guard.context import GuardContext


def load_scripts(context: GuardContext) -> ScriptDirectory | Finding:
    """The run's ScriptDirectory with every revision file loaded (a timed step), or the
    ``revision-loads`` finding that says why a file does not load."""
    with context.step("load revisions"):
        try:
            scripts = context.scripts()
            scripts.get_heads()  # loads every revision file
        except Exception as exc:  # noqa: BLE001 - a revision file that does not load is a finding
            return load_failure(context.versions_dir, exc)
    return scripts


def upgrade_old_revisions(context: GuardContext, stepper: Stepper) -> list[Script]:
    """With ``--since``: apply the old revisions (the base the new ones build on), unjudged,
    in topological order, and return the new ones in that order (all of them without
    ``--since``). An old revision that fails is not this change's finding: the guard cannot
    build the base, so it cannot run (GuardError, exit 2)."""
    revisions = topological_order(stepper.scripts)
    since = context.since
    if since is None or not since.old:
        return revisions
    old = [script for script in revisions if script.revision in since.old]
    with context.step(f"upgrade the old revisions ({len(old)}, not judged)"):
        try:
            stepper.walk([(script, True) for script in old])
        except MigrationFailed as failure:
            raise GuardError(
                f"--since {since.ref}: old revision {failure.location.revision} does not upgrade "
                f"({first_line(failure.error)}); the new revisions have no base to run on"
            ) from None
    return [script for script in revisions if script.revision not in since.old]


def load_failure(versions_dir: Path, exc: BaseException) -> Finding:
    """``revision-loads``: a revision file Alembic cannot import (syntax error, bad import)."""
    path, line = locate_in_folder(exc, versions_dir)
    return error(
        "revision-loads",
        repo_relative(path or versions_dir),
        line,
        f"a revision file cannot be loaded ({first_line(exc)}); no migration can run",
        "fix the file so that `python -c 'import ast; ast.parse(open(FILE).read())'` and "
        "`alembic history` succeed",
    )


def migration_failure(rule: str, failure: MigrationFailed) -> Finding:
    """A revision whose upgrade() or downgrade() raised, pointing at the ``op.*`` call whose
    statement failed (at the function when no line of it ran) and quoting PostgreSQL's DETAIL."""
    location = failure.location
    direction = location.direction
    return error(
        rule,
        repo_relative(location.path),
        location.line or function_line(location.path, direction),
        f"{direction}() of revision {location.revision} fails: {location.error}",
        f"run `alembic {direction}` of this revision against a scratch database and fix the "
        "statement Postgres rejects",
    )


def function_line(path: str | Path, name: str) -> int | None:
    """The line of ``def name`` at the top level of a Python file, if it parses."""
    try:
        function = parse_revision(Path(path)).function(name)
    except (OSError, ValueError):  # unreadable, or a null byte ast refuses
        return None
    return function.lineno if function is not None else None


def declared_irreversible(sources: list[RevisionSource]) -> frozenset[str]:
    """Revisions whose downgrade() carries ``# guard: irreversible <reason>`` (a bare marker is
    lint's error and counts for nothing here)."""
    found = set()
    for source in sources:
        marker = source.irreversible_marker()
        if marker is not None and marker[1] and source.revision is not None:
            found.add(source.revision)
    return frozenset(found)
