"""What one deploy run was asked to do: every knob of the CLI and the invoke tasks, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

COMMANDS = ("deploy", "migrate", "verify", "current", "history")


@dataclass
class DeployOptions:
    """Options of one run; the defaults are the production ones.

    ``command`` picks the steps: ``deploy`` = pre-flight, connect, migrate, verify; ``migrate``
    skips the verification; ``verify`` and ``current`` change nothing; ``history`` lists the audit.
    """

    command: str = "deploy"
    database_url: str | None = None  # else DATABASE_URL, else DB_HOST/DB_PORT/DB_USER/...
    versions_dir: Path | None = None  # else the project's versions folder
    contract: Path | None = None  # else the project's contract (only for the project's folder)
    target: str | None = None  # --to REV; default: the single head
    dry_run: bool = False
    strict: bool = False
    allow_downgrade: bool = False
    json_logs: bool = False
    debug: bool = False
    connect_attempts: int = 5
    connect_timeout: float = 30.0  # total seconds for all connection attempts
    lock_wait: float = 300.0  # seconds to wait for another deploy's migration lock
    lock_timeout: str = "5s"  # PostgreSQL lock_timeout of every migration statement
    statement_timeout: str = "10min"
    lock_retries: int = 0  # re-runs of a revision that failed on lock_timeout
    lock_retry_delay: float = 2.0  # first back-off before such a re-run; doubles each time
    adopt_baseline: bool = False  # stamp a database at the old heads onto a rebaselined baseline
