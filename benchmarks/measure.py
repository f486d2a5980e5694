"""Time one whole process: wall time from spawn to exit, and its peak resident memory."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    """One timed process. ``peak_rss_mb`` is the largest of the process and the children it
    waited for (ruff, bandit, squawk); the postgres server, daemonised by pg_ctl, is not counted."""

    wall_s: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


class ProcessFailed(RuntimeError):
    """A timed process exited non-zero: its time would measure an early exit, not the work."""


def run_process(command: list[str], env: dict[str, str], cwd: str) -> Run:
    """Run ``command`` to completion; raise :class:`ProcessFailed` unless it exits 0."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=err)
        # wait4 (not wait) to get this child's own rusage: RUSAGE_CHILDREN would mix all runs.
        _, status, usage = os.wait4(process.pid, 0)
        wall_s = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        run = Run(
            wall_s=wall_s,
            peak_rss_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
            returncode=process.returncode,
            stdout=out.read().decode(errors="replace"),
            stderr=err.read().decode(errors="replace"),
        )
    if run.returncode != 0:
        tail = (run.stderr or run.stdout).strip().splitlines()[-5:]
        raise ProcessFailed(f"{' '.join(command)} exited {run.returncode}: " + " | ".join(tail))
    return run
