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

from backend.db.guard import github_comment, report, runner, since
from backend.db.guard.checks import CHECK_MODULES
from backend.db.guard.context import GuardContext
from backend.db.guard.errors import EXIT_COULD_NOT_RUN, GuardError
from backend.db.guard.inputs import check_report_path
from backend.db.guard.report import github, markdown, rules, text
from backend.db.migrations_config import VERSIONS_DIR
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
        "files",
        nargs="*",
        type=Path,
        help="revision files to judge (what pre-commit passes: the changed ones); the others "
        "of their folder are the base, as with --since (default --versions: their folder)",
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
        "--since",
        metavar="REF",
        help="judge only the revisions new since REF (a git ref such as origin/main, or a "
        "revision id): the older ones are applied as the base, their own findings not reported",
    )
    p.add_argument(
        "--github-comment",
        action="store_true",
        help="post the markdown report as a pull-request comment, updated in place on every run "
        "(GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH; a refusal is only a warning)",
    )
    p.add_argument(
        "--table-sizes",
        type=Path,
        help="lock-test: a JSON object of table -> production row count (default: the project's "
        "backend/db/table_sizes.json, written by `invoke table-sizes`, else 1,000,000 rows each)",
    )
    p.add_argument(
        "--lock-budget",
        type=_seconds,
        help="lock-test: the longest a migration may block reads or writes on a table, in "
        "seconds (default: lock-budget under [tool.migration-guard] in pyproject.toml, else 1)",
    )
    p.add_argument(
        "--rows",
        type=_positive,
        default=200,
        metavar="N",
        help="data-test: rows per table (default: 200)",
    )
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    return p


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected seconds > 0, got {text!r}")
    return value


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
            versions_dir = _versions_dir(args)
            context = GuardContext.create(
                versions_dir=versions_dir,
                postgres=args.postgres,
                database_url=args.database_url,
                contract_path=args.contract,
                compare_models=args.compare_models,
                since=_since(args, versions_dir),
                table_sizes_path=args.table_sizes,
                lock_budget_s=args.lock_budget,
                data_rows=args.rows,
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
    if args.github_comment:
        _comment(args.check, results, run_notes, err)
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
        github.append_summary(results, run_notes)
    sys.stdout.flush()


def _versions_dir(args) -> Path:
    """``--versions``, else the folder of the files given, else the project's own."""
    if args.versions is not None or not args.files:
        return args.versions or VERSIONS_DIR
    folders = {path.resolve().parent for path in args.files}
    if len(folders) > 1:
        raise GuardError("the files given are in several folders; pass --versions DIR")
    return folders.pop()


def _since(args, versions_dir: Path) -> since.Since | None:
    if args.files and args.since:
        raise GuardError("give revision files or --since, not both")
    if args.files:
        return since.given(args.files, versions_dir)
    return since.resolve(args.since, versions_dir) if args.since else None


def _comment(checks: str, results, run_notes: list[str], err: Console) -> None:
    """Post or update the pull request's comment; a refusal is one warning line, never a
    different exit code (the verdict is the checks', not GitHub's)."""
    try:
        posted = github_comment.post(markdown.render(results, run_notes), checks)
    except github_comment.CommentNotPosted as exc:
        err.print(f"{PROG}: warning: pull-request comment not posted: {exc}", markup=False)
        return
    err.print(f"{PROG}: pull-request comment {posted.action} (id {posted.comment_id})")


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
