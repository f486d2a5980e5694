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
        ("deploy", ("guard", "rebaseline")),
        ("guard", ("deploy", "rebaseline")),
        ("migrator", ("guard", "deploy", "rebaseline")),
    ],
)
def test_peers_do_not_import_each_other(package: str, forbidden: tuple[str, ...]) -> None:
    assert violations(package, forbidden) == []


def test_the_rebaseline_uses_the_guard_only_through_its_public_entry_point() -> None:
    reached = sorted(
        f"{path.relative_to(REPO_ROOT)} imports {name}"
        for path in (DB / "rebaseline").rglob("*.py")
        for name in imports_of(path)
        if name.startswith("backend.db.guard") and not name.startswith("backend.db.guard.api")
    )
    assert reached == []


def room(module: str) -> str | None:
    """The package (or top-level module) of ``backend.db`` that ``module`` belongs to."""
    parts = module.split(".")
    if parts[:2] != ["backend", "db"] or len(parts) < 3:
        return None
    candidate = DB / parts[2]
    return parts[2] if candidate.is_dir() or candidate.with_suffix(".py").is_file() else None


def package_graph() -> dict[str, set[str]]:
    """Which room of backend/db imports which other room."""
    graph: dict[str, set[str]] = {}
    for path in DB.rglob("*.py"):
        source = room(module_name(path))
        for name in imports_of(path):
            target = room(name)
            if source and target and target != source:
                graph.setdefault(source, set()).add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first walk (empty for an acyclic graph)."""
    found, done = [], set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            found.append([*path[path.index(node) :], node])
            return
        if node in done:
            return
        for target in sorted(graph.get(node, ())):
            visit(target, [*path, node])
        done.add(node)

    for node in sorted(graph):
        visit(node, [])
    return found


def test_no_package_level_cycle() -> None:
    graph = package_graph()
    assert {"guard", "deploy", "rebaseline", "migrator"} <= set(graph)  # the walk saw them
    assert cycles(graph) == []


def test_a_cycle_is_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_the_collector_sees_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "late.py"
    module.write_text(
        "def f():\n    from backend.db.guard import stepping\n    import backend.db.deploy\n"
    )
    assert {"backend.db.guard.stepping", "backend.db.deploy"} <= imports_of(module)
