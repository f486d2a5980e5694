"""One deploy run, step by step, and the mapping of every failure to an exit code.

pre-flight -> connect -> lock -> plan -> (dry-run | migrate) -> verify -> report. The runner
is the only place that knows the order; each step is a plain function in its own module.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Mapping
from typing import IO

from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from backend.db.deploy import audit, connection, lock, migrate, preflight
from backend.db.deploy.adopt import adopt_baseline
from backend.db.deploy.errors import (
    EXIT_FAILED,
    EXIT_OK,
    ChecksumMismatch,
    ConnectionFailed,
    DeployError,
)
from backend.db.deploy.options import DeployOptions
from backend.db.deploy.report import Reporter
from backend.db.deploy.verify import verify
from backend.db.migrations_config import repo_relative
from backend.db.urls import render_url


def run(
    options: DeployOptions,
    env: Mapping[str, str] | None = None,
    file: IO[str] | None = None,
) -> int:
    """Run ``options.command``; print progress and the outcome; return the exit code.

    Never raises for a deploy failure: every :class:`DeployError` becomes one line and its exit
    code, and any other exception (a bug, a lost connection) a masked line and exit 1.
    """
    env = os.environ if env is None else env
    reporter = Reporter(json_logs=options.json_logs, file=file)
    reporter.hide(options.database_url)
    reporter.hide(env.get("DATABASE_URL"))
    reporter.hide(env.get("DB_PASSWORD"))
    started = time.perf_counter()
    try:
        outcome = _run(options, env, reporter)
    except DeployError as exc:
        reporter.error("failed", str(exc), revision=exc.revision)
        reporter.details("failed", exc.differences, severity="ERROR", groups=exc.groups)
        return exc.exit_code
    except Exception as exc:  # noqa: BLE001 - the operator gets one masked line, not a traceback
        if options.debug:
            reporter.text(traceback.format_exc())
        reporter.error(
            "failed", f"unexpected {type(exc).__name__}: {connection.describe_error(exc)}"
        )
        return EXIT_FAILED
    reporter.info("done", f"{outcome} ({time.perf_counter() - started:.1f} s)")
    return EXIT_OK


def _run(options: DeployOptions, env: Mapping[str, str], reporter: Reporter) -> str:
    checked = preflight.check(options.database_url, env, options.versions_dir, options.contract)
    reporter.hide(checked.url)
    contract = (
        repo_relative(checked.contract)
        if checked.contract
        else "skipped (foreign versions folder; pass --contract FILE)"
    )
    reporter.info(
        "pre-flight",
        f"{repo_relative(checked.versions_dir)}: head {checked.head}; contract {contract}",
    )
    engine = connection.make_engine(
        checked.url, options.connect_timeout / max(options.connect_attempts, 1)
    )
    try:
        session, attempt = connection.connect(
            engine,
            options.connect_attempts,
            options.connect_timeout,
            on_retry=lambda n, error, pause: reporter.warning(
                "connect",
                f"attempt {n}/{options.connect_attempts} failed: {error}; retrying in {pause:.1f} s",
            ),
        )
        with session:
            session.execution_options(isolation_level="AUTOCOMMIT")
            return _connected(options, env, reporter, checked, engine, session, attempt)
    finally:
        engine.dispose()


def _connected(options, env, reporter, checked, engine, session: Connection, attempt: int) -> str:
    info = connection.server_info(session)
    vector = (
        f"pgvector {info.pgvector_available} available"
        + (f", {info.pgvector_installed} installed" if info.pgvector_installed else "")
        if info.pgvector_available
        else "pgvector NOT available"
    )
    reporter.info(
        "connect",
        f"PostgreSQL {info.version} at {render_url(checked.url)} "
        f"(attempt {attempt}); {vector}; current revision {', '.join(info.current_heads) or 'base'}",
    )
    same, major = preflight.major_report(info.major, checked.production_major)
    (reporter.info if same else reporter.warning)("postgres", major)
    if options.command == "history":
        rows = audit.history(session)
        reporter.table(
            "migration_audit (newest first)",
            (
                "id",
                "revision",
                "action",
                "started_at",
                "ms",
                "by",
                "host",
                "build",
                "sha256",
                "error",
            ),
            [tuple(r) for r in rows],
        )
        return f"{len(rows)} audit row(s)"
    if options.command == "current":
        return f"database at {', '.join(info.current_heads) or 'base'}, code head {checked.head}"
    if options.command == "verify":
        return _verify(session, checked.head, checked, reporter)

    # Before the lock and any revision: a missing or too old extension fails half-way otherwise.
    for line in preflight.check_extensions(checked.extensions, info.extensions):
        reporter.info("extension", line)
    waited = lock.acquire(
        session,
        options.lock_wait,
        on_wait=lambda: reporter.warning(
            "lock",
            f"another deploy is migrating ({lock.holder(session)}); waiting up to {options.lock_wait:g} s",
        ),
    )
    try:
        reporter.info("lock", f"migration lock {lock.LOCK_NAME} taken (waited {waited:.1f} s)")
        return _locked(options, env, reporter, checked, engine, session)
    finally:
        try:
            lock.release(session)
        except SQLAlchemyError:
            pass  # closing the session releases it anyway


def _locked(options, env, reporter, checked, engine, session: Connection) -> str:
    if options.adopt_baseline:
        adopted = adopt_baseline(
            engine, checked.scripts, checked.contract, audit.Deployer.from_env(env), options.dry_run
        )
        reporter.info("adopt", str(adopted), revision=adopted.baseline)
        if adopted.dry_run:
            return f"dry run: would adopt baseline {adopted.baseline}; nothing applied"
    # Read again under the lock: a deploy that waited finds the other's work done.
    current = connection.current_heads(session)
    migration = migrate.plan(
        checked.scripts, current, options.target, checked.head, options.allow_downgrade
    )
    _check_checksums(session, checked, options.strict, reporter)
    if migration.direction == "none":
        reporter.info("migrate", f"nothing to do: the database is at {migration.target or 'base'}")
    else:
        verb = "apply" if migration.direction == "upgrade" else "roll back"
        reporter.notice(
            "pending",
            f"{len(migration.steps)} revision(s) to {verb}, {migration.current or 'base'} -> {migration.target or 'base'}:",
        )
        reporter.details("pending", [migrate.label(s) for s in migration.steps])
    if options.dry_run:
        if migration.steps:
            reporter.text(migrate.offline_sql(checked.scripts, checked.url, migration))
        return f"dry run: {len(migration.steps)} revision(s) pending, nothing applied"
    if migration.steps:
        _migrate(options, env, reporter, checked, engine, session, migration)
    if options.command == "migrate":
        return f"database at {migration.target or 'base'}"
    return _verify(session, migration.target, checked, reporter, applied=len(migration.steps))


def _migrate(options, env, reporter, checked, engine, session, migration) -> None:
    audit.ensure_table(session)
    try:
        worker = engine.connect()
    except SQLAlchemyError as exc:
        raise ConnectionFailed(
            f"cannot open the migration connection: {connection.describe_error(exc, checked.url)}"
        ) from None
    with worker:
        migrate.configure_session(worker, options.lock_timeout, options.statement_timeout)
        migrate.apply(
            worker,
            session,
            checked.scripts,
            migration,
            audit.Deployer.from_env(env),
            options.lock_retries,
            options.lock_retry_delay,
            on_applied=lambda done: reporter.info(
                "applied" if migration.direction == "upgrade" else "rolled back",
                f"{done.revision} in {done.duration_s:.2f} s"
                + (f" (attempt {done.attempts})" if done.attempts > 1 else ""),
                revision=done.revision,
                duration_s=done.duration_s,
            ),
            on_retry=lambda rev, n, pause, error: reporter.warning(
                "retry",
                f"{rev} hit lock_timeout (attempt {n}/{options.lock_retries + 1}): {error}; retrying in {pause:.1f} s",
                revision=rev,
            ),
        )


def _verify(session, target, checked, reporter, applied: int | None = None) -> str:
    result = verify(session, target, checked.contract, checked.head)
    schema = (
        f"schema matches the contract ({result.schema})"
        if result.schema
        else "schema contract not compared"
    )
    reporter.info("verify", f"at {result.revision or 'base'}; {schema}")
    if result.note:
        reporter.notice("verify", result.note)
    prefix = (
        f"{applied} revision(s) applied; "
        if applied
        else ("nothing to do; " if applied == 0 else "")
    )
    return f"{prefix}database verified at {result.revision or 'base'}"


def _check_checksums(session, checked, strict: bool, reporter: Reporter) -> None:
    changed = audit.changed_revisions(session, checked.scripts)
    if not changed:
        return
    lines = [
        f"{c.revision}: applied {c.applied_at:%Y-%m-%d %H:%M} with sha256 {c.applied_checksum[:12]}, file now {c.current_checksum[:12]}"
        for c in changed
    ]
    message = (
        f"{len(changed)} applied revision file(s) changed since they were applied; "
        "the change never ran on this database (write a new revision instead)"
    )
    if strict:
        raise ChecksumMismatch(message + ": " + "; ".join(lines))
    reporter.warning("checksum", message)
    reporter.details("checksum", lines, severity="WARNING")
