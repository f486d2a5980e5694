"""Step 4: prove the new baseline with every guard check on the new folder.

The baseline's schema equals the old chain's (compared in step 3, counted here). The guard then
runs with the old chain's snapshot as the schema contract and the models compared (the folder
becomes the project's own, where the guard always compares the models): dry-run builds the same
schema again, and downgrade-test proves that ``downgrade base`` leaves the database as empty as a
fresh one and that upgrading again gives the same catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from backend.db import schema_contract
from backend.db.guard.api import GuardError, error_lines, run_guard
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


def prove(folder: Path, truth: Snapshot, server: PostgresServer, contract: Path) -> Proof:
    """Write ``truth`` to ``contract`` and run the guard on ``folder`` against it; raise
    :class:`RebaselineError` with each error finding."""
    schema_contract.write(truth, contract)
    guard = _guard(folder, server, contract)
    return Proof(object_counts(truth), guard)


def _guard(folder: Path, server: PostgresServer, contract: Path) -> tuple:
    try:
        results = run_guard(folder, contract_path=contract, compare_models=True, server=server)
    except GuardError as exc:
        raise CouldNotRun(f"the guard could not run on the new baseline: {exc}") from None
    errors = error_lines(results)
    if errors:
        raise RebaselineError("the guard rejects the new baseline", errors)
    return tuple((r.check, r.ok, r.duration_s) for r in results)
