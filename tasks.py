"""Invoke tasks: the operator's and developer's menu. Each task wraps one library function.

Run ``invoke --list`` to see them. Exit codes of the deploy tasks: 0 success, 1 migration or
verification failed, 2 environment, pre-flight or connection failed.
"""

from __future__ import annotations

from invoke import Collection, Exit, task

from backend.db.deploy.options import DeployOptions  # a dataclass only: cheap to import

COMPOSE = "docker compose -f infra/docker/docker-compose.yml"

DEPLOY_HELP = {
    "database-url": "default: DATABASE_URL, else DB_HOST/DB_PORT/DB_USER/DB_PASSWORD/DB_NAME",
    "versions": "versions folder (default: the project's)",
    "contract": "schema contract to verify against (default: the project's)",
    "to": "target revision (default: head)",
    "dry-run": "print pending revisions and their SQL; apply nothing",
    "strict": "fail when an applied revision's file changed since it was applied",
    "allow-downgrade": "allow --to below the current revision",
    "json-logs": "one JSON object per line (Cloud Logging)",
    "connect-attempts": "connection attempts (default 5)",
    "connect-timeout": "total seconds for all connection attempts (default 30)",
    "lock-wait": "seconds to wait for another deploy's lock (default 300)",
    "lock-timeout": "PostgreSQL lock_timeout per statement (default 5s)",
    "statement-timeout": "PostgreSQL statement_timeout (default 10min)",
    "lock-retries": "re-runs of a revision that hit lock_timeout (default 0)",
    "lock-retry-delay": "first pause in seconds before such a re-run, doubling (default 2)",
    "debug": "show the traceback of an unexpected error",
    "adopt-baseline": "after a rebaseline: stamp a database at the old head(s) whose schema "
    "equals the contract onto the new baseline",
}
READ_HELP = {k: DEPLOY_HELP[k] for k in ("database-url", "versions", "contract", "json-logs")}
DEFAULTS = DeployOptions()


def _run_deploy(command: str, **options) -> None:
    from backend.db.deploy.runner import run

    code = run(DeployOptions(command=command, **options))
    if code:
        raise Exit(code=code)  # the runner already printed the one-line reason


def _named(body, command: str, doc: str, help: dict, **options):
    body.__doc__ = doc
    body.__name__ = command
    return task(body, name=command, help=help, **options)


def _deploy_task(command: str, doc: str):
    # Typed defaults let invoke turn `--lock-retries 2` into an int.
    def body(
        c,
        database_url=None,
        versions=None,
        contract=None,
        to=None,
        dry_run=False,
        strict=False,
        allow_downgrade=False,
        json_logs=False,
        connect_attempts=DEFAULTS.connect_attempts,
        connect_timeout=DEFAULTS.connect_timeout,
        lock_wait=DEFAULTS.lock_wait,
        lock_timeout=DEFAULTS.lock_timeout,
        statement_timeout=DEFAULTS.statement_timeout,
        lock_retries=DEFAULTS.lock_retries,
        lock_retry_delay=DEFAULTS.lock_retry_delay,
        debug=False,
        adopt_baseline=False,
    ):
        _run_deploy(
            command,
            database_url=database_url,
            versions_dir=versions,
            contract=contract,
            target=to,
            dry_run=dry_run,
            strict=strict,
            allow_downgrade=allow_downgrade,
            json_logs=json_logs,
            debug=debug,
            connect_attempts=connect_attempts,
            connect_timeout=connect_timeout,
            lock_wait=lock_wait,
            lock_timeout=lock_timeout,
            statement_timeout=statement_timeout,
            lock_retries=lock_retries,
            lock_retry_delay=lock_retry_delay,
            adopt_baseline=adopt_baseline,
        )

    return _named(body, command, doc, DEPLOY_HELP, auto_shortflags=False)


def _read_task(command: str, doc: str):
    def body(c, database_url=None, versions=None, contract=None, json_logs=False):
        _run_deploy(
            command,
            database_url=database_url,
            versions_dir=versions,
            contract=contract,
            json_logs=json_logs,
        )

    return _named(body, command, doc, READ_HELP)


deploy = _deploy_task(
    "deploy",
    "Migrate the database to head under a lock, verify it against the contract, audit each step.",
)
migrate = _deploy_task("migrate", "Migrate under the lock like deploy, without the verification.")
verify = _read_task(
    "verify", "Check the database is at head and its schema equals the committed contract."
)
current = _read_task(
    "current",
    "Show the server, pgvector and the database's current revision next to the code's head.",
)
history = _read_task("history", "Show the deploy audit trail (migration_audit), newest first.")


