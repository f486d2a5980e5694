"""The static checks (lint, security) in a forked process, so they use the second core.

In a thread they competed with the database checks for the GIL (ast walks, bandit, Alembic's
offline mode are Python work); a forked child runs them truly beside the migrations. The child
is forked before the server starts and before any other thread exists, sends back picklable
results (check results and the offline SQL the parent's dry-run also needs) through a pipe, and
leaves with ``os._exit``: it never runs the parent's atexit handlers, which would stop and
delete the parent's embedded PostgreSQL.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from dataclasses import dataclass

from backend.db.guard.context import GuardContext, OfflineSql
from backend.db.guard.errors import GuardError
from backend.db.guard.findings import CheckResult

# Where fork is missing (Windows) or unsafe with system frameworks (macOS), the runner uses a thread.
CAN_FORK = hasattr(os, "fork") and sys.platform.startswith("linux")


@dataclass
class StaticOutcome:
    """What the child sends back: its check results and, when asked for, the offline SQL."""

    results: list[CheckResult]
    offline_sql: OfflineSql | None
    error: Exception | None = None


class StaticProcess:
    """A forked child running ``run_static(names, context)``; collect with :meth:`outcome`."""

    def __init__(
        self,
        run_static: Callable[[list[str], GuardContext], list[CheckResult]],
        names: list[str],
        context: GuardContext,
        with_offline_sql: bool,
    ) -> None:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(read_fd)
            _child(run_static, names, context, with_offline_sql, write_fd)
        os.close(write_fd)
        self.pid = pid
        self._read_fd = read_fd
        self._outcome: StaticOutcome | None = None
        self._collected = False

    def outcome(self) -> StaticOutcome | None:
        """Wait for the child; its outcome, or None when it died without sending one."""
        if not self._collected:
            self._collected = True
            with os.fdopen(self._read_fd, "rb") as pipe:
                data = pipe.read()
            os.waitpid(self.pid, 0)
            try:
                self._outcome = pickle.loads(data) if data else None
            except Exception:  # noqa: BLE001 - a truncated message: the child died mid-write
                self._outcome = None
        return self._outcome

    def results(self) -> list[CheckResult] | None:
        """The child's check results; its error (e.g. ruff missing) is raised here, as a thread's
        would be; None when it died without a word (the caller runs the checks itself)."""
        outcome = self.outcome()
        if outcome is None:
            return None
        if outcome.error is not None:
            raise outcome.error
        return outcome.results

    def offline_sql(self) -> OfflineSql | None:
        outcome = self.outcome()
        return outcome.offline_sql if outcome is not None else None

    def kill(self) -> None:
        """Stop a child still running (the parent is leaving early)."""
        if self._collected:
            return
        self._collected = True
        try:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        os.close(self._read_fd)


def _child(run_static, names, context: GuardContext, with_offline_sql: bool, write_fd: int):
    code = 1
    try:
        context.forbid_server()
        try:
            results = run_static(names, context)
            outcome = StaticOutcome(results, context.offline_sql() if with_offline_sql else None)
        except Exception as exc:  # noqa: BLE001 - raised in the parent, as from a thread
            outcome = StaticOutcome([], None, exc)
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - an exception that does not pickle
            error = GuardError(f"internal error: {type(exc).__name__}: {exc}")
            data = pickle.dumps(StaticOutcome([], None, error))
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(data)
        code = 0
    except BaseException:  # noqa: BLE001, S110 - the parent runs the checks itself instead
        pass
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
