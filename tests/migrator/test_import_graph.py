"""The kernel and its peers: the deploy, the guard and the rebaseline run revisions through
backend/db/migrator and never reach into one another (an import inside a function counts too:
a cycle hidden that way is still a cycle)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from backend.db.migrations_config import REPO_ROOT

DB = REPO_ROOT / "backend" / "db"


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, at module level or inside any function or class."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing package
                package = module_name(path).split(".")
                if path.name != "__init__.py":
                    package = package[:-1]
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def violations(package: str, forbidden: tuple[str, ...]) -> list[str]:
    folder = DB / package
    return sorted(
        f"{path.relative_to(REPO_ROOT)} imports {name}"
        for path in folder.rglob("*.py")
        for name in imports_of(path)
        if any(name == f"backend.db.{f}" or name.startswith(f"backend.db.{f}.") for f in forbidden)
    )


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        # deploy -> rebaseline (adopt-baseline) is still there; the lead removes it next.
        ("deploy", ("guard",)),
        ("guard", ("deploy", "rebaseline")),
        ("migrator", ("guard", "deploy", "rebaseline")),
    ],
)
def test_peers_do_not_import_each_other(package: str, forbidden: tuple[str, ...]) -> None:
    assert violations(package, forbidden) == []


def test_the_collector_sees_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "late.py"
    module.write_text(
        "def f():\n    from backend.db.guard import stepping\n    import backend.db.deploy\n"
    )
    assert {"backend.db.guard.stepping", "backend.db.deploy"} <= imports_of(module)
