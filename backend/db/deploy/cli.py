"""``python -m backend.db.deploy [COMMAND] [OPTIONS] [-- CMD ARGS...]``: the deploy's only edge.

COMMAND is deploy (default), migrate, verify, current or history. After a successful run,
``-- CMD ARGS...`` replaces this process with CMD (a container's entrypoint starts the app
only once its database is migrated and verified).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from backend.db.deploy.errors import EXIT_ENVIRONMENT, EXIT_OK
from backend.db.deploy.options import COMMANDS, DeployOptions
from backend.db.deploy.runner import run


def build_parser() -> argparse.ArgumentParser:
    defaults = DeployOptions()
    parser = argparse.ArgumentParser(
        prog="python -m backend.db.deploy",
        description="Migrate the database to head safely, verify it, and record the run. "
        "Exit 0 success, 1 migration/verification failed, 2 environment/connection failed.",
        epilog="COMMAND: deploy (default) | migrate (no verification) | verify | current | "
        "history. `-- CMD ARGS...` runs CMD after a successful run.",
    )
    parser.add_argument(
        "command", nargs="?", default="deploy", choices=COMMANDS, help="default: deploy"
    )
    parser.add_argument(
        "--database-url",
        help="default: DATABASE_URL, else DB_HOST/DB_PORT/DB_USER/DB_PASSWORD/DB_NAME",
    )
    parser.add_argument(
        "--versions",
        type=Path,
        dest="versions_dir",
        help="versions folder (default: the project's)",
    )
    parser.add_argument(
        "--contract",
        type=Path,
        help="schema contract to verify against (default: the project's, for the project's folder only)",
    )
    parser.add_argument(
        "--to", dest="target", metavar="REV", help="target revision (default: head)"
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print pending revisions and their SQL; apply nothing",
    )
    parser.add_argument(
        "--strict", action="store_true", help="fail when an applied revision's file changed since"
    )
    parser.add_argument(
        "--allow-downgrade", action="store_true", help="allow --to below the current revision"
    )
    parser.add_argument(
        "--adopt-baseline",
        action="store_true",
        help="after a rebaseline: a database at the old head(s) whose schema equals the "
        "contract is stamped to the new baseline (anything else exits 1)",
    )
    parser.add_argument(
        "--json-logs", action="store_true", help="one JSON object per line (Cloud Logging)"
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an unexpected error"
    )
    parser.add_argument("--connect-attempts", type=int, default=defaults.connect_attempts)
    parser.add_argument(
        "--connect-timeout",
        type=float,
        default=defaults.connect_timeout,
        help="total seconds for all attempts",
    )
    parser.add_argument(
        "--lock-wait",
        type=float,
        default=defaults.lock_wait,
        help="seconds to wait for another deploy",
    )
    parser.add_argument(
        "--lock-timeout", default=defaults.lock_timeout, help="PostgreSQL lock_timeout (e.g. 5s)"
    )
    parser.add_argument(
        "--statement-timeout",
        default=defaults.statement_timeout,
        help="PostgreSQL statement_timeout (e.g. 10min)",
    )
    parser.add_argument(
        "--lock-retries",
        type=int,
        default=defaults.lock_retries,
        help="re-runs of a revision that hit lock_timeout",
    )
    parser.add_argument(
        "--lock-retry-delay",
        type=float,
        default=defaults.lock_retry_delay,
        help="first pause before such a re-run (doubles)",
    )
    return parser


def parse(argv: Sequence[str]) -> tuple[DeployOptions, list[str]]:
    """Options and the command to exec afterwards (the words after ``--``)."""
    argv = list(argv)
    then: list[str] = []
    if "--" in argv:
        split = argv.index("--")
        argv, then = argv[:split], argv[split + 1 :]
    args = build_parser().parse_args(argv)
    return DeployOptions(**vars(args)), then


def main(argv: Sequence[str] | None = None, file: IO[str] | None = None) -> int:
    """Run the deploy; exec the command after ``--`` when it succeeded; return the exit code."""
    try:
        options, then = parse(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:  # argparse's own exit: usage errors are environment errors
        return EXIT_ENVIRONMENT if exc.code else EXIT_OK
    code = run(options, file=file)
    if code == EXIT_OK and then:
        sys.stdout.flush()
        os.execvp(then[0], then)
    return code