@task(
    help={
        "message": "what the revision changes (-m)",
        "postgres": "auto | url | docker | embedded (default: auto)",
        "database-url": "a server for the scratch database (never a live database)",
    }
)
def revision(c, message, postgres="auto", database_url=None):
    """Autogenerate a revision against a fresh database at head, then lint and security-check it."""
    from backend.db.deploy.errors import DeployError
    from backend.db.deploy.revision import autogenerate

    try:
        path = autogenerate(message, postgres=postgres, database_url=database_url)
    except DeployError as exc:
        raise Exit(f"revision: {exc}", code=exc.exit_code) from None
    print(f"new revision: {path}")
    try:
        from backend.db.guard.cli import main as guard
    except ImportError as exc:
        raise Exit(f"revision written, but the migration guard is unavailable ({exc})", 2) from None
    for check in ("lint", "security"):
        code = guard([check])
        if code:
            raise Exit(f"revision: migration-guard {check} failed on {path}", code=code)


@task(
    help={
        "postgres": "auto | url | docker | embedded (default: auto)",
        "database-url": "a server you run; scratch databases are created and dropped on it",
    }
)
def snapshot(c, postgres="auto", database_url=None):
    """Regenerate backend/db/schema_contract.json from a freshly migrated database."""
    from backend.db.fresh_schema import regenerate_contract
    from backend.db.postgres import ProviderError
    from backend.db.schema_contract import summary

    try:
        snap, server = regenerate_contract(postgres=postgres, database_url=database_url)
    except ProviderError as exc:
        raise Exit(f"snapshot: {exc}", code=2) from None
    print(f"schema contract written from {server}: {summary(snap)}")


@task
def guard(c):
    """Run every migration-guard check (nox -s migration_guard)."""
    c.run("nox -s migration_guard", pty=False)


@task(
    help={
        "quick": "1 round, chains of 0 and 10 revisions (under a minute)",
        "rounds": "rounds of every measure (default 3)",
        "chain": "generated revisions per chain (default 0,100,500)",
        "json": "write the results as JSON to this file",
        "plot": "draw time vs chain length to this PNG",
    }
)
def bench(c, quick=False, rounds=3, chain="0,100,500", json=None, plot=None):
    """Time the guard against the floor and pytest-alembic (nox -s bench)."""
    args = ["--quick"] if quick else ["--rounds", str(rounds), "--chain", chain]
    args += ["--json", json] if json else []
    args += ["--plot", plot] if plot else []
    c.run("nox -s bench -- " + " ".join(args), pty=False)


@task(name="up")
def db_up(c):
    """Start the local PostgreSQL with pgvector (docker compose, infra/docker)."""
    c.run(f"{COMPOSE} up -d --wait")


@task(name="down")
def db_down(c):
    """Stop the local PostgreSQL, keeping its data."""
    c.run(f"{COMPOSE} down")


@task(name="reset")
def db_reset(c):
    """Destroy the local PostgreSQL's data and start it empty."""
    c.run(f"{COMPOSE} down --volumes")
    c.run(f"{COMPOSE} up -d --wait")


@task(
    help={
        "message": "the new baseline's message (default: names the count and the old heads)",
        "rev-id": "the new revision id (default: a fresh random 12-hex id)",
        "dry-run": "check, write and prove in a temporary folder; change no file",
        "postgres": "auto | url | docker | embedded (default: auto)",
        "database-url": "a server you run; scratch databases are created and dropped on it",
    }
)
def rebaseline(c, message=None, rev_id=None, dry_run=False, postgres="auto", database_url=None):
    """Squash the migration history into one proven baseline and archive the old revisions."""
    from backend.db.rebaseline.command import run

    code = run(message, rev_id, dry_run, postgres, database_url)
    if code:
        raise Exit(code=code)  # the report already said why


@task(help={"check": "only report stale files (exit 1 when any), write nothing"})
def erd(c, check=False):
    """Regenerate the Mermaid schema diagrams in docs/schema/ from the models."""
    from backend.db import erd as diagrams

    if check:
        stale = diagrams.stale()
        if stale:
            raise Exit(f"erd: stale in docs/schema/: {', '.join(stale)}; run `invoke erd`", 1)
        print("erd: docs/schema/ is current")
        return
    changed = diagrams.write()
    print(f"erd: {len(changed)} file(s) rewritten in docs/schema/: {', '.join(changed) or 'none'}")


db = Collection("db", db_up, db_down, db_reset)
namespace = Collection(
    deploy, migrate, verify, current, history, revision, snapshot, guard, erd, db, rebaseline, bench
)
