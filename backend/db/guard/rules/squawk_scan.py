"""Lock safety of each revision's SQL, judged by squawk on Alembic's offline (``--sql``) output.

The base revision creates empty tables, where locks cost nothing, so only the revisions after it
are checked. Squawk's findings are warnings: they name lock risks to weigh, not certain breakage.
Squawk reports a line of the SQL; the kernel's offline generation remembers which ``op.*`` line
wrote each statement, so a finding lands on the line of the revision to change.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from alembic.script import ScriptDirectory

from backend.db.guard.errors import GuardError
from backend.db.guard.findings import Finding, warning
from backend.db.guard.rules.background import run_json
from backend.db.migrator.offline import EmittedStatement, OfflineScript

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
    return {rev: text for rev, (text, _) in _split_with_lines(sql).items()}


def _split_with_lines(sql: str) -> dict[str, tuple[str, list[int]]]:
    """Each revision's part, and for each of its lines the line of ``sql`` it came from."""
    parts: dict[str, list[tuple[int, str]]] = {}
    current: list[tuple[int, str]] | None = None
    for number, line in enumerate(sql.splitlines(), 1):
        match = RUNNING_UPGRADE.match(line)
        if match:
            current = parts.setdefault(match["rev"], [])
        elif current is not None and line.strip() not in TRANSACTION_LINES:
            current.append((number, line))
    return {
        rev: ("\n".join(line for _, line in lines) + "\n", [number for number, _ in lines])
        for rev, lines in parts.items()
    }


def revisions_after_base(scripts: ScriptDirectory) -> dict[str, Path]:
    """The revisions squawk judges (all but the base ones), with their files."""
    return {
        script.revision: Path(script.path)
        for script in scripts.walk_revisions()
        if script.down_revision is not None
    }


def squawk_findings(
    later: dict[str, Path],
    offline_sql: str,
    display_path: Callable[[Path], str],
    statements: Sequence[EmittedStatement] = (),
) -> list[Finding]:
    """Squawk on each of the ``later`` revisions' part of the chain's offline SQL (one file per
    revision): one ``squawk-<rule>`` warning per violation, placed on the ``op.*`` line that
    emitted the statement (``statements``: the kernel's record of who wrote what), else on the
    revision's file."""
    by_revision = _split_with_lines(offline_sql)
    parts = {rev: by_revision[rev][0] for rev in later if by_revision.get(rev, ("",))[0].strip()}
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
    located = OfflineScript(offline_sql, tuple(statements))
    findings = []
    for item in violations:
        revision = Path(item["file"]).stem
        path = later.get(revision)
        lines = by_revision.get(revision, ("", []))[1]
        sql_line = lines[item["line"]] if 0 <= item["line"] < len(lines) else None
        source = located.source_of(sql_line) if sql_line else None
        where = (
            f"revision {revision}"
            if source
            else f"offline SQL line {sql_line}: revision {revision}"
        )
        findings.append(
            warning(
                f"squawk-{item['rule_name']}",
                display_path(source.path if source else path) if path else item["file"],
                source.line if source else None,
                f"{item['message']} ({where})",
                item.get("help") or "See squawk's documentation of the rule.",
            )
        )
    return findings
