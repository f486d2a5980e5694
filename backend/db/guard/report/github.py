"""GitHub Actions: ``::error``/``::warning`` annotations and the markdown job summary."""

from __future__ import annotations

import os
from pathlib import Path

from backend.db.guard.findings import CheckResult, Severity
from backend.db.guard.report import markdown

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


def summary(results: list[CheckResult], run_notes: list[str] = ()) -> str:
    """The job summary: the markdown report a pull request's comment shows too."""
    return markdown.render(results, run_notes)


def append_summary(results: list[CheckResult], run_notes: list[str] = ()) -> None:
    """Append the summary to the file GitHub names in GITHUB_STEP_SUMMARY, if any."""
    path = os.environ.get(SUMMARY_ENV)
    if path:
        with Path(path).open("a", encoding="utf-8") as handle:
            handle.write(summary(results, run_notes))


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
