"""Text for people, with rich: findings, a status line per check, step times, notes, Postgres."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape

from backend.db.guard.findings import CheckResult, Finding, Severity
from backend.db.schema_contract import MANY_DIFFERENCES, abridge

EVERY_ONE = "every one with --format json or sarif"


def print_report(results: list[CheckResult], run_notes: list[str], console: Console) -> None:
    for result in results:
        _print_findings(result.findings, console)
        status = "[green]passed[/green]" if result.ok else "[red bold]FAILED[/red bold]"
        console.print(
            f"[bold]{escape(result.check)}[/bold]: {status} ({result.errors} error(s), "
            f"{result.warnings} warning(s)) in {result.duration_s:.2f} s"
        )
        for name, seconds in result.steps:
            console.print(f"    {seconds:6.2f} s  {escape(name)}", style="dim")
        for note in result.notes:
            console.print(f"    note: {escape(note)}", style="dim")
    for note in run_notes:
        console.print(escape(note), style="dim")
    failed = [result.check for result in results if not result.ok]
    if len(results) > 1:
        verdict = (
            f"[red bold]FAILED: {', '.join(failed)}[/red bold]"
            if failed
            else "[green]all passed[/green]"
        )
        total = sum(result.duration_s for result in results)
        console.print(f"migration-guard: {verdict} (checks took {total:.2f} s)")


def _print_findings(findings: list[Finding], console: Console) -> None:
    """Every finding in order; a rule with many grouped findings as a count by kind and a few.

    495 ``schema-matches-contract`` lines bury the one that matters; JSON and SARIF keep all.
    """
    by_rule: dict[str, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    abridged = {
        rule
        for rule, alike in by_rule.items()
        if len(alike) > MANY_DIFFERENCES and all(f.group for f in alike)
    }
    for finding in findings:
        if finding.rule not in abridged:
            _print_finding(finding, console)
        elif finding is by_rule[finding.rule][0]:
            alike = by_rule[finding.rule]
            summary, *entries = abridge([f.group for f in alike], "findings", EVERY_ONE)
            console.print(
                f"{escape(finding.path)} [bold]{escape(finding.rule)}[/bold] {escape(summary)}"
            )
            for entry in entries:
                if isinstance(entry, str):
                    console.print(f"    {escape(entry)}")
                else:
                    _print_finding(alike[entry], console)


def _print_finding(finding: Finding, console: Console) -> None:
    colour = "red" if finding.severity is Severity.ERROR else "yellow"
    console.print(
        f"{escape(finding.where)} [{colour}]{escape(finding.rule)}[/{colour}] "
        f"{escape(finding.message)}"
    )
    console.print(f"    [dim]hint:[/dim] {escape(finding.hint)}")


def render_plain(results: list[CheckResult], run_notes: list[str]) -> str:
    """The same report as plain text (for ``--output``)."""
    buffer = io.StringIO()
    print_report(
        results, run_notes, Console(file=buffer, width=120, no_color=True, highlight=False)
    )
    return buffer.getvalue()
