"""Time one whole process: wall time from spawn to exit, and its peak resident memory."""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    """One timed process. ``peak_rss_mb`` is the process's own peak resident memory (VmHWM),
    without its subprocesses (ruff, bandit, squawk) and the postgres server (daemonised)."""

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
        peak = PeakWatcher(process.pid)
        _, status, _ = os.wait4(process.pid, 0)
        wall_s = time.perf_counter() - started
        peak.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        run = Run(
            wall_s=wall_s,
            peak_rss_mb=peak.kilobytes / 1024,
            returncode=process.returncode,
            stdout=out.read().decode(errors="replace"),
            stderr=err.read().decode(errors="replace"),
        )
    if run.returncode != 0:
        tail = (run.stderr or run.stdout).strip().splitlines()[-5:]
        raise ProcessFailed(f"{' '.join(command)} exited {run.returncode}: " + " | ".join(tail))
    return run


class PeakWatcher:
    """Polls ``/proc/PID/status`` for VmHWM, the kernel's high-water mark of the process's RSS.

    Not ``ru_maxrss`` of wait4/RUSAGE_CHILDREN: on Linux it keeps the RSS the child inherited
    from this (much larger) benchmark process when it forked, so every process reads the same.
    The mark only grows, so polling loses at most the last 10 ms of growth.
    """

    def __init__(self, pid: int) -> None:
        self.kilobytes = 0
        self._path = f"/proc/{pid}/status"
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._done.wait(0.01):
            try:
                with open(self._path, encoding="ascii") as status:
                    for line in status:
                        if line.startswith("VmHWM:"):
                            self.kilobytes = max(self.kilobytes, int(line.split()[1]))
            except (OSError, ValueError):
                continue

    def stop(self) -> None:
        self._done.set()
        self._thread.join()
