"""The guard as a library: what other parts of the project (the rebaseline) call.

Everything else under ``backend/db/guard`` is the guard's own; a caller outside it imports this
module only, so the guard can change inside without breaking them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from backend.db.guard import runner
from backend.db.guard.checks import CHECK_MODULES
from backend.db.guard.checks.revision_findings import load_failure, migration_failure
from backend.db.guard.context import GuardContext
from backend.db.guard.errors import GuardError
from backend.db.guard.findings import CheckResult, Finding, Severity
from backend.db.postgres import PostgresServer

CHECK_NAMES: tuple[str, ...] = tuple(CHECK_MODULES)


def run_guard(
    versions_dir: Path,
    *,
    checks: Sequence[str] = CHECK_NAMES,
    contract_path: Path | None = None,
    compare_models: bool | None = None,
    server: PostgresServer | None = None,
) -> list[CheckResult]:
    """Run ``checks`` on ``versions_dir`` as ``migration-guard`` would, on ``server`` when one is
    given (it is used, never stopped), else on the server the provider chooses.

    GuardError when the guard cannot run (exit 2 at the CLI).
    """
    context = GuardContext.create(
        versions_dir=versions_dir,
        contract_path=contract_path,
        compare_models=compare_models,
        lent_server=server,
    )
    try:
        return runner.run(list(checks), context)
    finally:
        context.close()


def error_lines(results: Sequence[CheckResult]) -> list[str]:
    """One line per error finding: ``[rule] path:line: message``."""
    return [
        finding_line(finding)
        for result in results
        for finding in result.findings
        if finding.severity is Severity.ERROR
    ]


def finding_line(finding: Finding, with_hint: bool = False) -> str:
    """``[rule] path:line: message`` (and `` (fix: hint)``), as the rebaseline lists findings."""
    line = f"[{finding.rule}] {finding.where}: {finding.message}"
    return f"{line} (fix: {finding.hint})" if with_hint else line


__all__ = [
    "CHECK_NAMES",
    "CheckResult",
    "Finding",
    "GuardError",
    "error_lines",
    "finding_line",
    "load_failure",
    "migration_failure",
    "run_guard",
]
