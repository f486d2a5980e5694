"""Step 4: prove the new baseline, on the database it was first applied to and with the guard.

Asserts: the baseline's schema equals the old chain's (compared in step 3, counted here);
``downgrade base`` leaves the database as empty as a fresh one; upgrading again gives the same
catalog; and the guard's four checks pass on the new folder, with the schema contract being the
old chain's snapshot and the models compared (the folder becomes the project's own, where the
guard always compares the models).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from backend.db import schema_contract
from backend.db.guard import runner
from backend.db.guard.checks import CHECK_MODULES
from backend.db.guard.context import GuardContext
from backend.db.guard.errors import GuardError
from backend.db.guard.findings import Severity
from backend.db.migrations_config import alembic_config
from backend.db.postgres import PostgresServer
from backend.db.rebaseline.errors import CouldNotRun, RebaselineError
from backend.db.schema_contract import Snapshot


@dataclass(frozen=True)
class Proof:
    """What was compared and what the guard said."""

    counts: dict[str, int]
    guard: tuple[tuple[str, bool, float], ...]  # (check, passed, seconds)


def object_counts(snap: Snapshot) -> dict[str, int]:
    """How many objects of each kind a snapshot holds (the report's "compared" column)."""
    return {
        "tables": len(snap["tables"]),
        "columns": sum(len(columns) for columns in snap["tables"].values()),
        "enum types": len(snap["enums"]),
        "enum labels": sum(len(labels) for labels in snap["enums"].values()),
        "indexes": len(snap["indexes"]),
        "constraints": len(snap["constraints"]),
        "sequences": len(snap.get("sequences", [])),
        "extensions": len(snap.get("extensions", [])),
    }


def prove(
    folder: Path, url: sa.engine.URL, truth: Snapshot, server: PostgresServer, contract: Path
) -> Proof:
    """Run every proof on ``url`` (upgraded to the new baseline) and the guard; raise
    :class:`RebaselineError` with each failure."""
    failures = _cycle(folder, url, truth)
    if failures:
        raise RebaselineError("the new baseline does not survive downgrade and upgrade", failures)
    schema_contract.write(truth, contract)
    guard = _guard(folder, server, contract)
    return Proof(object_counts(truth), guard)


def _cycle(folder: Path, url: sa.engine.URL, truth: Snapshot) -> list[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            config = alembic_config(folder, connection=connection)
            command.downgrade(config, "base")
            connection.commit()
            after_downgrade = schema_contract.snapshot(connection)
            connection.rollback()
            command.upgrade(config, "heads")
            connection.commit()
            again = schema_contract.snapshot(connection)
            connection.rollback()
    finally:
        engine.dispose()
    empty = {key: type(value)() for key, value in truth.items()}
    failures = [
        f"downgrade base leaves {d.kind} {d.name} behind"
        for d in schema_contract.compare(after_downgrade, empty)
    ]
    failures += [
        f"upgrade after downgrade differs: {d.message}"
        for d in schema_contract.compare(again, truth)
    ]
    return failures


def _guard(folder: Path, server: PostgresServer, contract: Path) -> tuple:
    context = GuardContext(
        versions_dir=folder,
        postgres="url",
        database_url=server.admin_url.render_as_string(hide_password=False),
        contract_path=contract,
        compare_models=True,
    )
    try:
        results = runner.run(list(CHECK_MODULES), context)
    except GuardError as exc:
        raise CouldNotRun(f"the guard could not run on the new baseline: {exc}") from None
    finally:
        context.close()
    errors = [
        f"[{f.rule}] {f.path}{f':{f.line}' if f.line else ''}: {f.message}"
        for result in results
        for f in result.findings
        if f.severity == Severity.ERROR
    ]
    if errors:
        raise RebaselineError("the guard rejects the new baseline", errors)
    return tuple((r.check, r.ok, r.duration_s) for r in results)
