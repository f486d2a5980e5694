"""Pyflakes-level errors (ruff's F rules only): undefined names, broken imports, misused syntax.

Style never fails a migration; only the F family runs. Unused imports and variables are warnings:
they cannot break a deploy, while an undefined name fails it halfway through.
"""

from __future__ import annotations

from pathlib import Path

from ruff.__main__ import find_ruff_bin

from backend.db.guard.findings import Finding, Severity, finding
from backend.db.guard.rules.background import Background, start

# The ruff-F family is an error; these two cannot break a deploy, so they are made as warnings.
WARNING_CODES = frozenset({"F401", "F841"})


def start_ruff(files: list[Path]) -> Background | None:
    """Start ``ruff check --select F`` on the files; None when there is nothing to check."""
    if not files:
        return None
    args = [find_ruff_bin(), "check", "--isolated", "--select", "F", "--no-cache"]
    args += ["--output-format", "json", "--exit-zero", *map(str, files)]
    return start("ruff", args)


def ruff_findings(background: Background | None, display_path) -> list[Finding]:
    """One finding per ruff F diagnostic, rule id ``ruff-<code>``; syntax errors are skipped
    (``revision-compiles`` reports them)."""
    if background is None:
        return []
    findings = []
    for item in background.json_output() or []:
        code = item.get("code")
        if not code or not code.startswith("F"):
            continue
        findings.append(
            finding(
                f"ruff-{code}",
                display_path(item["filename"]),
                item.get("location", {}).get("row"),
                f"{item['message']}: the migration can fail or misbehave when it runs",
                (item.get("fix") or {}).get("message") or f"Fix the code ruff reports as {code}.",
                severity=Severity.WARNING if code in WARNING_CODES else None,
            )
        )
    return findings
