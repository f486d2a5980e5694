"""What a guard run is given, checked before any check runs: a bad input is one line, exit 2.

A user who points ``--versions`` at an empty folder, ``--output`` at a folder or ``--contract``
at a broken file learns it at once, instead of after every check ran (or from a passing run that
checked nothing). Each function raises :class:`GuardError` with the path and what is wrong.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from backend.db.guard.errors import GuardError

if TYPE_CHECKING:
    from backend.db.schema_contract import Snapshot


def revision_files(folder: Path) -> list[Path]:
    """The revision files Alembic would load from the folder, in name order."""
    return sorted(p for p in folder.glob("*.py") if p.name != "__init__.py")


def check_versions_dir(folder: Path) -> None:
    """The versions folder exists, is a folder and holds at least one revision file.

    An empty folder would pass every check: nothing is linted, migrated or scanned.
    """
    if not folder.exists():
        raise GuardError(f"versions folder not found: {folder}")
    if not folder.is_dir():
        raise GuardError(f"versions folder {folder} is a file, not a folder")
    if not revision_files(folder):
        raise GuardError(f"no revisions in {folder}")


def read_contract(path: Path) -> Snapshot:
    """A schema contract file read as JSON; its path and the position of a syntax error in it."""
    if not path.exists():
        raise GuardError(f"contract file not found: {path}")
    if not path.is_file():
        raise GuardError(f"contract {path} is not a file")
    try:
        snapshot = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise GuardError(
            f"contract {path} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GuardError(f"contract {path} cannot be read: {exc}") from None
    if not isinstance(snapshot, dict):
        raise GuardError(
            f"contract {path} is not a schema contract: a JSON object is expected, "
            f"not {type(snapshot).__name__}"
        )
    return snapshot


def check_report_path(path: Path) -> None:
    """The report can be written to ``path``: it is no folder and no file stands where a folder
    of its path must be (missing folders are created when the report is written)."""
    if path.is_dir():
        raise GuardError(f"cannot write the report to {path}: it is a folder")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise GuardError(f"cannot write the report to {path}: {parent} is a file")
            return
