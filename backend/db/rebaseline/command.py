"""The edge of ``invoke rebaseline``: start PostgreSQL, run, print the report, return the exit code."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from backend.db.migrations_config import MIGRATIONS_DIR, SCHEMA_CONTRACT, VERSIONS_DIR
from backend.db.postgres import ProviderError, postgres_server
from backend.db.rebaseline.errors import EXIT_COULD_NOT_RUN, RebaselineError
from backend.db.rebaseline.report import print_error, print_report
from backend.db.rebaseline.squash import rebaseline
from backend.db.urls import mask_text


def run(
    message: str | None = None,
    rev_id: str | None = None,
    dry_run: bool = False,
    postgres: str = "auto",
    database_url: str | None = None,
    versions_dir: Path = VERSIONS_DIR,
    migrations_dir: Path = MIGRATIONS_DIR,
    contract_path: Path = SCHEMA_CONTRACT,
    console: Console | None = None,
) -> int:
    """Rebaseline the project's (or the given) folder; 0 done, 1 refused, 2 could not run."""
    console = console or Console(highlight=False)
    try:
        with postgres_server(postgres, database_url) as server:
            console.print(f"[dim]rebaseline: using {server.describe()}[/dim]")
            result = rebaseline(
                server,
                versions_dir,
                migrations_dir,
                contract_path,
                rev_id=rev_id,
                message=message,
                dry_run=dry_run,
            )
    except ProviderError as exc:
        console.print(f"[bold red]rebaseline:[/bold red] {mask_text(str(exc), database_url)}")
        return EXIT_COULD_NOT_RUN
    except RebaselineError as exc:
        print_error(exc, console)
        return exc.exit_code
    print_report(result, console)
    return 0
