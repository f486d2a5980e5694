"""External tools (ruff, squawk) as processes that print JSON: started early and collected late
(``start``), or run to the end (``run_json``) when there is nothing to overlap with.

Ruff starts before lint's own ast work and is collected at the end, so its start-up time
(binary load) overlaps with the check instead of adding to it.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from backend.db.guard.errors import GuardError


@dataclass
class Background:
    """A started tool: its name (for errors) and the process."""

    tool: str
    process: subprocess.Popen[str]

    def json_output(self) -> object:
        """Wait for the tool and parse its JSON standard output; GuardError when it broke."""
        stdout, stderr = self.process.communicate()
        try:
            return json.loads(stdout or "null")
        except json.JSONDecodeError:
            detail = (stderr or stdout or "").strip().splitlines()[-1:] or ["no output"]
            raise GuardError(
                f"{self.tool} failed (exit {self.process.returncode}): {detail[0]}"
            ) from None


def start(tool: str, args: list[str], cwd: Path | None = None) -> Background:
    """Start ``args`` with captured text output; GuardError when the program is missing."""
    try:
        process = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,
        )
    except OSError as exc:
        raise GuardError(f"cannot start {tool}: {exc}") from None
    return Background(tool, process)


def run_json(tool: str, args: list[str], cwd: Path | None = None) -> object:
    """Run ``args`` to the end and parse its JSON output; GuardError as for ``start``."""
    return start(tool, args, cwd).json_output()
