"""Render check results for people (text), programs (json) and CI (junit, sarif, github).

Reporting knows nothing about the checks: it reads :class:`CheckResult`\\ s and nothing else.
"""

from __future__ import annotations

from backend.db.guard.findings import CheckResult
from backend.db.guard.report import github, json_report, junit, sarif, text

FORMATS = ("text", "json", "junit", "sarif", "github")


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
    raise ValueError(f"unknown format {fmt!r}")


__all__ = ["FORMATS", "render"]
