"""The security check (no database): every executed SQL string is a literal, parsed by pglast
and free of dangerous statements; drops in upgrade() carry a written reason; bandit finds
Python-level dangers; squawk weighs the lock risks of each revision after the base (warnings).
"""

from __future__ import annotations

from backend.db.guard.checks import NO_HANDOFF, Handoff, Outcome
from backend.db.guard.context import GuardContext
from backend.db.guard.findings import Finding
from backend.db.guard.revision_source import RevisionSource
from backend.db.guard.revisions import caused_by_revisions, guard_failure
from backend.db.guard.rules.bandit_scan import bandit_findings
from backend.db.guard.rules.security import SECURITY_RULES
from backend.db.guard.rules.squawk_scan import revisions_after_base, squawk_findings
from backend.db.guard.since import judged_files


def _squawk(context: GuardContext) -> list[Finding]:
    """Squawk needs the offline SQL (the run's one copy, shared with dry-run), which needs a
    loadable graph. A revision that does not load, or whose upgrade() cannot run offline, skips
    squawk with a note (lint and dry-run report it as ``revision-loads`` or
    ``offline-sql-generates``); any other failure is the guard's and stops the run (exit 2):
    a security check that passes without having looked would hide exactly what it is for."""
    scripts = context.scripts()
    try:
        context.load_revisions()
    except Exception as exc:  # noqa: BLE001 - judged by its cause
        if not caused_by_revisions(exc, context.versions_dir, while_loading=True):
            raise guard_failure("loading the revisions for squawk", exc) from exc
        context.notes.append(f"squawk skipped: a revision does not load ({type(exc).__name__})")
        return []
    try:
        later = revisions_after_base(scripts)
    except Exception as exc:  # noqa: BLE001 - the folder loaded: this is the guard's own error
        raise guard_failure("listing the revisions for squawk", exc) from exc
    if context.since is not None:
        later = {rev: path for rev, path in later.items() if rev in context.since.new}
    if not later:
        return []  # the base creates empty tables: nothing to weigh, no SQL needed
    offline = context.offline_sql()  # GuardError for a failure that is not the revisions'
    if offline.sql is None:
        context.notes.append(f"squawk skipped: offline SQL not generated ({offline.error_type})")
        return []
    return squawk_findings(later, offline.sql, context.display_path, offline.statements)


def run(context: GuardContext, handoff: Handoff = NO_HANDOFF) -> Outcome:
    """All security findings for the versions folder.

    Offline SQL runs each upgrade() in Alembic's ``--sql`` mode, i.e. it executes the revisions'
    Python; so squawk runs only once bandit has found nothing dangerous in that Python. With
    ``context.since`` every rule, bandit and squawk judge the new revisions only.
    """
    judged = judged_files(context.revision_files(), context.since, context.notes)
    findings: list[Finding] = []
    with context.step("executed SQL rules"):
        for revision in (r for r in context.revision_sources() if r.path in judged):
            shown = context.display_path(revision.path)
            if revision.tree is None:
                # lint owns revision-compiles; a file that does not compile executes no SQL.
                context.notes.append(f"{shown} not inspected: it does not compile (see lint)")
                continue
            findings.extend(_revision_findings(revision, shown))
    with context.step("bandit"):
        python_dangers = bandit_findings(judged, context.display_path)
        findings.extend(python_dangers)
    with context.step("squawk (offline SQL)"):
        if python_dangers:
            context.notes.append("squawk skipped: bandit found Python the guard will not run")
        else:
            findings.extend(_squawk(context))
    return Outcome(findings)


def _revision_findings(revision: RevisionSource, shown: str) -> list[Finding]:
    return [finding for rule in SECURITY_RULES for finding in rule(revision, shown)]
