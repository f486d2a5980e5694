"""The security check (no database): every executed SQL string is a literal, parsed by pglast
and free of dangerous statements; drops in upgrade() carry a written reason; bandit finds
Python-level dangers; squawk weighs the lock risks of each revision after the base (warnings).
"""

from __future__ import annotations

import warnings

from backend.db.guard.context import GuardContext
from backend.db.guard.findings import Finding, error
from backend.db.guard.revision_source import RevisionSource
from backend.db.guard.rules.bandit_scan import bandit_findings
from backend.db.guard.rules.security import SECURITY_RULES
from backend.db.guard.rules.squawk_scan import revisions_after_base, squawk_findings


def _squawk(context: GuardContext) -> list[Finding]:
    """Squawk needs the offline SQL (the run's one copy, shared with dry-run), which needs a
    loadable graph; otherwise lint and dry-run report why."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            later = revisions_after_base(context.scripts())
            if not later:
                return []  # the base creates empty tables: nothing to weigh, no SQL needed
            offline = context.offline_sql()
    except Exception as exc:  # a chain Alembic cannot load
        context.notes.append(f"squawk skipped: offline SQL not generated ({type(exc).__name__})")
        return []
    if offline.sql is None:
        context.notes.append(f"squawk skipped: offline SQL not generated ({offline.error_type})")
        return []
    return squawk_findings(later, offline.sql, context.display_path, offline.statements)


def run(context: GuardContext) -> list[Finding]:
    """All security findings for the versions folder.

    Offline SQL runs each upgrade() in Alembic's ``--sql`` mode, i.e. it executes the revisions'
    Python; so squawk runs only once bandit has found nothing dangerous in that Python.
    """
    findings: list[Finding] = []
    with context.step("executed SQL rules"):
        for revision in context.revision_sources():
            findings.extend(_revision_findings(revision, context.display_path(revision.path)))
    with context.step("bandit"):
        python_dangers = bandit_findings(context.revision_files(), context.display_path)
        findings.extend(python_dangers)
    with context.step("squawk (offline SQL)"):
        if python_dangers:
            context.notes.append("squawk skipped: bandit found Python the guard will not run")
        else:
            findings.extend(_squawk(context))
    return findings


def _revision_findings(revision: RevisionSource, shown: str) -> list[Finding]:
    if revision.tree is None:
        # A file the guard cannot read cannot be vouched for.
        line = revision.syntax_error.lineno if revision.syntax_error else None
        return [
            error(
                "revision-compiles",
                shown,
                line,
                "the revision does not compile, so its SQL cannot be inspected",
                "Fix the syntax error; then the security rules can read the file.",
            )
        ]
    return [finding for rule in SECURITY_RULES for finding in rule(revision, shown)]
