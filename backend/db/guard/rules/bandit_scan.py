"""Python-level dangers in revision files (shell calls, pickle, eval, ...), found by bandit.

Bandit runs in-process through its own ``BanditManager`` (a few milliseconds once imported,
where a subprocess costs half a second). Every bandit issue is an error whatever severity bandit
gives it: a migration runs with the deploy's credentials, so even a LOW ``subprocess`` is a hole.
The one exception is B101 (``assert``), a warning: a data migration's sanity check written as an
``assert`` lets no one in, it only vanishes under ``python -O``.
B608 (SQL built from strings) is skipped: ``ban-sql-injection`` owns that risk and judges it
more precisely (it resolves names and lets literal f-strings and bound parameters pass).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

from backend.db.guard.findings import Finding, Severity, error, finding

with warnings.catch_warnings():
    # bandit's plugin loader passes an argument stevedore deprecates: noise for our users.
    warnings.simplefilter("ignore", DeprecationWarning)
    from bandit.core.config import BanditConfig
    from bandit.core.manager import BanditManager

SKIPPED_TESTS = frozenset({"B608"})
ASSERT_USED = "B101"


def bandit_findings(files: list[Path], display_path: Callable[[str], str]) -> list[Finding]:
    """One ``bandit-<test id>`` error per bandit issue in the files."""
    if not files:
        return []
    manager = BanditManager(
        BanditConfig(),
        "file",
        quiet=True,
        profile={"include": set(), "exclude": set(SKIPPED_TESTS)},
    )
    manager.discover_files([str(path.resolve()) for path in files], recursive=False)
    manager.run_tests()
    return [
        _finding(issue.as_dict(with_code=False), display_path) for issue in manager.get_issue_list()
    ]


def _finding(data: dict, display_path: Callable[[str], str]) -> Finding:
    path, line = display_path(data["filename"]), data.get("line_number")
    if data["test_id"] == ASSERT_USED:
        # The bandit family is an error by default; B101 alone is demoted, on purpose.
        return finding(
            f"bandit-{ASSERT_USED}",
            path,
            line,
            "assert is removed under `python -O`, so this sanity check may silently not run "
            "and the migration goes on with the data it should have refused",
            'Raise an exception instead: `if not ok: raise RuntimeError("why the data is wrong")`.',
            severity=Severity.WARNING,
        )
    return error(
        f"bandit-{data['test_id']}",
        path,
        line,
        f"{data['issue_text']} ({data['test_name']}); a migration runs with the deploy's credentials",
        f"Remove it from the migration; see {data.get('more_info', 'bandit docs')}.",
    )
