"""The migration lock: one PostgreSQL advisory lock, so two deploys never migrate at once.

It is a session lock held on a connection of its own for the whole run; when the process dies
(``kill -9``, a lost network) the server ends that session and the lock goes with it, so a
crashed deploy never blocks the next one.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from backend.db.deploy.errors import LockNotAcquired

LOCK_NAME = "cotton-erp:alembic-migrations"


def lock_key(name: str = LOCK_NAME) -> int:
    """A stable signed 64-bit key for ``name`` (advisory locks take a bigint)."""
    digest = hashlib.sha256(name.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


LOCK_KEY = lock_key()


def acquire(
    connection: Connection,
    wait_s: float,
    on_wait: Callable[[], None] = lambda: None,
    poll_s: float = 0.25,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> float:
    """Take the lock on ``connection`` (autocommit), polling up to ``wait_s``; return the wait.

    ``on_wait`` is called once, when the lock is found taken. Raises :class:`LockNotAcquired`
    when another session still holds it after ``wait_s`` seconds.
    """
    started = clock()
    warned = False
    while True:
        taken = connection.execute(
            sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}
        ).scalar_one()
        if taken:
            return clock() - started
        if not warned:
            on_wait()
            warned = True
        waited = clock() - started
        if waited >= wait_s:
            raise LockNotAcquired(
                f"another deploy holds the migration lock ({holder(connection)}); "
                f"gave up after waiting {wait_s:g} s (raise --lock-wait to wait longer)"
            )
        sleep(min(poll_s, max(wait_s - waited, 0.01)))


def release(connection: Connection) -> None:
    """Release the lock (closing the connection would release it too)."""
    connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})


def holder(connection: Connection) -> str:
    """Who holds the lock, as far as pg_locks and pg_stat_activity tell."""
    row = connection.execute(
        sa.text(
            "SELECT a.pid, a.application_name, a.client_addr, a.backend_start "
            "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted "
            "AND l.objsubid = 1 AND ((l.classid::bigint << 32) | l.objid::bigint) = :key"
        ),
        {"key": LOCK_KEY},
    ).first()
    if row is None:
        return "holder unknown"
    app = f" {row.application_name}" if row.application_name else ""
    return f"held by backend pid {row.pid}{app} since {row.backend_start:%H:%M:%S}"
