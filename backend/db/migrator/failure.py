"""A revision that failed: which one, in which direction, the error, and where it happened.

A failure is located at the ``op.*`` call whose statement PostgreSQL rejected (the innermost
traceback frame in the revision file), not at ``def upgrade()``, and it keeps PostgreSQL's
DETAIL, which often names the data at fault ("Key (code)=(A1) is duplicated.").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from backend.db.urls import error_line, mask_text

if TYPE_CHECKING:
    from alembic.script import Script


@dataclass(frozen=True)
class FailureLocation:
    """Where a revision failed and what PostgreSQL said, as one value every caller reports.

    ``line`` is the line of the failing ``op.*`` call, or None when no frame of the revision
    ran (e.g. an error at COMMIT); ``detail`` is PostgreSQL's DETAIL, when it gave one.
    """

    revision: str
    is_upgrade: bool
    path: Path
    line: int | None
    message: str
    detail: str | None = None
    sqlstate: str | None = None

    @property
    def direction(self) -> str:
        return "upgrade" if self.is_upgrade else "downgrade"

    @property
    def error(self) -> str:
        """PostgreSQL's message and its DETAIL on one line, as psql shows them on two."""
        return f"{self.message}; DETAIL: {self.detail}" if self.detail else self.message

    def where(self, shown_path: str | None = None) -> str:
        """``path:line`` (``path`` when the line is unknown), with ``shown_path`` for the path."""
        path = shown_path or str(self.path)
        return f"{path}:{self.line}" if self.line else path


class MigrationFailed(Exception):
    """A revision's upgrade() or downgrade() raised; names the revision and the first error line."""

    def __init__(
        self, script: Script, is_upgrade: bool, error: BaseException, index: int = 0
    ) -> None:
        self.script = script
        self.is_upgrade = is_upgrade
        self.error = error
        self.index = index  # which step of the run failed
        self.location = locate(script, is_upgrade, error)
        super().__init__(
            f"{'upgrade' if is_upgrade else 'downgrade'} of {script.revision} failed: "
            f"{first_line(error)}"
        )

    @property
    def path(self) -> Path:
        return Path(self.script.path)


def locate(script: Script, is_upgrade: bool, error: BaseException) -> FailureLocation:
    """Where ``error``, raised by ``script``'s upgrade() or downgrade(), comes from."""
    path = Path(script.path)
    diag = getattr(getattr(error, "orig", None), "diag", None)
    primary = getattr(diag, "message_primary", None)
    detail = getattr(diag, "message_detail", None)
    return FailureLocation(
        revision=script.revision,
        is_upgrade=is_upgrade,
        path=path,
        line=_line_in_file(error, path),
        message=mask_text(primary) if primary else first_line(error),
        detail=mask_text(detail) if detail else None,
        sqlstate=getattr(getattr(error, "orig", None), "pgcode", None),
    )


def first_line(error: BaseException) -> str:
    """The first meaningful line of an error: for a DB error, Postgres' own message."""
    return error_line(error, with_type=True)


def _line_in_file(error: BaseException, path: Path) -> int | None:
    """The innermost traceback line in ``path``: the ``op.*`` call, even when the statement
    failed deep inside Alembic or a helper."""
    wanted = path.resolve()
    found = None
    tb = error.__traceback__
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename).resolve() == wanted:
            found = tb.tb_lineno
        tb = tb.tb_next
    return found
