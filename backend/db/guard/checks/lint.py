"""The lint check (no database): every revision compiles, loads into one clean Alembic graph,
has a real downgrade, imports no application code and is named after its id; ruff's pyflakes
rules find undefined names before a deploy does.
"""

from __future__ import annotations

from backend.db.guard.checks import NO_HANDOFF, Handoff, Outcome
from backend.db.guard.context import GuardContext
from backend.db.guard.findings import Finding
from backend.db.guard.rules.lint import FILE_RULES, FOLDER_RULES, read_graph
from backend.db.guard.rules.ruff_pyflakes import ruff_findings, start_ruff
from backend.db.guard.since import judged_files


def run(context: GuardContext, handoff: Handoff = NO_HANDOFF) -> Outcome:
    """All lint findings for the versions folder (non-recursive: archives beside it are skipped).

    With ``context.since`` the file rules and ruff judge the new revision files only; the graph
    rules (single head, ...) still read the whole folder.
    """
    judged = judged_files(context.revision_files(), context.since, context.notes)
    ruff = start_ruff(judged)  # runs while the ast rules work
    findings: list[Finding] = []
    with context.step("parse revisions"):
        revisions = context.revision_sources()
    with context.step("file rules"):
        for revision in (r for r in revisions if r.path in judged):
            path = context.display_path(revision.path)
            for rule in FILE_RULES:
                findings.extend(rule(revision, path))
    with context.step("revision graph"):
        graph = read_graph(context, revisions)
        for folder_rule in FOLDER_RULES:
            findings.extend(folder_rule(revisions, graph, context))
    with context.step("ruff (pyflakes rules)"):
        findings.extend(ruff_findings(ruff, context.display_path))
    return Outcome(findings)
