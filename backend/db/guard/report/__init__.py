"""Render check results for people (text, markdown), programs (json) and CI (junit, sarif,
github).

Reporting knows nothing about the checks: it reads :class:`CheckResult`\\ s and nothing else.
"""

from __future__ import annotations

from backend.db.guard.findings import CheckResult
from backend.db.guard.report import github, json_report, junit, markdown, sarif, text

FORMATS = ("text", "json", "junit", "sarif", "github", "markdown")


def render(fmt: str, results: list[CheckResult], run_notes: list[str], as_list: bool) -> str:
    """The report in ``fmt``; ``as_list`` makes the JSON a list even for one check (``all``)."""
    if fmt == "text":
        return text.render_plain(results, run_notes)
    if fmt == "json":
        return json_report.render(results, as_list)
    if fmt == "junit":
        return junit.render(results)
    if fmt == "sarif":
        return sarif.render(results)
    if fmt == "github":
        return github.annotations(results)
    if fmt == "markdown":
        return markdown.render(results, run_notes)
    raise ValueError(f"unknown format {fmt!r}")


__all__ = ["FORMATS", "render"]
