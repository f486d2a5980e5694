"""Verification: the database is at the target revision and its schema is the committed one.

The contract comparison catches what a revision number cannot: a hand-made hotfix in
production, a revision file edited after it was applied, an extension that was not installed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Connection

from backend.db import schema_contract
from backend.db.deploy.connection import current_heads
from backend.db.deploy.errors import VerificationFailed


@dataclass(frozen=True)
class Verified:
    revision: str | None
    schema: str | None  # the live schema's summary, None when the contract was not compared
    note: str | None = None  # the contract was made on another PostgreSQL major (how it compared)


def verify(
    connection: Connection, target: str | None, contract: Path | None, head: str
) -> Verified:
    """Raise :class:`VerificationFailed` listing every difference; return what was checked.

    The contract describes the head, so it is compared only when the target is the head.
    """
    current = current_heads(connection)
    expected = (target,) if target else ()
    if current != expected:
        raise VerificationFailed(
            f"the database is at {', '.join(current) or 'base'}, expected {target or 'base'}"
        )
    if contract is None or target != head:
        return Verified(target, None)
    live, expected = schema_contract.snapshot(connection), schema_contract.load(contract)
    differences = schema_contract.compare(live, expected)
    note = schema_contract.major_note(live, expected)
    if differences:
        raise VerificationFailed(
            f"the live schema differs from the contract {contract} in {len(differences)} place(s)"
            + (f" ({note})" if note else ""),
            differences=[d.message for d in differences],
            groups=[d.group for d in differences],
        )
    return Verified(target, schema_contract.summary(live), note)


def compare_with_contract(
    connection: Connection, contract: Path
) -> tuple[schema_contract.Snapshot, list[str]]:
    """The live schema on ``connection`` and every way it differs from the contract file."""
    live = schema_contract.snapshot(connection)
    differences = schema_contract.compare(live, schema_contract.load(contract))
    return live, [d.message for d in differences]
