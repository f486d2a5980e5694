"""The record of a squashed history, kept where the deploy can read it after the archive.

The new baseline's revision file carries two constants, ``replaces_heads`` and
``replaces_revisions``: the old heads a database must be at to be adopted, and every old revision
(so that a database at an older one is told to catch up first rather than "unknown revision").
``script.py.mako`` renders them from a :class:`Rebaselined` (``write_baseline(replaces=...)``),
and the ruff hook formats them like any generated code.
The file ships with the code, the archive folder need not. The archive also gets a
``rebaseline.json`` with the same facts for people and tools.
"""

from __future__ import annotations

from dataclasses import dataclass

from alembic.script import ScriptDirectory

# The names script.py.mako gives them.
HEADS_NAME = "replaces_heads"
REVISIONS_NAME = "replaces_revisions"


@dataclass(frozen=True)
class Rebaselined:
    """A baseline revision and the old history it replaces."""

    baseline: str
    old_heads: tuple[str, ...]
    old_revisions: tuple[str, ...]


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
