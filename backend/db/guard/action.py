"""The composite action's one step (action.yml): its inputs as ``migration-guard``'s arguments.

GitHub hands a composite action's inputs to its step as the environment variables the step
names (``INPUT_<NAME>``, dashes as underscores); an empty input means "not given", so the CLI's
own default applies. Everything the action does beyond installing the guard is this mapping.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from backend.db.guard import cli

CHECK_INPUT = "checks"  # the positional argument: lint, dry-run, downgrade-test, security, all
OPTION_INPUTS = {
    "versions": "--versions",
    "postgres": "--postgres",
    "database-url": "--database-url",
    "format": "--format",
    "output": "--output",
    "since": "--since",
}
FLAG_INPUTS = {"comment": "--github-comment"}
# Inputs that are not the CLI's: they set up the step around it.
SETUP_INPUTS = {
    "python-version": "the Python that actions/setup-python installs",
    "github-token": "GITHUB_TOKEN for the pull-request comment",
}


def env_name(name: str) -> str:
    return "INPUT_" + name.upper().replace("-", "_")


def arguments(environ: Mapping[str, str]) -> list[str]:
    """``migration-guard``'s argv for the inputs found in ``environ``."""
    argv = [environ.get(env_name(CHECK_INPUT)) or "all"]
    for name, option in OPTION_INPUTS.items():
        value = environ.get(env_name(name), "").strip()
        if value:
            argv += [option, value]
    for name, flag in FLAG_INPUTS.items():
        if environ.get(env_name(name), "").strip().lower() == "true":
            argv.append(flag)
    return argv


def main() -> None:
    sys.exit(cli.main(arguments(os.environ)))


if __name__ == "__main__":
    main()
