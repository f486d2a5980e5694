"""The rebaseline report for people: what was squashed, the proof, the files moved, what next.

Knows nothing about how the steps ran; renders a :class:`~backend.db.rebaseline.squash.Rebaselined`
or an error with rich.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from backend.db.migrations_config import repo_relative
from backend.db.rebaseline.errors import RebaselineError
from backend.db.rebaseline.squash import Rebaselined


def print_report(result: Rebaselined, console: Console) -> None:
    """The whole report of a successful run (a dry run says that nothing changed)."""
    title = "Rebaseline (dry run: no file changed)" if result.dry_run else "Rebaseline"
    console.rule(f"[bold]{title}")
    console.print(
        f"Squashed [bold]{len(result.squashed)}[/bold] revision(s); old head(s): "
        f"[bold]{', '.join(result.old_heads)}[/bold]"
    )
    console.print(
        f"New baseline: [bold green]{result.rev_id}[/bold green]  ({_shown(result.baseline_file)})"
    )
    for note in result.notes:
        console.print(f"[yellow]note:[/yellow] {note}")

    proof = Table(title="Proof: old chain vs new baseline (fresh databases)", title_justify="left")
    proof.add_column("objects compared")
    proof.add_column("count", justify="right")
    proof.add_column("equal")
    for kind, count in result.counts.items():
        proof.add_row(kind, str(count), "[green]yes[/green]")
    proof.add_row(
        "types, defaults, index and constraint definitions, enum label order",
        "",
        "[green]yes[/green]",
    )
    cycle = [passed for check, passed, _ in result.guard if check == "downgrade-test"]
    proof.add_row(
        "downgrade base leaves nothing; upgrade again identical (guard downgrade-test)",
        "",
        "[green]yes[/green]" if cycle and all(cycle) else "[red]no[/red]",
    )
    console.print(proof)

    guard = Table(title="Guard on the new folder", title_justify="left")
    guard.add_column("check")
    guard.add_column("result")
    guard.add_column("time", justify="right")
    for check, passed, seconds in result.guard:
        guard.add_row(
            check, "[green]passed[/green]" if passed else "[red]failed[/red]", f"{seconds:.2f} s"
        )
    console.print(guard)

    if result.dry_run:
        console.print(
            "Dry run: run [bold]invoke rebaseline[/bold] without --dry-run to archive and install."
        )
    else:
        console.print(
            f"Moved {len(result.moved)} old file(s) to [bold]{_shown(result.archive)}[/bold] "
            "(with README.md and rebaseline.json; Alembic does not load it)"
        )
        console.print(f"Schema contract regenerated: {_shown(result.contract)}")
    console.print(f"Took {result.duration_s:.1f} s")
    console.rule("[bold]Existing databases")
    heads = ", ".join(result.old_heads)
    console.print(
        f"- at the old head(s) {heads}: [bold]invoke deploy --adopt-baseline[/bold] (or "
        "scripts/run_migrations.sh --adopt-baseline) checks the revision and the live schema, "
        f"then stamps {result.rev_id} under the migration lock with an audit row."
    )
    console.print(
        "- at an older revision: upgrade with the release before this rebaseline first "
        "(alembic upgrade heads), then adopt. Stamp after catching up, never just stamp."
    )
    console.print(f"- new databases: nothing to do; upgrade head builds them from {result.rev_id}.")


def print_error(error: RebaselineError, console: Console) -> None:
    """The one-line reason and one line per problem."""
    console.print(f"[bold red]rebaseline:[/bold red] {error}")
    for detail in error.details:
        console.print(f"  - {detail}")


def _shown(path: Path | None) -> str:
    return "-" if path is None else repo_relative(path)
