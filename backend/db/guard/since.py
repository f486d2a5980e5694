"""``--since REF``: which revisions a pull request adds, so the guard judges those alone.

A pull request is reviewed for what it changes: the revisions already on the target branch went
through the guard when they were merged, and a finding in them is noise in every later pull
request. ``resolve`` splits the folder's revisions into ``old`` (the base the new ones build on)
and ``new`` (judged):

* ``REF`` a revision id of the folder: that revision and its ancestors are old;
* otherwise ``REF`` a git ref (``origin/main``, a commit): the revisions whose files exist at
  ``REF`` (``git ls-tree``) are old.

Either way a revision with a new ancestor is new too (a file moved under a new revision has
changed), so the old revisions are always a base the new ones can be applied on top of. Git runs
as a subprocess (no library); a ref git does not know is a :class:`GuardError` (exit 2): the
guard cannot tell what is new, and judging everything instead would be a different verdict.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from backend.db.guard.errors import GuardError
from backend.db.guard.inputs import check_versions_dir, revision_files
from backend.db.guard.revision_source import parse_revision


@dataclass(frozen=True)
class Since:
    """The split of one versions folder at ``ref``: revision ids and the new revisions' files."""

    ref: str
    old: frozenset[str]
    new: frozenset[str]
    new_files: frozenset[Path]

    def is_new_file(self, path: str | Path) -> bool:
        """Whether ``path`` is a new revision file (files without a revision id count by
        whether they existed at ``ref``)."""
        return Path(path).resolve() in self.new_files

    def describe(self) -> str:
        """The note the checks add: how many revisions are judged."""
        return f"since {self.ref}: {len(self.new)} new revision(s) judged, {len(self.old)} old"


def judged_files(files: list[Path], since: Since | None, notes: list[str]) -> list[Path]:
    """The revision files whose own findings a static check reports: all of them, or with
    ``since`` the new ones (and a note saying so in ``notes``)."""
    if since is None:
        return files
    notes.append(since.describe())
    return [path for path in files if since.is_new_file(path)]


def resolve(ref: str, versions_dir: Path) -> Since:
    """Split the revisions of ``versions_dir`` at ``ref`` (see the module docstring)."""
    versions_dir = Path(versions_dir).resolve()
    check_versions_dir(versions_dir)
    files = [path.resolve() for path in revision_files(versions_dir)]
    sources = {path: parse_revision(path) for path in files}
    ids = {path: source.revision for path, source in sources.items()}
    parents = {s.revision: s.down_revisions for s in sources.values() if s.revision is not None}
    if ref in parents:
        old_files = {path for path, rid in ids.items() if rid in _ancestors(ref, parents)}
    else:
        old_files = _files_at(ref, versions_dir) & set(files)
    old = _closed_under_ancestry({ids[path] for path in old_files} - {None}, parents)
    return _split(ref, sources, set(files) - old_files, old)


def given(files: list[Path], versions_dir: Path) -> Since:
    """The split for revision files named on the command line (pre-commit's changed files):
    they are new, the rest of the folder is old. A file outside the folder is a GuardError."""
    versions_dir = Path(versions_dir).resolve()
    check_versions_dir(versions_dir)
    folder = {path.resolve() for path in revision_files(versions_dir)}
    named = {Path(path).resolve() for path in files}
    outside = sorted(str(path) for path in named - folder)
    if outside:
        raise GuardError(f"{outside[0]} is not a revision file of {versions_dir}")
    sources = {path: parse_revision(path) for path in folder}
    parents = {s.revision: s.down_revisions for s in sources.values() if s.revision is not None}
    candidates = {s.revision for path, s in sources.items() if path not in named} - {None}
    return _split("the files given", sources, named, _closed_under_ancestry(candidates, parents))


def _split(ref: str, sources: dict, new_files: set[Path], old: set[str]) -> Since:
    ids = {path: source.revision for path, source in sources.items()}
    return Since(
        ref=ref,
        old=frozenset(old),
        new=frozenset(rid for rid in ids.values() if rid is not None and rid not in old),
        new_files=frozenset(p for p in sources if p in new_files or ids[p] not in old),
    )


def _ancestors(revision: str, parents: dict[str, tuple[str, ...]]) -> set[str]:
    found, pending = set(), [revision]
    while pending:
        current = pending.pop()
        if current not in found and current in parents:
            found.add(current)
            pending.extend(parents[current])
    return found


def _closed_under_ancestry(old: set[str], parents: dict[str, tuple[str, ...]]) -> set[str]:
    """``old`` without every revision that has a down revision outside it (transitively)."""
    kept = set(old)
    changed = True
    while changed:
        changed = False
        for revision in list(kept):
            if any(parent not in kept for parent in parents.get(revision, ())):
                kept.discard(revision)
                changed = True
    return kept


def _files_at(ref: str, versions_dir: Path) -> set[Path]:
    """The files under ``versions_dir`` that exist in the tree of ``ref``."""
    top = Path(_git(versions_dir, "rev-parse", "--show-toplevel", ref=ref)).resolve()
    _git(versions_dir, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", ref=ref)
    relative = versions_dir.relative_to(top).as_posix()
    listed = _git(top, "ls-tree", "-r", "--name-only", "--full-tree", ref, "--", relative, ref=ref)
    return {(top / name).resolve() for name in listed.splitlines() if name}


def _git(where: Path, *args: str, ref: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(where), *args], capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise GuardError(f"--since {ref}: git cannot run ({exc.strerror})") from None
    if done.returncode != 0:
        raise GuardError(
            f"--since {ref}: neither a revision of the folder nor a git ref known here "
            "(in CI, check out with fetch-depth: 0 so the target branch is there)"
        )
    return done.stdout.strip()
