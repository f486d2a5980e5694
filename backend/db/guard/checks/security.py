"""The security check (no database): every executed SQL string is a literal, parsed by pglast
and free of dangerous statements; drops in upgrade() carry a written reason; bandit finds
Python-level dangers; squawk weighs the lock risks of each revision after the base (warnings).
"""

from __future__ import annotations

import warnings

from backend.db.guard.context import GuardContext
from backend.db.guard.findings import Finding, error
from backend.db.guard.revision_source import parse_revision
from backend.db.guard.rules.bandit_scan import bandit_findings, start_bandit
from backend.db.guard.rules.security import SECURITY_RULES
from backend.db.guard.rules.squawk_scan import SquawkRun, squawk_findings, start_squawk


def _start_squawk(context: GuardContext) -> SquawkRun | None:
    """Squawk needs the offline SQL, which needs a loadable graph; otherwise lint reports why."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return start_squawk(context.scripts(), context.versions_dir)
    except Exception as exc:  # offline SQL fails on a broken chain or online-only code
        context.notes.append(f"squawk skipped: offline SQL not generated ({type(exc).__name__})")
        return None


def run(context: GuardContext) -> list[Finding]:
    """All security findings for the versions folder."""
    files = context.revision_files()
    bandit = start_bandit(files)  # runs while the rest works
    with context.step("offline SQL + start squawk"):
        squawk = _start_squawk(context)
    findings: list[Finding] = []
    with context.step("executed SQL rules"):
        for path in files:
            revision = parse_revision(path)
            shown = context.display_path(path)
            if revision.tree is None:
                # A file the guard cannot read cannot be vouched for.
                findings.append(
                    error(
                        "revision-compiles",
                        shown,
                        revision.syntax_error.lineno if revision.syntax_error else None,
                        "the revision does not compile, so its SQL cannot be inspected",
                        "Fix the syntax error; then the security rules can read the file.",
                    )
                )
                continue
            for rule in SECURITY_RULES:
                findings.extend(rule(revision, shown))
    with context.step("bandit"):
        findings.extend(bandit_findings(bandit, context.display_path))
    with context.step("squawk"):
        findings.extend(squawk_findings(squawk, context.display_path))
    return findings
