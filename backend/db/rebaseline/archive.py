"""Step 5: move the old revision files out of Alembic's sight, next to a README and a record.

The archive is ``<migrations>/versions_archive_<YYYYMMDD_HHMMSS>/``: a sibling of ``versions/``,
outside ``version_locations``, so Alembic never loads it and the guard never lints it. It keeps
the old files for ``git log`` archaeology and for anyone who must still catch a database up with
the old code.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from backend.db.migrations_config import script_directory
from backend.db.rebaseline.errors import CouldNotRun, RebaselineError

ARCHIVE_PREFIX = "versions_archive_"
RECORD_FILE = "rebaseline.json"


@dataclass(frozen=True)
class Archived:
    folder: Path
    moved: tuple[Path, ...]


def archive_folder(migrations_dir: Path, now: datetime) -> Path:
    """Where this run's archive goes; refuses to reuse a folder."""
    folder = migrations_dir / f"{ARCHIVE_PREFIX}{now:%Y%m%d_%H%M%S}"
    if folder.exists():
        raise CouldNotRun(f"archive folder already exists: {folder}")
    return folder


def archive(
    old_files: tuple[Path, ...],
    versions_dir: Path,
    folder: Path,
    new_baseline: Path,
    rev_id: str,
    old_heads: tuple[str, ...],
    old_revisions: tuple[str, ...],
    now: datetime,
) -> Archived:
    """Move ``old_files`` into ``folder`` with a README and ``rebaseline.json``, then put the new
    baseline (revision ``rev_id``) into ``versions_dir``; check that Alembic sees only it there."""
    folder.mkdir(parents=True)
    moved = _move_all(old_files, folder)
    # Stale bytecode of the moved modules would otherwise sit beside the new baseline.
    shutil.rmtree(versions_dir / "__pycache__", ignore_errors=True)
    installed = versions_dir / new_baseline.name
    shutil.copy2(new_baseline, installed)
    record = {
        "new_baseline": rev_id,
        "new_baseline_file": installed.name,
        "old_heads": list(old_heads),
        "old_revisions": list(old_revisions),
        "archived_at": now.isoformat(timespec="seconds"),
    }
    (folder / RECORD_FILE).write_text(json.dumps(record, indent=2) + "\n")
    (folder / "README.md").write_text(_readme(rev_id, old_heads, len(old_revisions)))
    _check_alembic_sees_only(versions_dir, rev_id)
    return Archived(folder, tuple(moved))


def _move_all(old_files: tuple[Path, ...], folder: Path) -> list[Path]:
    """Move every file or none: a half-moved history would leave Alembic with a broken chain."""
    moved: list[tuple[Path, Path]] = []
    try:
        for path in old_files:
            target = folder / path.name
            shutil.move(str(path), target)
            moved.append((path, target))
    except OSError as exc:
        for source, target in reversed(moved):
            shutil.move(str(target), source)
        shutil.rmtree(folder, ignore_errors=True)
        raise CouldNotRun(
            f"could not archive {exc.filename}: {exc.strerror}; nothing moved"
        ) from None
    return [target for _, target in moved]


def _check_alembic_sees_only(versions_dir: Path, rev_id: str) -> None:
    revisions = [script.revision for script in script_directory(versions_dir).walk_revisions()]
    if revisions != [rev_id]:
        raise RebaselineError(
            f"after archiving, Alembic sees {revisions} in {versions_dir}, expected only {rev_id}"
        )


def _readme(rev_id: str, old_heads: tuple[str, ...], count: int) -> str:
    heads = ", ".join(f"`{head}`" for head in old_heads)
    return f"""# Archived migrations (squashed into `{rev_id}`)

These {count} revision files were squashed by `invoke rebaseline` into the baseline `{rev_id}`
in `../versions/`. Alembic does not load this folder (it is outside `version_locations`) and
the migration guard does not lint it. Do not edit or move files back.

Old head(s): {heads}

## Existing databases

- At the old head(s) above, with the schema of the contract: run
  `invoke deploy --adopt-baseline` (or `scripts/run_migrations.sh --adopt-baseline`). It checks
  the revision and the live schema, then stamps `{rev_id}` under the migration lock and writes
  an audit row (action `stamped`).
- At an older revision: upgrade it with the code of the release before the rebaseline first
  (`alembic upgrade heads`), then adopt. Stamp after catching up, never just stamp.
- New databases: nothing to do, `upgrade head` builds them from `{rev_id}`.

`{RECORD_FILE}` holds the same facts for tools.
"""
