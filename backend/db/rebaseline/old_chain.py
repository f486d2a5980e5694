"""Steps 1 and 2: the old chain upgrades a fresh database to all of its heads; its catalog is the truth.

The truth is what production databases migrated with the old chain look like, so it is read from
a database the old chain itself built, never from the models.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory

from backend.db import schema_contract
from backend.db.guard.api import finding_line, load_failure, migration_failure
from backend.db.migrations_config import script_directory
from backend.db.migrator.failure import MigrationFailed
from backend.db.migrator.scripts import topological_order
from backend.db.migrator.stepper import Stepper
from backend.db.postgres import PostgresServer
from backend.db.rebaseline.errors import CouldNotRun, RebaselineError
from backend.db.session import scratch_connection


@dataclass(frozen=True)
class OldChain:
    """The revisions to squash, in topological order, and what they build."""

    revisions: tuple[str, ...]
    heads: tuple[str, ...]
    files: tuple[Path, ...]
    truth: schema_contract.Snapshot


def load(versions_dir: Path) -> tuple[ScriptDirectory, tuple[str, ...]]:
    """Alembic's view of the folder and its heads; several heads are allowed, a broken graph
    is not."""
    if not versions_dir.is_dir():
        raise CouldNotRun(f"versions folder not found: {versions_dir}")
    scripts = script_directory(versions_dir)
    try:
        heads = scripts.get_heads()
    except Exception as exc:  # noqa: BLE001 - a revision that does not load is reported as the guard does
        finding = load_failure(versions_dir, exc)
        raise RebaselineError(
            f"the old chain does not load: {finding.message}", [finding_line(finding, True)]
        ) from None
    if not heads:
        raise CouldNotRun(f"no revisions to squash in {versions_dir}")
    return scripts, tuple(sorted(heads))


def build_truth(versions_dir: Path, server: PostgresServer) -> OldChain:
    """Upgrade a fresh database to ``heads`` with the old chain and snapshot it.

    A revision that fails stops the rebaseline with the guard's own ``upgrade-fails`` finding:
    a chain that cannot build a database cannot be squashed into one that can.
    """
    versions_dir = Path(versions_dir).resolve()
    scripts, heads = load(versions_dir)
    ordered = topological_order(scripts)
    url = server.fresh_database("rebaseline_old")
    try:
        with scratch_connection(url) as connection:
            try:
                Stepper(scripts, connection).upgrade("heads")
            except MigrationFailed as failure:
                finding = migration_failure("upgrade-fails", failure)
                raise RebaselineError(
                    f"the old chain does not upgrade a fresh database: {finding.message}",
                    [finding_line(finding, True)],
                ) from None
            truth = schema_contract.snapshot(connection)
    finally:
        server.drop_database(url)
    return OldChain(
        revisions=tuple(script.revision for script in ordered),
        heads=heads,
        files=tuple(Path(script.path) for script in ordered),
        truth=truth,
    )
