"""A revision that failed: which one, in which direction, and the error it raised."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from backend.db.urls import error_line

if TYPE_CHECKING:
    from alembic.script import Script


class MigrationFailed(Exception):
    """A revision's upgrade() or downgrade() raised; names the revision and the first error line."""

    def __init__(
        self, script: Script, is_upgrade: bool, error: BaseException, index: int = 0
    ) -> None:
        self.script = script
        self.is_upgrade = is_upgrade
        self.error = error
        self.index = index  # which step of the run failed
        super().__init__(
            f"{'upgrade' if is_upgrade else 'downgrade'} of {script.revision} failed: "
            f"{first_line(error)}"
        )

    @property
    def path(self) -> Path:
        return Path(self.script.path)


def first_line(error: BaseException) -> str:
    """The first meaningful line of an error: for a DB error, Postgres' own message."""
    return error_line(error, with_type=True)
