"""A versions folder as Alembic sees it, and its revisions in the order they apply."""

from __future__ import annotations

from pathlib import Path

from alembic.script import Script, ScriptDirectory

from backend.db.migrations_config import script_directory


def load(versions_dir: str | Path | None = None) -> ScriptDirectory:
    """Alembic's ScriptDirectory over ``versions_dir`` (default: the project's), with the
    project's env.py; revision files load on first use of the graph."""
    return script_directory(versions_dir)


def topological_order(scripts: ScriptDirectory) -> list[Script]:
    """Every revision, each after all of its down-revisions (base first)."""
    return list(reversed(list(scripts.walk_revisions("base", "heads"))))
