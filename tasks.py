"""Invoke tasks: the operator's and developer's menu. Each task wraps one library function.

Run ``invoke --list`` to see them. Exit codes of the deploy tasks: 0 success, 1 migration or
verification failed, 2 environment, pre-flight or connection failed.
"""

from __future__ import annotations

import inspect

from invoke import Collection, Exit, task

# These two need only the standard library. Every other import of a task's library is inside
# the task: the menu (`invoke --list`) loads in 0.1 s, a library costs up to a second
# (SQLAlchemy, Alembic), and the guard's tasks need the `.[guard]` extra, which the deploy's
# install (Cloud Build's `pip install .`) leaves out.
from backend.db import extras
from backend.db.deploy.options import OPTIONS, READ_OPTIONS, DeployOptions, Option

COMPOSE = "docker compose -f infra/docker/docker-compose.yml"


def _require_guard(command: str, scratch_url: str | None = None) -> None:
    """Stop ``command`` with one line when the ``guard`` extra it needs is not installed (a
    server of your own, ``scratch_url``, spares the extra's Docker or embedded PostgreSQL)."""
    absent = [] if scratch_url else extras.missing("guard")
    if absent:
        raise Exit(f"{command}: {extras.GUARD_INSTALL} (missing {', '.join(absent)})", code=2)


def _deploy_command(command: str, doc: str, options: tuple[Option, ...], **settings):
    """A task running the deploy's ``command`` with ``options`` as its flags (typed defaults
    let invoke turn ``--lock-retries 2`` into an int)."""

    def body(c, **values):
        from backend.db.deploy.runner import run

        parsed = {o.field: o.parse(values[o.keyword]) for o in options if o.keyword in values}
        code = run(DeployOptions(command=command, **parsed))
        if code:
            raise Exit(code=code)  # the runner already printed the one-line reason

    body.__signature__ = inspect.Signature(
        [inspect.Parameter("c", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [
            inspect.Parameter(o.keyword, inspect.Parameter.KEYWORD_ONLY, default=o.default)
            for o in options
        ]
    )
    body.__doc__, body.__name__ = doc, command
    return task(body, name=command, help={o.flag: o.help for o in options}, **settings)


def _deploy_task(command: str, doc: str):
    return _deploy_command(command, doc, OPTIONS, auto_shortflags=False)


def _read_task(command: str, doc: str):
    return _deploy_command(command, doc, READ_OPTIONS)


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
    _require_guard("revision")
    from backend.db.deploy.errors import DeployError
    from backend.db.deploy.revision import autogenerate

    try:
        path = autogenerate(message, postgres=postgres, database_url=database_url)
    except DeployError as exc:
        raise Exit(f"revision: {exc}", code=exc.exit_code) from None
    print(f"new revision: {path}")
    from backend.db.guard.cli import main as guard

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
    _require_guard("snapshot", database_url)
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
    _require_guard("rebaseline")
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


@task(
    help={
        "database_url": "the database to read (default: DATABASE_URL); only row estimates are read",
        "output": "where to write (default: backend/db/table_sizes.json)",
    }
)
def table_sizes(c, database_url=None, output=None):
    """Write each table's production row count (estimates) for migration-guard lock-test."""
    from pathlib import Path

    from backend.db import table_sizes as sizes

    path = Path(output) if output else sizes.TABLE_SIZES
    try:
        found = sizes.from_database(database_url)
    except (sizes.TableSizesError, RuntimeError) as exc:
        raise Exit(f"table-sizes: {exc}", code=2) from None
    sizes.write(path, found)
    print(f"{len(found)} tables, {sum(found.values()):,} rows written to {path}")


namespace = Collection(
    deploy,
    migrate,
    verify,
    current,
    history,
    revision,
    snapshot,
    guard,
    erd,
    db,
    rebaseline,
    bench,
    table_sizes,
)
