"""The audit trail: one row per revision applied, rolled back or failed, in ``migration_audit``.

Who deployed what and when, and the SHA-256 of each revision file as it was applied: a file
edited after it reached production (its change would never run there) is detected on the next
deploy. The table belongs to the deploy, not to the models (env.py and the schema contract
exclude it), and is created by the deploy itself.
"""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

TABLE = "migration_audit"
ACTIONS = ("applied", "rolled_back", "failed", "stamped")

CREATE_TABLE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id bigserial PRIMARY KEY,
    revision varchar(64) NOT NULL,
    checksum char(64),
    action varchar(16) NOT NULL CHECK (action IN ('applied', 'rolled_back', 'failed', 'stamped')),
    started_at timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    duration_ms integer NOT NULL,
    deployed_by text,
    host text,
    build_id text,
    error text
)
"""

_INSERT = sa.text(
    f"INSERT INTO {TABLE} (revision, checksum, action, started_at, finished_at, duration_ms, "
    "deployed_by, host, build_id, error) VALUES (:revision, :checksum, :action, :started_at, "
    ":finished_at, :duration_ms, :deployed_by, :host, :build_id, :error)"
)


@dataclass(frozen=True)
class Deployer:
    """Who runs the deploy, from the environment (never a credential)."""

    deployed_by: str | None
    host: str | None
    build_id: str | None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Deployer:
        return cls(
            deployed_by=env.get("DEPLOYED_BY") or env.get("USER") or env.get("LOGNAME"),
            host=env.get("HOSTNAME") or socket.gethostname(),
            build_id=env.get("BUILD_ID") or env.get("GITHUB_RUN_ID"),
        )


@dataclass(frozen=True)
class ChangedRevision:
    """An applied revision whose file no longer has the checksum it was applied with."""

    revision: str
    applied_checksum: str
    current_checksum: str
    applied_at: datetime


def ensure_table(connection: Connection) -> None:
    """Create the audit table if it is not there yet (idempotent)."""
    connection.execute(sa.text(CREATE_TABLE))


def table_exists(connection: Connection) -> bool:
    return bool(
        connection.execute(
            sa.text("SELECT to_regclass(:name) IS NOT NULL"), {"name": TABLE}
        ).scalar_one()
    )


def file_checksum(path: str | Path) -> str:
    """SHA-256 of a revision file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def record(
    connection: Connection,
    revision: str,
    checksum: str | None,
    action: str,
    started_at: datetime,
    finished_at: datetime,
    deployer: Deployer,
    error: str | None = None,
) -> None:
    """Insert one row; inside a revision's transaction it commits or rolls back with it."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    connection.execute(
        _INSERT,
        {
            "revision": revision,
            "checksum": checksum,
            "action": action,
            "started_at": started_at,
            "finished_at": finished_at,
            "duration_ms": round((finished_at - started_at).total_seconds() * 1000),
            "deployed_by": deployer.deployed_by,
            "host": deployer.host,
            "build_id": deployer.build_id,
            "error": error,
        },
    )


def changed_revisions(connection: Connection, scripts: ScriptDirectory) -> list[ChangedRevision]:
    """Applied revisions (last audit action ``applied``) whose file's checksum differs now."""
    if not table_exists(connection):
        return []
    rows = connection.execute(
        sa.text(
            f"SELECT DISTINCT ON (revision) revision, checksum, action, finished_at "
            f"FROM {TABLE} WHERE action IN ('applied', 'rolled_back') "
            "ORDER BY revision, id DESC"
        )
    ).all()
    by_id = {script.revision: script for script in scripts.walk_revisions()}
    changed = []
    for row in rows:
        if row.action != "applied" or not row.checksum:
            continue
        script = by_id.get(row.revision)
        if script is None or script.path is None:
            continue  # an unknown revision is the pre-flight's business, not a checksum matter
        now = file_checksum(script.path)
        if now != row.checksum:
            changed.append(ChangedRevision(row.revision, row.checksum, now, row.finished_at))
    return changed


def history(connection: Connection, limit: int = 50) -> list[sa.Row]:
    """The newest ``limit`` audit rows, newest first (empty when the table does not exist)."""
    if not table_exists(connection):
        return []
    return list(
        connection.execute(
            sa.text(
                "SELECT id, revision, action, started_at, duration_ms, deployed_by, host, "
                f"build_id, left(checksum, 12) AS checksum, error FROM {TABLE} "
                "ORDER BY id DESC LIMIT :limit"
            ),
            {"limit": limit},
        ).all()
    )
