"""Python-level dangers in revision files (shell calls, pickle, eval, ...), found by bandit.

B608 (SQL built from strings) is skipped: ``ban-sql-injection`` owns that risk and judges it
more precisely (it resolves names and lets literal f-strings and bound parameters pass).

Every bandit issue is an error whatever severity bandit gives it: a migration runs with the
deploy's credentials, so even a LOW ``subprocess`` call is a hole.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from backend.db.guard.findings import Finding, error
from backend.db.guard.rules.background import Background, start

SKIPPED_TESTS = "B608"


def start_bandit(files: list[Path]) -> Background | None:
    """Start ``python -m bandit -f json`` on the revision files; None when there are none."""
    if not files:
        return None
    args = [sys.executable, "-m", "bandit", "-f", "json", "-q", "--skip", SKIPPED_TESTS]
    args += list(map(str, files))
    return start("bandit", args)


def bandit_findings(
    background: Background | None, display_path: Callable[[str], str]
) -> list[Finding]:
    """One ``bandit-<test id>`` error per bandit issue."""
    if background is None:
        return []
    report = background.json_output() or {}
    return [
        error(
            f"bandit-{issue['test_id']}",
            display_path(issue["filename"]),
            issue.get("line_number"),
            f"{issue['issue_text']} ({issue['test_name']}); a migration runs with the "
            "deploy's credentials",
            f"Remove it from the migration; see {issue.get('more_info', 'bandit docs')}.",
        )
        for issue in report.get("results", [])
    ]
