"""data-test: every revision upgrades, rolls back and upgrades again on a database full of rows.

The other database checks prove a migration on empty tables; production breaks on rows: a NOT
NULL column added without a default (``column ... contains null values``), a unique index over
values that repeat, a ``USING`` cast that meets ``36OO02``, an enum label removed while rows use
it, a downgrade that re-adds NOT NULL after rows with NULL arrived. On one fresh database, walked
once in topological order, each revision is upgraded with rows in every table
(``data-upgrade-fails``, naming the rows that broke it), must keep the rows of the tables it
keeps (``data-rows-lost``, or ``data-rows-lost-allowed`` under ``# guard: allow-destructive``),
gets rows of its new schema, then is downgraded (``data-downgrade-fails``) and upgraded again
(``data-reupgrade-fails``) with them in place. A team's own rows (``rehearsal/<revision>.sql``
beside the versions folder) run after their revision (``data-rehearsal-sql-fails``); what the
generator cannot fill is a warning (``data-generator-incomplete``).
"""

from __future__ import annotations

from backend.db.guard.checks import NO_HANDOFF, Handoff, Outcome
from backend.db.guard.checks.data_rehearsal.walk import Rehearsal, RehearsalOptions, rehearse
from backend.db.guard.checks.revision_findings import declared_irreversible, load_scripts
from backend.db.guard.context import GuardContext
from backend.db.guard.findings import Finding
from backend.db.guard.revision_source import RevisionSource
from backend.db.guard.rules.security import ALLOW_DESTRUCTIVE
from backend.db.session import scratch_connection

REHEARSAL_FOLDER = "rehearsal"  # beside the versions folder: <versions>/../rehearsal/<rev>.sql


def run(context: GuardContext, handoff: Handoff = NO_HANDOFF) -> Outcome:
    """Rehearse every revision on rows; see the module docstring."""
    scripts = load_scripts(context)
    if isinstance(scripts, Finding):
        return Outcome([scripts])
    sources = context.revision_sources()
    options = RehearsalOptions(
        rows=context.data_rows,
        old=context.since.old if context.since else frozenset(),
        rehearsal_dir=context.versions_dir.parent / REHEARSAL_FOLDER,
        irreversible=declared_irreversible(sources),
        allowed_destructive=allowed_destructive(sources),
    )
    with context.step("wait for PostgreSQL"):
        server = context.server()
    with context.step("create database (data)"):
        url = server.fresh_database("data")
    with scratch_connection(url) as connection:
        result = rehearse(scripts, connection, options, context.display_path)
    _report(context, result)
    return Outcome(result.findings)


def allowed_destructive(sources: list[RevisionSource]) -> dict[str, str]:
    """Revision -> the reason of the first ``# guard: allow-destructive <reason>`` in its
    upgrade() (a bare marker is security's error and allows nothing)."""
    found = {}
    for source in sources:
        upgrade = source.function("upgrade")
        if upgrade is None or source.revision is None:
            continue
        marker = source.find_marker(ALLOW_DESTRUCTIVE, upgrade.lineno, upgrade.end_lineno or 0)
        if marker is not None and marker[1]:
            found[source.revision] = marker[1]
    return found


def _report(context: GuardContext, result: Rehearsal) -> None:
    """Phase times as steps; rows and revisions as notes."""
    for phase, seconds in result.seconds.items():
        context.steps.append((phase, seconds))
    peak = result.peak_rows
    if peak:
        context.notes.append(
            f"rows: {result.rows_inserted} inserted in {result.fills} fill(s); at most "
            f"{sum(peak.values())} rows in {len(peak)} tables "
            f"({min(peak.values())}-{max(peak.values())} per table)"
        )
    context.notes.append(f"revisions rehearsed on rows: {result.rehearsed} of {result.planned}")
    context.notes.extend(result.notes)
