"""The rebaseline's one exception family; each error carries the exit code the operator sees.

1: the old chain fails, the models and the old chain disagree, the proof failed, or a database
cannot be adopted (each with the list of what differs). 2: the command could not run at all (no
PostgreSQL, no versions folder, an archive folder already there).
"""

from __future__ import annotations

EXIT_FAILED = 1
EXIT_COULD_NOT_RUN = 2


class RebaselineError(Exception):
    """The rebaseline stopped; ``str(error)`` is one line, ``details`` one line per problem."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.details = list(details or [])


class CouldNotRun(RebaselineError):
    """No PostgreSQL, no versions folder, or nothing to squash: nothing was checked."""

    exit_code = EXIT_COULD_NOT_RUN
