"""``migration-guard``: the only edge of the guard. Parses arguments, runs, reports, exits.

Exit codes: 0 passed (warnings alone pass), 1 an error finding, 2 the guard could not run (one
line on stderr: ``migration-guard: <reason>``; ``--debug`` adds the traceback).
"""

from __future__ import annotations

import argparse
import signal
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console

from backend.db.guard import report, runner
from backend.db.guard.checks import CHECK_MODULES
from backend.db.guard.context import GuardContext
from backend.db.guard.errors import EXIT_COULD_NOT_RUN, GuardError
from backend.db.guard.inputs import check_report_path
from backend.db.guard.report import github, rules, text
from backend.db.postgres import POSTGRES_MODES
from backend.db.urls import mask_text

PROG = "migration-guard"
EXIT_PASSED, EXIT_FINDINGS = 0, 1
# Formats whose document goes to stdout and must stay parseable there.
MACHINE_FORMATS = ("json", "junit", "sarif")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Check Alembic migrations: lint, dry-run on a fresh PostgreSQL, downgrade "
        "test (full cycle and stairway) and security. Exit 0 passed, 1 findings, 2 could not run.",
    )
    p.add_argument(
        "check",
        choices=[*CHECK_MODULES, "all", "rules"],
        help="which check to run (rules: list every rule the guard reports)",
    )
    p.add_argument(
        "--versions",
        type=Path,
        help="a folder of revision files (a chain from base) to check with the project's env.py "
        "(default: the project's own); for a foreign folder the schema contract and model drift "
        "steps are skipped unless --contract / --compare-models ask for them",
    )
    p.add_argument("--database-url", help="a PostgreSQL server to create scratch databases on")
    p.add_argument(
        "--postgres",
        choices=POSTGRES_MODES,
        default="auto",
        help="where PostgreSQL comes from: auto (URL, else Docker, else embedded), url, docker, "
        "embedded (default: auto)",
    )
    p.add_argument("--format", choices=report.FORMATS, default="text", help="report format")
    p.add_argument(
        "--output", type=Path, help="write the report to this file (a text summary still prints)"
    )
    p.add_argument(
        "--contract",
        type=Path,
        help="dry-run: compare the migrated schema with this contract JSON (default: the "
        "project's backend/db/schema_contract.json, for the project's own folder only)",
    )
    p.add_argument(
        "--compare-models",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="dry-run: compare the migrated schema with the project's models (default: only for "
        "the project's own folder)",
    )
    p.add_argument(
        "--rows",
        type=_positive,
        default=200,
        metavar="N",
        help="data-test: rows per table (default: 200)",
    )
    p.add_argument(
        "--since",
        metavar="REV",
        help="data-test: rehearse only the revisions after this revision id (it and older ones "
        "are applied in one go, with their rows)",
    )
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    return p


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of rows, 1 or more: {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    """Run the guard as the command line asks; return the exit code (tests call this)."""
    args = parser().parse_args(argv)
    if args.check == "rules":
        return _list_rules(args)
    names = list(CHECK_MODULES) if args.check == "all" else [args.check]
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    context = None
    try:
        with _sigterm_as_exit():
            if args.output is not None:
                check_report_path(args.output)  # before the checks, not after them
            context = GuardContext(
                versions_dir=args.versions or GuardContext.versions_dir,
                postgres=args.postgres,
                database_url=args.database_url,
                contract_path=args.contract,
                compare_models=args.compare_models,
                data_rows=args.rows,
                data_since=args.since,
                progress=lambda message: err.print(f"[dim]{PROG}: {message}[/dim]"),
            )
            results = runner.run(names, context)
            run_notes = list(context.run_notes)
    except GuardError as exc:
        return _could_not_run(str(exc), args, code=exc.exit_code)
    except KeyboardInterrupt:
        return _could_not_run("interrupted", args, code=130)
    except Exception as exc:  # noqa: BLE001 - an internal error still exits 2 with one line
        return _could_not_run(f"internal error: {type(exc).__name__}: {exc}", args)
    finally:
        if context is not None:
            context.close()
    _emit(args, results, run_notes, as_list=args.check == "all")
    return EXIT_PASSED if all(result.ok for result in results) else EXIT_FINDINGS


def _emit(args, results, run_notes: list[str], as_list: bool) -> None:
    out = Console(highlight=False, soft_wrap=True)
    document = report.render(args.format, results, run_notes, as_list)
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(document)
        text.print_report(results, run_notes, out)
    elif args.format == "text":
        text.print_report(results, run_notes, out)
    else:
        sys.stdout.write(document)
    if github.in_github_actions():
        if args.format != "github" or args.output is not None:
            # Annotations on stdout would corrupt a JSON/XML document printed there.
            stream = (
                sys.stderr if args.format in MACHINE_FORMATS and not args.output else sys.stdout
            )
            stream.write(github.annotations(results))
        github.append_summary(results)
    sys.stdout.flush()


def _list_rules(args) -> int:
    """``migration-guard rules [--format text|json] [--output FILE]``: the rule registry."""
    try:
        document = rules.render(args.format)
    except ValueError as exc:
        return _could_not_run(str(exc), args)
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(document)
    else:
        sys.stdout.write(document)
    return EXIT_PASSED


def _could_not_run(reason: str, args, code: int = EXIT_COULD_NOT_RUN) -> int:
    if args.debug:
        traceback.print_exc()
    line = mask_text(reason, args.database_url).strip().splitlines()
    print(f"{PROG}: {line[0] if line else 'could not run'}", file=sys.stderr)
    return code


@contextmanager
def _sigterm_as_exit() -> Iterator[None]:
    """Turn SIGTERM (CI cancelling a job) into SystemExit so that ``finally`` stops Postgres."""

    def terminate(signum, frame) -> None:
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, terminate)
    except ValueError:  # not the main thread (e.g. called from a test runner's worker thread)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def console_main() -> None:
    sys.exit(main())


if __name__ == "__main__":
    console_main()
