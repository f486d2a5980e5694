"""Which line of a revision file is running: the innermost frame inside the versions folder.

A statement is emitted deep inside Alembic and SQLAlchemy; the line a user must change is the
``op.*`` call in the revision that led there. The live stack is searched when a
statement runs or is written offline (a failed one is placed from its traceback, see failure).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from alembic.script import ScriptDirectory


@dataclass(frozen=True)
class SourceLine:
    """A line of a file in the versions folder."""

    path: Path
    line: int


class VersionsFolder:
    """The folders of a ScriptDirectory's revision files, asked whether a frame runs in them."""

    def __init__(self, scripts: ScriptDirectory) -> None:
        self.folders = tuple(Path(folder).resolve() for folder in scripts._version_locations)
        self._inside: dict[str, bool] = {}  # co_filename -> inside a folder; resolved once

    def contains(self, filename: str) -> bool:
        inside = self._inside.get(filename)
        if inside is None:
            resolved = Path(filename).resolve()
            inside = any(resolved.is_relative_to(folder) for folder in self.folders)
            self._inside[filename] = inside
        return inside

    def caller(self, frame: FrameType | None = None) -> SourceLine | None:
        """The innermost frame of the current stack (from ``frame`` outwards) in the folder."""
        frame = frame or sys._getframe(1)
        while frame is not None:
            if self.contains(frame.f_code.co_filename):
                return SourceLine(Path(frame.f_code.co_filename), frame.f_lineno)
            frame = frame.f_back
        return None
