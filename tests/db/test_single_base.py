"""One declarative Base: a second one would hide its tables from Alembic ("table not found")."""

from __future__ import annotations

import ast
from pathlib import Path

import backend
from backend.db import base

PACKAGE_DIR = Path(backend.__file__).resolve().parent
SESSION_MODULE = PACKAGE_DIR / "db" / "session.py"
MODEL_FACTORIES = {"DeclarativeBase", "declarative_base", "MetaData", "DeclarativeBaseNoMeta"}


def base_definitions(path: Path) -> list[str]:
    """Places in ``path`` that define a Base or a MetaData: subclasses and factory calls."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for parent in node.bases:
                name = (
                    parent.attr if isinstance(parent, ast.Attribute) else getattr(parent, "id", "")
                )
                if name in MODEL_FACTORIES:
                    found.append(f"{path.name}:{node.lineno} class {node.name}({name})")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in MODEL_FACTORIES:
                found.append(f"{path.name}:{node.lineno} {name}()")
    return found


def package_sources() -> list[Path]:
    # Migrations may build a throwaway MetaData for op.bulk_insert; they are not models.
    return [
        p for p in PACKAGE_DIR.rglob("*.py") if "migrations" not in p.relative_to(PACKAGE_DIR).parts
    ]


def test_only_the_session_module_defines_a_base_or_metadata():
    outside = [hit for p in package_sources() if p != SESSION_MODULE for hit in base_definitions(p)]
    assert outside == []
    assert len(base_definitions(SESSION_MODULE)) == 2  # class Base(DeclarativeBase), MetaData()


def test_the_detector_sees_a_second_base(tmp_path):
    rogue = tmp_path / "rogue.py"
    rogue.write_text(
        "from sqlalchemy.orm import DeclarativeBase, declarative_base\n"
        "class Other(DeclarativeBase):\n    pass\n"
        "Legacy = declarative_base()\n"
    )
    assert len(base_definitions(rogue)) == 2


def test_every_model_module_is_imported_by_base():
    on_disk = {
        ".".join(p.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
        for p in (PACKAGE_DIR / "modules").glob("*/models.py")
    }
    assert on_disk == set(base.MODEL_MODULES)


def test_base_metadata_holds_the_58_tables_of_the_six_modules():
    assert base.Base is __import__("backend.db.session", fromlist=["Base"]).Base
    assert len(base.Base.metadata.tables) == 58
