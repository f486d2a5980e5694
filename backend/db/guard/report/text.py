"""Text for people, with rich: findings, a status line per check, step times, notes, Postgres."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape

from backend.db.guard.findings import CheckResult, Severity


def print_report(results: list[CheckResult], run_notes: list[str], console: Console) -> None:
    for result in results:
        for finding in result.findings:
            colour = "red" if finding.severity is Severity.ERROR else "yellow"
            console.print(
                f"{escape(finding.where)} [{colour}]{escape(finding.rule)}[/{colour}] "
                f"{escape(finding.message)}"
            )
            console.print(f"    [dim]hint:[/dim] {escape(finding.hint)}")
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


def render_plain(results: list[CheckResult], run_notes: list[str]) -> str:
    """The same report as plain text (for ``--output``)."""
    buffer = io.StringIO()
    print_report(
        results, run_notes, Console(file=buffer, width=120, no_color=True, highlight=False)
    )
    return buffer.getvalue()
