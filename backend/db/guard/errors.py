"""The guard's one exception family: raised when a check cannot run at all (exit code 2)."""

EXIT_COULD_NOT_RUN = 2


class GuardError(Exception):
    """The guard could not run (bad arguments, unreadable folder, no Postgres); exit code 2."""

    exit_code = EXIT_COULD_NOT_RUN
