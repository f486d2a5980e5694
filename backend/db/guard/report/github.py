"""GitHub Actions: ``::error``/``::warning`` annotations and a markdown job summary."""

from __future__ import annotations

import os
from pathlib import Path

from backend.db.guard.findings import CheckResult, Severity

SUMMARY_ENV = "GITHUB_STEP_SUMMARY"


def in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def annotations(results: list[CheckResult]) -> str:
    """One workflow command per finding; GitHub shows them on the pull request's diff."""
    lines = []
    for result in results:
        for finding in result.findings:
            command = "error" if finding.severity is Severity.ERROR else "warning"
            properties = [f"file={_property(finding.path)}"]
            if finding.line:
                properties.append(f"line={finding.line}")
            properties.append(f"title={_property(f'{result.check}: {finding.rule}')}")
            message = _data(f"{finding.message}\nFix: {finding.hint}")
            lines.append(f"::{command} {','.join(properties)}::{message}")
    return "".join(line + "\n" for line in lines)


def summary(results: list[CheckResult]) -> str:
    """A markdown table of the checks, then the findings."""
    lines = [
        "## Migration guard",
        "",
        "| check | status | errors | warnings | time |",
        "| --- | --- | --- | --- | --- |",
    ]
    for result in results:
        status = "✅ passed" if result.ok else "❌ failed"
        lines.append(
            f"| {result.check} | {status} | {result.errors} | {result.warnings} "
            f"| {result.duration_s:.2f} s |"
        )
    findings = [(r.check, f) for r in results for f in r.findings]
    if findings:
        lines += ["", "| check | rule | where | message |", "| --- | --- | --- | --- |"]
        for check, finding in findings:
            lines.append(
                f"| {check} | `{finding.rule}` | `{finding.where}` | {_cell(finding.message)} |"
            )
    return "\n".join(lines) + "\n"


def append_summary(results: list[CheckResult]) -> None:
    """Append the summary to the file GitHub names in GITHUB_STEP_SUMMARY, if any."""
    path = os.environ.get(SUMMARY_ENV)
    if path:
        with Path(path).open("a", encoding="utf-8") as handle:
            handle.write(summary(results))


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
