"""Lock safety of each revision's SQL, judged by squawk on Alembic's offline (``--sql``) output.

The base revision creates empty tables, where locks cost nothing, so only the revisions after it
are checked. Squawk's findings are warnings: they name lock risks to weigh, not certain breakage.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory

from backend.db.guard.errors import GuardError
from backend.db.guard.findings import Finding, warning
from backend.db.guard.rules.background import Background, start

# Alembic's offline output marks where each revision starts: "-- Running upgrade a1 -> b2".
RUNNING_UPGRADE = re.compile(r"^-- Running upgrade (?P<down>.*?) -> (?P<rev>\S+)\s*$")
# With transaction_per_migration each revision sits between its own BEGIN; and COMMIT; lines;
# they are dropped and squawk is told to assume the transaction instead.
TRANSACTION_LINES = frozenset({"BEGIN;", "COMMIT;"})
# The deploy runner sets lock_timeout and statement_timeout on its session before any revision
# (backend/db/deploy/migrate.py), so squawk's demand for them in every file is already met.
EXCLUDED_RULES = ("require-timeout-settings", "require-lock-timeout", "require-statement-timeout")


@dataclass
class SquawkRun:
    """A started squawk over one SQL file per revision, and how to map files back."""

    background: Background
    workdir: tempfile.TemporaryDirectory
    revision_paths: dict[str, Path]


def squawk_binary() -> str:
    """The ``squawk`` installed by squawk-cli: next to this Python first, then on PATH."""
    beside = Path(sys.executable).parent / "squawk"
    if beside.exists():
        return str(beside)
    found = shutil.which("squawk")
    if found is None:
        raise GuardError("squawk not found: install squawk-cli (pip install squawk-cli)")
    return found


def split_by_revision(sql: str) -> dict[str, str]:
    """Each revision's part of the offline output, keyed by revision id."""
    parts: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in sql.splitlines():
        match = RUNNING_UPGRADE.match(line)
        if match:
            current = parts.setdefault(match["rev"], [])
        elif current is not None and line.strip() not in TRANSACTION_LINES:
            current.append(line)
    return {rev: "\n".join(lines) + "\n" for rev, lines in parts.items()}


def revisions_after_base(scripts: ScriptDirectory) -> dict[str, Path]:
    """The revisions squawk judges (all but the base ones), with their files."""
    return {
        script.revision: Path(script.path)
        for script in scripts.walk_revisions()
        if script.down_revision is not None
    }


def start_squawk(later: dict[str, Path], offline_sql: str) -> SquawkRun | None:
    """Write each of the ``later`` revisions' part of the chain's offline SQL to a file and start
    squawk on them (None: nothing to do)."""
    if not later:
        return None
    by_revision = split_by_revision(offline_sql)
    workdir = tempfile.TemporaryDirectory(prefix="guard-squawk-")
    files = []
    for revision in later:
        if by_revision.get(revision, "").strip():
            file = Path(workdir.name) / f"{revision}.sql"
            file.write_text(by_revision[revision], encoding="utf-8")
            files.append(str(file))
    if not files:
        workdir.cleanup()
        return None
    args = [
        squawk_binary(),
        "--reporter",
        "json",
        "--assume-in-transaction",
        f"--exclude={','.join(EXCLUDED_RULES)}",
        *files,
    ]
    return SquawkRun(start("squawk", args, cwd=Path(workdir.name)), workdir, later)


def squawk_findings(run: SquawkRun | None, display_path: Callable[[Path], str]) -> list[Finding]:
    """One ``squawk-<rule>`` warning per squawk violation, placed on the revision's file."""
    if run is None:
        return []
    try:
        violations = run.background.json_output() or []
    finally:
        run.workdir.cleanup()
    findings = []
    for item in violations:
        revision = Path(item["file"]).stem
        path = run.revision_paths.get(revision)
        findings.append(
            warning(
                f"squawk-{item['rule_name']}",
                display_path(path) if path else item["file"],
                None,
                f"{item['message']} (offline SQL line {item['line'] + 1}: revision {revision})",
                item.get("help") or "See squawk's documentation of the rule.",
            )
        )
    return findings
