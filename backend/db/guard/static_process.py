"""The static checks (lint, security) in a forked process, so they use the second core.

In a thread they competed with the database checks for the GIL (ast walks, bandit, Alembic's
offline mode are Python work); a forked child runs them truly beside the migrations. The child
is forked before the server starts and before any other thread exists. It sends two picklable
messages through a pipe: first the offline SQL the parent's dry-run also needs (made first, so
dry-run does not wait for bandit), then the check results. It leaves with ``os._exit``: it never
runs the parent's atexit handlers, which would stop and delete the parent's embedded PostgreSQL.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass

from backend.db.guard.context import GuardContext
from backend.db.guard.errors import GuardError
from backend.db.guard.findings import CheckResult
from backend.db.guard.revisions import OfflineSql

# Where fork is missing (Windows) or unsafe with system frameworks (macOS), the runner uses a thread.
CAN_FORK = hasattr(os, "fork") and sys.platform.startswith("linux")
_MISSING = object()  # the child died before sending a message
_UNREAD = object()


@dataclass
class StaticOutcome:
    """The child's second message: its check results, or the error that stopped them."""

    results: list[CheckResult]
    error: Exception | None = None


class StaticProcess:
    """A forked child running ``run_static(names, context)``; see the module docstring."""

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
        self._pipe = os.fdopen(read_fd, "rb")
        self._offline_sql: object = None if not with_offline_sql else _UNREAD
        self._outcome: object = _UNREAD
        self._reaped = False

    def offline_sql(self) -> OfflineSql | None:
        """The child's offline SQL (waits for it); None when it has none to give."""
        if self._offline_sql is _UNREAD:
            self._offline_sql = self._receive()
        return None if self._offline_sql is _MISSING else self._offline_sql

    def results(self) -> list[CheckResult] | None:
        """The child's check results; its error (e.g. ruff missing) is raised here, as a thread's
        would be; None when it died without a word (the caller runs the checks itself)."""
        self.offline_sql()  # the first message comes first
        if self._outcome is _UNREAD:
            self._outcome = self._receive()
            self._reap()
        if self._outcome is _MISSING:
            return None
        if self._outcome.error is not None:
            raise self._outcome.error
        return self._outcome.results

    def kill(self) -> None:
        """Stop a child still running (the parent leaves early) and release its pipe."""
        if not self._reaped:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
            self._reap()

    def _receive(self) -> object:
        try:
            return pickle.load(self._pipe)
        except Exception:  # noqa: BLE001 - EOF or a truncated message: the child died
            return _MISSING

    def _reap(self) -> None:
        self._reaped = True
        self._pipe.close()
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


def _child(run_static, names, context: GuardContext, with_offline_sql: bool, write_fd: int):
    code = 1
    try:
        context.postgres.forbid()
        with os.fdopen(write_fd, "wb") as pipe:
            if with_offline_sql:
                # SQL that does not pickle goes as None: the parent makes it itself.
                _send(pipe, context.offline_sql(), lambda exc: None)
            try:
                outcome = StaticOutcome(run_static(names, context))
            except Exception as exc:  # noqa: BLE001 - raised in the parent, as from a thread
                outcome = StaticOutcome([], exc)
            _send(pipe, outcome, _internal_error)
        code = 0
    except BaseException:  # noqa: BLE001, S110 - the parent runs the checks itself instead
        pass
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _send(pipe, message: object, fallback: Callable[[Exception], object]) -> None:
    """Write one message; one that does not pickle is replaced by ``fallback(error)``, a message
    of the kind the parent expects in its place."""
    try:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - e.g. an exception that does not pickle
        data = pickle.dumps(fallback(exc), protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(data)
    pipe.flush()


def _internal_error(exc: Exception) -> StaticOutcome:
    return StaticOutcome([], GuardError(f"internal error: {type(exc).__name__}: {exc}"))
