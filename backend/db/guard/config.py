"""What a guard run is asked to do, fixed before any check runs: one immutable value.

Every check reads the same :class:`GuardConfig`; nothing a check does changes it. It is made by
:meth:`GuardConfig.create`, which checks the inputs (``guard/inputs.py``): a missing versions
folder, one without revisions, or a contract given but not readable is one line, exit 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backend.db.guard.inputs import check_versions_dir, read_contract
from backend.db.migrations_config import SCHEMA_CONTRACT, VERSIONS_DIR

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from backend.db.guard.since import Since


@dataclass(frozen=True)
class GuardConfig:
    """The versions folder, where PostgreSQL comes from, and what dry-run compares against.

    ``contract_path`` and ``compare_models`` default to "only for the project's own folder": a
    foreign versions folder has no contract and no models of its own. A contract passed
    explicitly is read at once (``given_contract``); the project's own, when missing, is left to
    dry-run's ``schema-matches-contract`` finding.
    """

    versions_dir: Path
    postgres: str = "auto"
    database_url: str | URL | None = field(default=None, repr=False)
    contract_path: Path | None = None
    compare_models: bool = False
    # --since: the revisions new since a ref are judged, the older ones are only the base.
    since: Since | None = None
    # lock-test: production row counts (JSON table -> rows) and the longest lock allowed, s.
    table_sizes_path: Path | None = None
    lock_budget_s: float | None = None
    # data-test: rows per table.
    data_rows: int = 200
    given_contract: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def create(
        cls,
        versions_dir: str | Path = VERSIONS_DIR,
        postgres: str = "auto",
        database_url: str | URL | None = None,
        contract_path: str | Path | None = None,
        compare_models: bool | None = None,
        since: Since | None = None,
        table_sizes_path: str | Path | None = None,
        lock_budget_s: float | None = None,
        data_rows: int = 200,
    ) -> GuardConfig:
        """A checked configuration; GuardError (exit 2) names a bad input."""
        versions_dir = Path(versions_dir).resolve()
        check_versions_dir(versions_dir)
        is_project = versions_dir == VERSIONS_DIR.resolve()
        given = None
        if contract_path is not None:  # asked for: it must be a contract
            contract_path = Path(contract_path).resolve()
            given = read_contract(contract_path)
        elif is_project:
            contract_path = SCHEMA_CONTRACT.resolve()
        return cls(
            versions_dir=versions_dir,
            postgres=postgres,
            database_url=database_url,
            contract_path=contract_path,
            compare_models=is_project if compare_models is None else compare_models,
            since=since,
            table_sizes_path=Path(table_sizes_path) if table_sizes_path else None,
            lock_budget_s=lock_budget_s,
            data_rows=data_rows,
            given_contract=given,
        )

    @property
    def is_project(self) -> bool:
        """Whether the folder is the project's own (model drift and contract apply only then)."""
        return self.versions_dir == VERSIONS_DIR.resolve()
