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
from typing import IO

from backend.db.deploy.errors import EXIT_ENVIRONMENT, EXIT_OK
from backend.db.deploy.options import COMMANDS, OPTIONS, DeployOptions
from backend.db.deploy.runner import run


def build_parser() -> argparse.ArgumentParser:
    """The CLI's arguments: the command, then every row of :data:`OPTIONS`."""
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
    for option in OPTIONS:
        extra = (
            {"action": "store_true"}
            if option.type is bool
            else {"type": option.type, "default": option.default, "metavar": option.metavar}
        )
        parser.add_argument(
            f"--{option.flag}",
            dest=option.field,
            help=option.help.replace("%", "%%"),  # argparse formats help with %
            **extra,
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
