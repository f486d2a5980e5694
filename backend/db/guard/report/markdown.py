"""Markdown for a person reading a pull request: the comment the guard posts and the job summary.

A table of the checks (verdict, errors, warnings, time), then per check its errors (each with
``file:line``, the risk and the fix), its warnings folded in ``<details>`` and the tables it
added (:class:`~backend.db.guard.findings.Table`). Under GitHub Actions ``file:line`` links to
the file at that line on the commit being checked, so a reviewer lands on the line to change.

Text from findings is escaped for HTML (``<``, ``>``, ``&``) and, in table cells, for ``|``;
backticks are kept, so a message's `name` still reads as code.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from backend.db.guard.findings import CheckResult, Finding, Severity, Table

TITLE = "Migration guard"


def render(
    results: list[CheckResult],
    run_notes: list[str] = (),
    environ: Mapping[str, str] = os.environ,
) -> str:
    """The whole report; ``environ`` decides whether ``file:line`` becomes a link."""
    failed = [result.check for result in results if not result.ok]
    verdict = f"❌ failed: {', '.join(failed)}" if failed else "✅ passed"
    lines = [f"## {TITLE}: {verdict}", "", *_summary_table(results)]
    for result in results:
        lines += _check_section(result, environ)
    if run_notes:
        lines += ["", *(f"<sub>{_html(note)}</sub><br>" for note in run_notes)]
    return "\n".join(lines).rstrip("\n") + "\n"


def _summary_table(results: list[CheckResult]) -> list[str]:
    rows = [
        (
            result.check,
            "✅ passed" if result.ok else "❌ failed",
            str(result.errors),
            str(result.warnings),
            f"{result.duration_s:.2f} s",
        )
        for result in results
    ]
    return _table(("check", "verdict", "errors", "warnings", "time"), rows)


def _check_section(result: CheckResult, environ: Mapping[str, str]) -> list[str]:
    if not result.findings and not result.tables:
        return []
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    warnings = [f for f in result.findings if f.severity is not Severity.ERROR]
    lines = ["", f"### {'❌' if errors else '✅'} {result.check}"]
    if errors:
        lines.append("")
        for finding in errors:
            lines += _finding_item(finding, environ)
    if warnings:
        noun = "warning" if len(warnings) == 1 else "warnings"
        lines += ["", f"<details><summary>{len(warnings)} {noun}</summary>", ""]
        for finding in warnings:
            lines += _finding_item(finding, environ)
        lines += ["", "</details>"]
    for table in result.tables:
        lines += _extra_table(table)
    return lines


def _finding_item(finding: Finding, environ: Mapping[str, str]) -> list[str]:
    where = f"`{finding.where}`"
    link = file_link(finding.path, finding.line, environ)
    if link:
        where = f"[{where}]({link})"
    return [
        f"- {where} **`{finding.rule}`**: {_html(finding.message)}",
        f"  <br>Fix: {_html(finding.hint)}",
    ]


def _extra_table(table: Table) -> list[str]:
    return ["", f"**{_html(table.title)}**", "", *_table(table.header, table.rows)]


def _table(header: tuple[str, ...], rows) -> list[str]:
    lines = [
        "| " + " | ".join(_cell(h) for h in header) + " |",
        "|" + "|".join(" --- " for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def file_link(path: str, line: int | None, environ: Mapping[str, str] = os.environ) -> str | None:
    """``$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA/path#Lline`` under Actions, for
    a path inside the repository (relative, or absolute inside ``GITHUB_WORKSPACE``); else None."""
    server, repository, sha = (
        environ.get("GITHUB_SERVER_URL"),
        environ.get("GITHUB_REPOSITORY"),
        environ.get("GITHUB_SHA"),
    )
    if not (server and repository and sha):
        return None
    relative = _in_workspace(path, environ.get("GITHUB_WORKSPACE"))
    if relative is None:
        return None
    anchor = f"#L{line}" if line else ""
    return f"{server.rstrip('/')}/{repository}/blob/{sha}/{relative}{anchor}"


def _in_workspace(path: str, workspace: str | None) -> str | None:
    candidate = Path(path)
    if not candidate.is_absolute():
        return PurePosixPath(*candidate.parts).as_posix()
    if not workspace:
        return None
    try:
        return PurePosixPath(*candidate.relative_to(workspace).parts).as_posix()
    except ValueError:
        return None


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


def _cell(text: str) -> str:
    return _html(str(text)).replace("|", "\\|")
