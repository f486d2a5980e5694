"""downgrade-test: every revision can be rolled back, cleanly, and re-applied.

Asserts on a fresh database: ``upgrade heads`` then ``downgrade base`` succeeds
(``downgrade-fails`` names the revision); afterwards the catalog is exactly as empty as before
(``enum-left-behind``, ``table-left-behind``, ``downgrade-leaves-nothing`` for other kinds, each
naming the object and the revision that created it); upgrading again gives the same schema
(``upgrade-is-repeatable``); and the stairway (``stairway``): for each revision in topological
order, upgrade it, downgrade it, upgrade it again, by revision id, so branch points and merges are
walked too. The incident prevented: a rollback during a failed deploy that itself fails, or that
leaves an enum behind so the fixed release cannot be deployed ("type already exists").

With ``--since`` (``context.since``) the old revisions are applied first, unjudged; the cycle
downgrades the new ones back to the old heads (not base), leftovers are what differs from the
old heads' schema, and the stairway walks the new revisions only.

After dry-run (``all``) the full cycle starts from dry-run's database at head and its snapshots
(a fresh database from template0 is empty the same way each time), saving a second upgrade.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic.script import Script, ScriptDirectory
from sqlalchemy.engine import Connection

from backend.db import schema_contract
from backend.db.guard.checks import NO_HANDOFF, Handoff, HeadDatabase, Outcome
from backend.db.guard.checks.revision_findings import (
    declared_irreversible,
    function_line,
    load_scripts,
    migration_failure,
    upgrade_old_revisions,
)
from backend.db.guard.context import GuardContext
from backend.db.guard.findings import Finding, error
from backend.db.guard.rules import registry
from backend.db.migrator.failure import MigrationFailed, first_line
from backend.db.migrator.scripts import topological_order
from backend.db.migrator.stepper import Stepper
from backend.db.schema_contract import Difference, Snapshot
from backend.db.session import scratch_connection

_AGAIN = "upgrade after its own downgrade"
LEFTOVER_RULES = {"enum": registry.ENUM_LEFT_BEHIND, "table": registry.TABLE_LEFT_BEHIND}
LEFTOVER_FALLBACK_RULE = registry.DOWNGRADE_LEAVES_NOTHING
# How a downgrade() drops each kind of object; the hint of a leftover finding quotes it.
DROP_HINTS = {
    "table": "op.drop_table({name!r})",
    "enum": 'sa.Enum(name={name!r}).drop(op.get_bind(), checkfirst=True) (or "DROP TYPE {name}")',
    "type": 'op.execute("DROP TYPE {name}")',
    "index": "op.drop_index({name!r})",
    "sequence": 'op.execute("DROP SEQUENCE {name}")',
    "function": 'op.execute("DROP FUNCTION {name}")',
    "view": 'op.execute("DROP VIEW {name}")',
    "extension": 'op.execute("DROP EXTENSION IF EXISTS {name}")',
}


def run(context: GuardContext, handoff: Handoff = NO_HANDOFF) -> Outcome:
    """Full cycle (upgrade, downgrade base, upgrade) and the stairway; see the module docstring.

    ``handoff.received`` is dry-run's database at head (a :class:`HeadDatabase`), when it ran
    first in this run: the cycle starts from there.
    """
    scripts = load_scripts(context)
    if isinstance(scripts, Finding):
        return Outcome([scripts])
    if context.since is not None:
        context.notes.append(context.since.describe())
    shared: HeadDatabase | None = handoff.received
    if shared is not None:
        with scratch_connection(shared.url) as connection:
            context.steps.append(("reused dry-run's database at head", 0.0))
            return Outcome(
                _full_cycle_then_stairway(
                    context, scripts, connection, (shared.empty, shared.at_head)
                )
            )
    with _database(context, "downgrade") as connection:
        return Outcome(_full_cycle_then_stairway(context, scripts, connection))


@contextmanager
def _database(context: GuardContext, prefix: str) -> Iterator[Connection]:
    with context.step("wait for PostgreSQL"):
        server = context.server()
    with context.step(f"create database ({prefix})"):
        url = server.fresh_database(prefix)
    with scratch_connection(url) as connection:
        yield connection


def _full_cycle_then_stairway(
    context: GuardContext,
    scripts: ScriptDirectory,
    connection: Connection,
    at_head_already: tuple[Snapshot, Snapshot] | None = None,
) -> list[Finding]:
    """The full cycle on ``connection``: an empty database, or (``at_head_already``: its
    snapshots when empty and at head) one that dry-run upgraded to head."""
    stepper = Stepper(scripts, connection)
    if at_head_already is not None:
        empty, at_head = at_head_already
        revisions = topological_order(scripts)
    else:
        # The revisions judged: all, or with --since the new ones, applied on the old heads.
        revisions = upgrade_old_revisions(context, stepper)
        empty = schema_contract.snapshot(connection)
        with context.step("upgrade to head"):
            try:
                stepper.upgrade("heads")
            except MigrationFailed as failure:
                return [migration_failure(registry.UPGRADE_FAILS, failure)]
        at_head = schema_contract.snapshot(connection)
    with context.step("downgrade to base" if context.since is None else "downgrade the new"):
        try:
            _downgrade_judged(context, stepper, revisions)
        except MigrationFailed as failure:
            return [migration_failure(registry.DOWNGRADE_FAILS, failure)]
    leftovers = _leftovers(schema_contract.snapshot(connection), empty)
    if not leftovers and len(revisions) == 1:
        # One revision: its stairway (up, down, up) is exactly this full cycle's last step.
        context.notes.append("stairway: one revision, walked by the full cycle itself")
        with context.step("upgrade to head again"):
            try:
                stepper.upgrade("heads")
            except MigrationFailed as failure:
                return [_stairway_finding(context, revisions[0], _AGAIN, failure)]
        return _repeatability(context, scripts, at_head, schema_contract.snapshot(connection))
    if not leftovers:
        # The database is back at an empty base: the stairway runs right here, and its last
        # upgrade of every revision is the "upgrade again" of the full cycle.
        with context.step(f"stairway ({len(revisions)} revisions)"):
            findings = _stairway(context, revisions, stepper)
        if not findings:
            findings = _repeatability(
                context, scripts, at_head, schema_contract.snapshot(connection)
            )
        return findings

    with context.step("find the revisions that created the leftovers"):
        findings = _leftover_findings(context, scripts, leftovers, empty)
    with context.step("upgrade to head again"):
        try:
            stepper.upgrade("heads")
            findings += _repeatability(
                context, scripts, at_head, schema_contract.snapshot(connection)
            )
        except MigrationFailed as failure:
            findings.append(migration_failure(registry.UPGRADE_IS_REPEATABLE, failure))
    with _database(context, "stairway") as clean:
        stairway = Stepper(scripts, clean)
        upgrade_old_revisions(context, stairway)
        with context.step("stairway"):
            findings += _stairway(context, revisions, stairway)
    return findings


def _downgrade_judged(context: GuardContext, stepper: Stepper, revisions: list[Script]) -> None:
    """Downgrade to base, or with ``--since`` undo the new revisions only (newest first), so
    the database is back at the old heads."""
    if context.since is None or not context.since.old:
        stepper.downgrade("base")
    else:
        stepper.walk([(script, False) for script in reversed(revisions)])


def _leftovers(after: Snapshot, empty: Snapshot) -> list[Difference]:
    """What the downgrade left, without indexes/constraints of tables that are left anyway."""
    differences = schema_contract.compare(after, empty)
    tables = {d.name for d in differences if d.kind == "table"}

    def owned_by_leftover_table(d: Difference) -> bool:
        if d.kind == "index":
            return after["indexes"][d.name]["table"] in tables
        if d.kind in ("constraint", "column"):
            return d.name.split(".", 1)[0] in tables
        return False

    return [d for d in differences if not owned_by_leftover_table(d)]


def _leftover_findings(
    context: GuardContext, scripts: ScriptDirectory, leftovers: list[Difference], empty: Snapshot
) -> list[Finding]:
    creators = _creators(context, scripts, leftovers, empty)
    findings = []
    for leftover in leftovers:
        script = creators.get((leftover.kind, leftover.name))
        drop = DROP_HINTS.get(leftover.kind, "a matching DROP").format(name=leftover.name)
        if script is None:
            where, path, line = "", context.display_path(scripts.versions), None
        else:
            where = f" (created by revision {script.revision})"
            path = context.display_path(script.path)
            line = function_line(script.path, "downgrade")
        findings.append(
            error(
                LEFTOVER_RULES.get(leftover.kind, LEFTOVER_FALLBACK_RULE),
                path,
                line,
                f"downgrade to base leaves {leftover.kind} {leftover.name} behind{where}; "
                "the next upgrade fails on it or builds on a stale object",
                f"drop it in downgrade(): {drop}",
            )
        )
    return findings


def _creators(
    context: GuardContext, scripts: ScriptDirectory, leftovers: list[Difference], empty: Snapshot
) -> dict[tuple[str, str], Script]:
    """Which revision first creates each leftover: replay the upgrade one revision at a time on
    another fresh database (``empty`` like the first), snapshotting after each. Runs only when
    something was left."""
    wanted = {(d.kind, d.name) for d in leftovers}
    found: dict[tuple[str, str], Script] = {}
    with _database(context, "replay") as connection:
        stepper = Stepper(scripts, connection)
        upgrade_old_revisions(context, stepper)
        for script in stepper.upgrade_plan("heads"):
            try:
                stepper.apply(script, is_upgrade=True)
            except MigrationFailed:
                break
            present = {
                (d.kind, d.name)
                for d in schema_contract.compare(schema_contract.snapshot(connection), empty)
            }
            for key in wanted & present:
                found[key] = script
            wanted -= present
            if not wanted:
                break
    return found


def _stairway(context: GuardContext, revisions: list[Script], stepper: Stepper) -> list[Finding]:
    """Up, down, up for each revision (``revisions`` in topological order); the first break is
    reported.

    A revision declared ``# guard: irreversible <reason>`` is only upgraded: its downgrade keeps
    the rows it changed by design, so upgrading it again would judge data, not the rollback
    (seed rows inserted twice break their key). The full cycle still runs its downgrade().
    """
    phases = (
        (True, "upgrade"),
        (False, "downgrade"),
        (True, _AGAIN),
    )
    irreversible = declared_irreversible(context.revision_sources())
    moves: list[tuple[Script, bool, str]] = []
    for script in revisions:
        walked = phases[:1] if script.revision in irreversible else phases
        moves.extend((script, is_upgrade, phase) for is_upgrade, phase in walked)
    skipped = [script.revision for script in revisions if script.revision in irreversible]
    if skipped:
        context.notes.append(
            "stairway: declared irreversible, upgraded only: " + ", ".join(skipped)
        )
    try:
        stepper.walk([(script, is_upgrade) for script, is_upgrade, _ in moves])
    except MigrationFailed as failure:
        script, _, phase = moves[failure.index]
        return [_stairway_finding(context, script, phase, failure)]
    return []


def _stairway_finding(
    context: GuardContext, script: Script, phase: str, failure: MigrationFailed
) -> Finding:
    if phase == "downgrade":
        hint = "make downgrade() undo exactly what upgrade() does, in reverse order"
    elif phase == "upgrade":
        hint = "the revision fails right after its predecessors; fix the statement Postgres rejects"
    else:
        hint = (
            "downgrade() does not restore the state before upgrade(): it leaves something "
            "behind or drops something the upgrade does not re-create"
        )
    return error(
        registry.STAIRWAY,
        context.display_path(script.path),
        function_line(script.path, "downgrade" if phase == "downgrade" else "upgrade"),
        f"stairway breaks at revision {script.revision}: {phase} fails: "
        f"{first_line(failure.error)}",
        hint,
    )


def _repeatability(
    context: GuardContext, scripts: ScriptDirectory, first: Snapshot, second: Snapshot
) -> list[Finding]:
    return [
        error(
            registry.UPGRADE_IS_REPEATABLE,
            context.display_path(scripts.versions),
            None,
            f"after downgrade base and upgrade head again the schema differs: {difference}",
            "the downgrade leaves state that changes the next upgrade; make downgrade() undo "
            "upgrade() exactly",
        )
        for difference in schema_contract.compare(second, first)
    ]
