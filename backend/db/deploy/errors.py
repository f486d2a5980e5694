"""The deploy's one exception family; each error carries the exit code the operator sees.

0 success (also when there is nothing to do); 1 the migration or the verification failed (a
lock wait given up included); 2 the environment, the pre-flight or the connection failed.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_ENVIRONMENT = 2


class DeployError(Exception):
    """The deploy stopped; ``str(error)`` is one line for the operator and never holds a secret.

    ``differences`` lists what differs (schema or revisions), one line each, printed below it;
    ``groups``, when given, names each one's kind, so that a long list prints as a count by kind.
    """

    exit_code = EXIT_FAILED

    def __init__(
        self,
        message: str,
        revision: str | None = None,
        differences: list[str] | None = None,
        groups: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.revision = revision
        self.differences = list(differences or [])
        self.groups = list(groups) if groups else None


class PreflightError(DeployError):
    """No usable URL, no Alembic config or versions folder, or a revision graph without one head."""

    exit_code = EXIT_ENVIRONMENT


class ConnectionFailed(DeployError):
    """The database could not be reached within the configured attempts and time."""

    exit_code = EXIT_ENVIRONMENT


class UnknownRevision(DeployError):
    """The database is at a revision this code does not know (ahead of the code, or a branch)."""

    exit_code = EXIT_ENVIRONMENT


class RefusedDowngrade(DeployError):
    """A downgrade was asked for without ``--allow-downgrade``."""

    exit_code = EXIT_ENVIRONMENT


class LockNotAcquired(DeployError):
    """Another deploy held the migration lock for longer than ``--lock-wait``."""

    exit_code = EXIT_FAILED


class MigrationFailed(DeployError):
    """A revision failed; its transaction was rolled back and earlier revisions are kept."""

    exit_code = EXIT_FAILED


class ChecksumMismatch(DeployError):
    """An applied revision's file changed since it was applied (only fatal with ``--strict``)."""

    exit_code = EXIT_FAILED


class VerificationFailed(DeployError):
    """After migrating, the database is not at the target or differs from the schema contract."""

    exit_code = EXIT_FAILED
