"""The record of a squashed history, kept where the deploy can read it after the archive.

The new baseline's revision file carries two constants, ``replaces_heads`` and
``replaces_revisions``: the old heads a database must be at to be adopted, and every old revision
(so that a database at an older one is told to catch up first rather than "unknown revision").
The file ships with the code, the archive folder need not. The archive also gets a
``rebaseline.json`` with the same facts for people and tools.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory

HEADS_NAME = "replaces_heads"
REVISIONS_NAME = "replaces_revisions"
_ANCHOR = "depends_on: str | Sequence[str] | None"


@dataclass(frozen=True)
class Rebaselined:
    """A baseline revision and the old history it replaces."""

    baseline: str
    old_heads: tuple[str, ...]
    old_revisions: tuple[str, ...]


def write_record(path: Path, old_heads: tuple[str, ...], old_revisions: tuple[str, ...]) -> None:
    """Add the two constants after the revision identifiers of the baseline file at ``path``."""
    lines = path.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(_ANCHOR)) + 1
    block = [
        "\n",
        "# The history this baseline replaces (`deploy --adopt-baseline` reads it): a database at\n",
        "# exactly these old heads, with this baseline's schema, is stamped here.\n",
        f"{HEADS_NAME}: tuple[str, ...] = {_tuple(old_heads)}\n",
        f"{REVISIONS_NAME}: tuple[str, ...] = {_tuple(old_revisions)}\n",
    ]
    lines[at:at] = block
    path.write_text("".join(lines))


def _tuple(items: tuple[str, ...]) -> str:
    # Laid out as ``ruff format`` would, so the file stays format-clean.
    if len(items) == 1:
        return f'("{items[0]}",)'
    return "(\n" + "".join(f'    "{item}",\n' for item in items) + ")"


def read_record(scripts: ScriptDirectory) -> Rebaselined | None:
    """The record of the folder's base revision, or ``None`` when it replaced no history."""
    bases = scripts.get_bases()
    if len(bases) != 1:
        return None
    script = scripts.get_revision(bases[0])
    heads = getattr(script.module, HEADS_NAME, None)
    if not heads:
        return None
    revisions = getattr(script.module, REVISIONS_NAME, ()) or ()
    return Rebaselined(script.revision, tuple(heads), tuple(revisions))
