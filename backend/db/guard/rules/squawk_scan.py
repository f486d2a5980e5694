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
from pathlib import Path

from alembic.script import ScriptDirectory

from backend.db.guard.errors import GuardError
from backend.db.guard.findings import Finding, warning
from backend.db.guard.rules.background import run_json

# Alembic's offline output marks where each revision starts: "-- Running upgrade a1 -> b2".
RUNNING_UPGRADE = re.compile(r"^-- Running upgrade (?P<down>.*?) -> (?P<rev>\S+)\s*$")
# With transaction_per_migration each revision sits between its own BEGIN; and COMMIT; lines;
# they are dropped and squawk is told to assume the transaction instead.
TRANSACTION_LINES = frozenset({"BEGIN;", "COMMIT;"})
# The deploy runner sets lock_timeout and statement_timeout on its session before any revision
# (backend/db/deploy/migrate.py), so squawk's demand for them in every file is already met.
EXCLUDED_RULES = ("require-timeout-settings", "require-lock-timeout", "require-statement-timeout")


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


def squawk_findings(
    later: dict[str, Path], offline_sql: str, display_path: Callable[[Path], str]
) -> list[Finding]:
    """Squawk on each of the ``later`` revisions' part of the chain's offline SQL (one file per
    revision): one ``squawk-<rule>`` warning per violation, placed on the revision's file."""
    by_revision = split_by_revision(offline_sql)
    parts = {rev: by_revision[rev] for rev in later if by_revision.get(rev, "").strip()}
    if not parts:
        return []
    binary = squawk_binary()
    with tempfile.TemporaryDirectory(prefix="guard-squawk-") as workdir:
        files = []
        for revision, sql in parts.items():
            file = Path(workdir) / f"{revision}.sql"
            file.write_text(sql, encoding="utf-8")
            files.append(str(file))
        args = [
            binary,
            "--reporter",
            "json",
            "--assume-in-transaction",
            f"--exclude={','.join(EXCLUDED_RULES)}",
            *files,
        ]
        violations = run_json("squawk", args, cwd=Path(workdir)) or []
    findings = []
    for item in violations:
        revision = Path(item["file"]).stem
        path = later.get(revision)
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
