"""Migration: plan the revisions between the database and the target, then apply them one by one.

Each revision runs through Alembic's own API (never the CLI, one ``Stepper`` over the revisions
the pre-flight loaded) in a transaction of its own, with its audit row written inside that same
transaction, so a revision is either wholly applied and
recorded or not there at all. ``lock_timeout`` makes a DDL blocked by live traffic fail in
seconds instead of queueing every other query behind it; such a failure can be retried.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic.script import Script, ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from backend.db.deploy import audit
from backend.db.deploy.connection import describe_error
from backend.db.deploy.errors import (
    MigrationFailed,
    PreflightError,
    RefusedDowngrade,
    UnknownRevision,
)
from backend.db.migrations_config import repo_relative
from backend.db.migrator import offline
from backend.db.migrator.failure import MigrationFailed as RevisionFailed
from backend.db.migrator.stepper import Stepper
from backend.db.urls import mask_text

LOCK_NOT_AVAILABLE = "55P03"  # SQLSTATE of a lock_timeout
QUERY_CANCELED = "57014"  # SQLSTATE of a statement_timeout (or a cancel)


@dataclass
class Plan:
    """What the run would do: ``steps`` in the order they are applied."""

    direction: str  # "upgrade", "downgrade" or "none"
    current: str | None
    target: str | None  # None: base
    steps: list[Script] = field(default_factory=list)


@dataclass(frozen=True)
class Applied:
    revision: str
    duration_s: float
    attempts: int


def label(script: Script) -> str:
    """``rev  message`` for the operator."""
    return f"{script.revision}  {(script.doc or '').strip().splitlines()[0] if script.doc else ''}"


def known(scripts: ScriptDirectory, revision: str) -> Script | None:
    try:
        return scripts.get_revision(revision)
    except CommandError:
        return None


def plan(
    scripts: ScriptDirectory,
    current_heads: tuple[str, ...],
    target: str | None,
    head: str,
    allow_downgrade: bool,
) -> Plan:
    """The revisions to apply to go from ``current_heads`` to ``target`` (default: ``head``).

    Refuses a database at a revision the code does not know (exit 2): the code is older than
    the database, or on another branch, and upgrading or downgrading it would guess.
    """
    if len(current_heads) > 1:
        raise UnknownRevision(
            f"the database has several current revisions ({', '.join(current_heads)}); "
            "resolve them by hand before deploying"
        )
    current = current_heads[0] if current_heads else None
    if current is not None and known(scripts, current) is None:
        raise UnknownRevision(
            f"the database is at revision {current}, which this code does not know "
            "(the database is ahead of the code or on another branch); deploy the code that "
            "contains it"
        )
    goal = _resolve_target(scripts, target, head)
    if goal == current:
        return Plan("none", current, goal)
    if goal is not None and (current is None or current in lineage(scripts, goal)):
        steps = list(reversed(list(scripts.iterate_revisions(goal, current or "base"))))
        return Plan("upgrade", current, goal, steps)
    if current is not None and (goal is None or goal in lineage(scripts, current)):
        if not allow_downgrade:
            raise RefusedDowngrade(
                f"--to {target} is below the database's revision {current}; a downgrade needs "
                "--allow-downgrade --to REV"
            )
        steps = list(scripts.iterate_revisions(current, goal or "base"))
        return Plan("downgrade", current, goal, steps)
    raise PreflightError(f"--to {target} is on another branch than the database's {current}")


def lineage(scripts: ScriptDirectory, revision: str) -> set[str]:
    """``revision`` and all its ancestors."""
    return {script.revision for script in scripts.iterate_revisions(revision, "base")}


def _resolve_target(scripts: ScriptDirectory, target: str | None, head: str) -> str | None:
    if target in (None, "head", "heads"):
        return head
    if target == "base":
        return None
    script = known(scripts, target)
    if script is None:
        raise PreflightError(f"--to {target}: no such revision in the versions folder")
    return script.revision


def configure_session(connection: Connection, lock_timeout: str, statement_timeout: str) -> None:
    """Session settings of the migration connection, committed so they outlive every revision.

    ``client_connection_check_interval`` (PostgreSQL 14+) makes the server notice a killed
    deploy during a long statement and roll it back, instead of holding its locks until the
    statement ends.
    """
    settings = {"lock_timeout": lock_timeout, "statement_timeout": statement_timeout}
    version = int(connection.execute(sa.text("SHOW server_version_num")).scalar_one())
    if version >= 140000:
        settings["client_connection_check_interval"] = "1s"
    for name, value in settings.items():
        try:
            connection.execute(
                sa.text("SELECT set_config(:name, :value, false)"), {"name": name, "value": value}
            )
        except DBAPIError as exc:
            connection.rollback()
            raise PreflightError(f"invalid {name} {value!r}: {describe_error(exc)}") from None
    connection.commit()


def offline_sql(scripts: ScriptDirectory, url: URL, migration: Plan) -> str:
    """The SQL Alembic would run for ``migration`` (the kernel's offline mode; nothing runs)."""
    if migration.direction == "none":
        return ""
    return offline.offline_sql(
        scripts,
        migration.target or "base",
        migration.current,
        downgrade=migration.direction == "downgrade",
        url=url,
    )


def apply(
    connection: Connection,
    audit_connection: Connection,
    scripts: ScriptDirectory,
    migration: Plan,
    deployer: audit.Deployer,
    lock_retries: int,
    retry_delay_s: float,
    on_applied: Callable[[Applied], None] = lambda applied: None,
    on_retry: Callable[[str, int, float, str], None] = lambda rev, attempt, pause, error: None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Applied]:
    """Apply ``migration.steps`` one revision (one transaction) at a time.

    A revision that fails on ``lock_timeout`` is retried up to ``lock_retries`` times with
    doubling pauses; any other failure stops the run with :class:`MigrationFailed` naming the
    revision, the file:line of the op that failed and the database error with its DETAIL, after
    recording a ``failed`` audit row. The revisions
    before it stay applied.
    """
    upgrade = migration.direction == "upgrade"
    action = "applied" if upgrade else "rolled_back"
    started = _now()  # of the current attempt; the audit hook reads it

    def record(ctx, step, heads, run_args) -> None:  # Alembic's on_version_apply signature
        revision = step.up_revision_id  # the revision applied or rolled back
        script = scripts.get_revision(revision)
        audit.record(ctx.connection, revision, _checksum(script), action, started, _now(), deployer)

    stepper = Stepper(scripts, connection, on_version_apply=[record])
    done: list[Applied] = []
    for step in migration.steps:
        attempt = 0
        while True:
            attempt += 1
            started = _now()
            clock = time.perf_counter()
            try:
                stepper.apply(step, upgrade)
                break
            except RevisionFailed as failure:
                # The stepper rolled the revision back; the driver's error says why, and where.
                exc, location = failure.error, failure.location
            except Exception as failure:  # noqa: BLE001 - env.py and the audit may raise anything
                exc, location = failure, None
            error = describe_error(exc, connection.engine.url)
            if _sqlstate(exc) == LOCK_NOT_AVAILABLE and attempt <= lock_retries:
                pause = retry_delay_s * 2 ** (attempt - 1)
                on_retry(step.revision, attempt, pause, error)
                sleep(pause)
                continue
            if location is not None:
                # The op's file:line and PostgreSQL's DETAIL (it often names the rows at fault).
                where = location.where(repo_relative(location.path))
                error = f"{where}: {mask_text(location.error, connection.engine.url)}"
            _record_failure(audit_connection, step, started, deployer, error)
            raise MigrationFailed(
                _failure_message(step, migration, exc, error, attempt), revision=step.revision
            ) from None
        applied = Applied(step.revision, time.perf_counter() - clock, attempt)
        done.append(applied)
        on_applied(applied)
    return done


def _failure_message(
    step: Script, migration: Plan, exc: BaseException, error: str, attempt: int
) -> str:
    previous = step.down_revision if migration.direction == "upgrade" else step.revision
    kind = (
        "lock_timeout"
        if _sqlstate(exc) == LOCK_NOT_AVAILABLE
        else ("statement_timeout" if _sqlstate(exc) == QUERY_CANCELED else None)
    )
    reason = f"{kind} after {attempt} attempt(s): {error}" if kind else error
    return (
        f"revision {step.revision} failed and was rolled back ({reason}); "
        f"the database stays at {previous or 'base'}"
    )


def _record_failure(
    connection: Connection, step: Script, started: datetime, deployer: audit.Deployer, error: str
) -> None:
    try:
        audit.record(
            connection, step.revision, _checksum(step), "failed", started, _now(), deployer, error
        )
    except SQLAlchemyError:
        pass  # the audit must never hide the migration's own error


def _checksum(script: Script) -> str | None:
    return audit.file_checksum(script.path) if script.path else None


def _sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", None)
    return getattr(orig, "pgcode", None)


def _now() -> datetime:
    return datetime.now(timezone.utc)
