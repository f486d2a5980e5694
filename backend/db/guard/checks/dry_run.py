"""dry-run: the chain upgrades a fresh PostgreSQL (with pgvector) to head, and the result is right.

Asserts, in order: every revision file loads (``revision-loads``); ``upgrade heads`` succeeds on
an empty database (``upgrade-fails`` names the revision and Postgres' error, the incident being a
deploy that stops half-way); the database ends at the head(s) (``upgrade-reaches-head``); the live
schema equals the committed contract (``schema-matches-contract``); the models and the migrated
schema agree (``no-model-drift``: a column in a model that no migration creates is a 500 in
production on first use); and offline ``--sql`` generation works for the whole chain
(``offline-sql-generates``), which DBAs use to review a release.

With ``--since`` the old revisions are applied first, unjudged (see ``since``); the upgrade
findings then concern the new ones, while the contract and the models are compared as always.

When downgrade-test runs after it (``all``), the database is left at head for it, with its
snapshots when empty and at head: the full cycle starts from there instead of migrating a second
database the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.script import ScriptDirectory

from backend.db import schema_contract
from backend.db.guard.checks import NO_HANDOFF, Handoff, HeadDatabase, Outcome
from backend.db.guard.checks.model_drift import (
    describe_diff,
    diff_subject,
    enum_differences,
    enum_location,
    model_enums,
    model_location,
)
from backend.db.guard.checks.revision_findings import (
    load_scripts,
    migration_failure,
    upgrade_old_revisions,
)
from backend.db.guard.context import GuardContext
from backend.db.guard.findings import Finding, error
from backend.db.migrator.failure import MigrationFailed, first_line
from backend.db.migrator.stepper import Stepper
from backend.db.postgres import majors
from backend.db.session import scratch_connection

SLOWEST_SHOWN = 3


def run(context: GuardContext, handoff: Handoff = NO_HANDOFF) -> Outcome:
    """Upgrade a fresh database to head and check where it ends up; see the module docstring.

    With ``handoff.wanted`` (downgrade-test runs after it), the database is left at head and
    handed on as a :class:`HeadDatabase`.
    """
    scripts = load_scripts(context)
    if isinstance(scripts, Finding):
        return Outcome([scripts])
    heads = scripts.get_heads()
    if context.since is not None:
        context.notes.append(context.since.describe())
    if len(heads) > 1:
        context.notes.append(f"{len(heads)} heads: upgraded to all of them (heads)")

    with context.step("wait for PostgreSQL"):
        server = context.server()
    _note_production_major(context, majors.major_of(server.version))
    with context.step("create database"):
        url = server.fresh_database("dryrun")
    with scratch_connection(url) as connection:
        findings, head = _check_database(context, scripts, connection, heads, url, handoff.wanted)
    with context.step("generate offline SQL"):
        findings += _check_offline_sql(context)
    return Outcome(findings, head)


def _check_database(
    context, scripts: ScriptDirectory, connection, heads, url: sa.URL, leave_at_head: bool
) -> tuple[list[Finding], HeadDatabase | None]:
    stepper = Stepper(scripts, connection)
    # With --since the database is not empty before the judged upgrade: not downgrade-test's.
    share = leave_at_head and not (context.since and context.since.old)
    empty = schema_contract.snapshot(connection) if share else None
    judged = upgrade_old_revisions(context, stepper)
    with context.step(f"upgrade to head ({len(judged)} revisions)"):
        try:
            applied = stepper.upgrade("heads")
        except MigrationFailed as failure:
            return [migration_failure("upgrade-fails", failure)], None
    slowest = sorted(applied, key=lambda step: step.duration_s, reverse=True)[:SLOWEST_SHOWN]
    if slowest:
        context.notes.append(
            "slowest revisions: "
            + ", ".join(f"{step.revision} {step.duration_s:.3f} s" for step in slowest)
        )

    findings = _check_reaches_head(context, scripts, stepper, heads)
    head = None
    reached_head = not findings
    snapshots: list[schema_contract.Snapshot] = []

    def at_head() -> schema_contract.Snapshot:
        """The migrated schema, read once for the contract, the hand-off and the enum drift
        (nothing below changes the database)."""
        if not snapshots:
            snapshots.append(schema_contract.snapshot(connection))
        return snapshots[0]

    if context.contract_path is None:
        context.notes.append("schema contract: skipped (foreign versions folder; see --contract)")
    else:
        with context.step("compare with the schema contract"):
            findings += _check_contract(context, at_head())
    if empty is not None and reached_head:
        # At head, and the models comparison below only reads: downgrade-test starts here.
        head = HeadDatabase(url, at_head(), empty)
    if not context.compare_models:
        context.notes.append("model drift: skipped (foreign versions folder; see --compare-models)")
    else:
        with context.step("compare with the models"):
            findings += _check_model_drift(context, stepper, at_head)
    return findings, head


def _check_reaches_head(context, scripts, stepper: Stepper, heads) -> list[Finding]:
    current = stepper.heads()
    if set(current) == set(heads):
        return []
    path = context.display_path(scripts.versions)
    return [
        error(
            "upgrade-reaches-head",
            path,
            None,
            f"after `upgrade heads` the database is at {', '.join(current) or 'base'}, "
            f"not at the head {', '.join(heads)}; a deploy would stop short of the code",
            "check down_revision links and branch labels with `alembic history`",
        )
    ]


def _check_contract(context: GuardContext, live: schema_contract.Snapshot) -> list[Finding]:
    path = context.display_path(context.contract_path)
    if not context.contract_path.is_file():
        return [
            error(
                "schema-matches-contract",
                path,
                None,
                "the schema contract file is missing, so schema changes go unreviewed",
                "generate it from a migrated database (fresh_schema.regenerate_contract) and "
                "commit it",
            )
        ]
    expected = context.contract()  # GuardError naming the file and position if not JSON
    note = schema_contract.major_note(live, expected)
    if note:
        context.notes.append(note)
    return [
        replace(
            error(
                "schema-matches-contract",
                path,
                None,
                f"the migrated schema differs from the contract: {difference}",
                "if the change is intended, regenerate the contract and commit it with the "
                "migration; otherwise fix the migration",
            ),
            group=difference.group,
        )
        for difference in schema_contract.compare(live, expected)
    ]


def _note_production_major(context: GuardContext, tested: int) -> None:
    """Say when the server is another major than production's (the guard may pass wrongly)."""
    try:
        note = majors.tested_on_note(tested, majors.production_major())
    except majors.SettingError as exc:
        note = f"production major unknown: {exc}"
    if note:
        context.notes.append(note)


