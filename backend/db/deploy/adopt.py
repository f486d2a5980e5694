"""Move a database migrated with the old chain onto the new baseline: check, then stamp.

A rebaselined database is adopted only when both hold: its ``alembic_version`` is exactly the old
head(s) the baseline records (``record.replaces_heads``), and its live schema equals the schema
contract of the new baseline. Then, in one transaction, Alembic stamps the baseline
(``stamp --purge``, through the kernel's Stepper) and an audit row (action ``stamped``) is
written. The incident prevented: a database stamped while it was behind (or hand-patched), which then misses columns that no revision will
ever create again. Stamp after catching up, never just stamp.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from backend.db.deploy import audit
from backend.db.deploy.connection import current_heads
from backend.db.deploy.errors import DeployError
from backend.db.deploy.verify import compare_with_contract
from backend.db.migrator.baseline_record import Rebaselined, read_record
from backend.db.migrator.stepper import Stepper

_CATCH_UP = "stamp after catching up, never just stamp"


class AdoptionRefused(DeployError):
    """The database is not exactly where the old chain leaves it; ``differences`` says where not."""


@dataclass(frozen=True)
class Adopted:
    """The outcome: the baseline the database is at now, and where it came from."""

    baseline: str
    from_heads: tuple[str, ...]
    already: bool = False
    dry_run: bool = False

    def __str__(self) -> str:
        if self.already:
            return f"already at the baseline {self.baseline}; nothing to adopt"
        if self.dry_run:
            return (
                f"would stamp {self.baseline} over old head(s) {', '.join(self.from_heads)}: "
                "revision and live schema checked; nothing changed (dry run)"
            )
        return (
            f"stamped {self.baseline} over old head(s) {', '.join(self.from_heads)}; "
            "live schema equals the baseline's contract"
        )


def adopt(
    connection: Connection,
    scripts: ScriptDirectory,
    contract: Path | None,
    deployer: audit.Deployer,
    dry_run: bool = False,
) -> Adopted:
    """Check the database on ``connection`` (see the module docstring) and stamp it, committing.

    Raises :class:`AdoptionRefused` (exit 1) naming exactly what differs; changes nothing then.
    With ``dry_run`` the checks run and nothing is stamped.
    """
    record = read_record(scripts)
    if record is None:
        raise AdoptionRefused(
            "this code's baseline records no squashed history (no `replaces_heads`): there is "
            "nothing to adopt; deploy without --adopt-baseline"
        )
    current = tuple(sorted(current_heads(connection)))
    if current == (record.baseline,):
        connection.rollback()
        return Adopted(record.baseline, current, already=True)
    _check_revision(current, record)
    _check_schema(connection, contract, record)
    if dry_run:
        return Adopted(record.baseline, current, dry_run=True)
    started = datetime.now(timezone.utc)

    def audit_row() -> None:
        audit.ensure_table(connection)
        audit.record(
            connection,
            record.baseline,
            audit.file_checksum(scripts.get_revision(record.baseline).path),
            "stamped",
            started,
            datetime.now(timezone.utc),
            deployer,
        )

    Stepper(scripts, connection).stamp(record.baseline, inside=audit_row)
    return Adopted(record.baseline, current)


def adopt_baseline(
    engine: Engine,
    scripts: ScriptDirectory,
    contract: Path | None,
    deployer: audit.Deployer,
    dry_run: bool = False,
) -> Adopted:
    """:func:`adopt` on a connection of its own (the deploy's lock session is autocommit)."""
    with engine.connect() as connection:
        return adopt(connection, scripts, contract, deployer, dry_run)


def _check_revision(current: tuple[str, ...], record: Rebaselined) -> None:
    heads = tuple(sorted(record.old_heads))
    if current == heads:
        return
    shown = ", ".join(current) or "base (empty alembic_version)"
    if not current:
        raise AdoptionRefused(
            f"the database is at {shown}, not at the old head(s) {', '.join(heads)}: a new "
            "database needs no adoption; deploy without --adopt-baseline"
        )
    old = set(record.old_revisions) | set(heads)
    if set(current) <= old:
        behind = sorted(set(current) - set(heads))
        raise AdoptionRefused(
            f"the database is at {shown}, behind the old head(s) {', '.join(heads)}; upgrade "
            "it with the code of the release before the rebaseline first (`alembic upgrade "
            f"heads`), then adopt: {_CATCH_UP}",
            differences=[f"{revision} is an old revision, not a head" for revision in behind]
            + [f"old head {head} is not applied" for head in heads if head not in current],
        )
    raise AdoptionRefused(
        f"the database is at {shown}, which neither the baseline {record.baseline} nor the "
        f"history it replaces knows; it was migrated by other code"
    )


def _check_schema(connection: Connection, contract: Path | None, record: Rebaselined) -> None:
    if contract is None or not Path(contract).is_file():
        raise AdoptionRefused(
            f"no schema contract to compare the database with (got {contract}); pass --contract "
            f"with the contract of baseline {record.baseline}"
        )
    _, differences = compare_with_contract(connection, contract)
    if differences:
        raise AdoptionRefused(
            f"the live schema differs from the contract of baseline {record.baseline} in "
            f"{len(differences)} place(s); make the database equal to it first: {_CATCH_UP}",
            differences=differences,
        )