def _check_model_drift(
    context: GuardContext, stepper: Stepper, at_head: Callable[[], schema_contract.Snapshot]
) -> list[Finding]:
    metadata = stepper.options.get("target_metadata")
    if metadata is None:
        context.notes.append("model drift: skipped (env.py sets no target_metadata)")
        return []
    path = context.display_path(context.versions_dir)
    # It only reads; the transaction it leaves open ends with the connection (a Stepper run
    # would end it first too).
    try:
        diffs = compare_metadata(stepper.migration_context, metadata)
    except Exception as exc:  # noqa: BLE001 - a comparison that crashes is reported, not raised
        return [
            error(
                "no-model-drift",
                path,
                None,
                f"the models could not be compared with the migrated schema: {first_line(exc)}",
                "run `alembic revision --autogenerate` locally to see the failure",
            )
        ]
    findings = []
    for diff in diffs:
        where = model_location(metadata, *diff_subject(diff))
        findings.append(
            error(
                "no-model-drift",
                context.display_path(where[0]) if where else path,
                where[1] if where else None,
                describe_diff(diff),
                "write a migration for it (`alembic revision --autogenerate -m ...`, then "
                "review it), or change the model back",
            )
        )
    # Autogenerate compares no enum labels: read them from the catalog (pg_enum, in order).
    live = at_head()["enums"]
    for drift in enum_differences(live, model_enums(metadata)):
        where = enum_location(metadata, drift.enum)
        findings.append(
            error(
                "no-model-drift",
                context.display_path(where[0]) if where else path,
                where[1] if where else None,
                drift.message,
                drift.hint,
            )
        )
    return findings


def _check_offline_sql(context: GuardContext) -> list[Finding]:
    offline = context.offline_sql()
    if offline.failure is not None:
        return [offline.failure]
    context.notes.append(f"offline SQL: {len(offline.sql.splitlines())} lines")
    return []
