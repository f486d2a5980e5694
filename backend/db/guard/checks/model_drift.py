"""Readable sentences for Alembic autogenerate's differences between the models and a database.

``compare_metadata`` returns tuples such as ``("add_column", schema, table, Column)``; "add"
means the models have something the migrated database lacks (no migration creates it), "remove"
means the database has something the models lack.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import Any


def describe_diff(diff: Any) -> str:
    """One sentence for one autogenerate difference (a tuple, or a list of column changes)."""
    if isinstance(diff, list):  # modifications of one column come grouped
        return "; ".join(describe_diff(change) for change in diff)
    kind = diff[0]
    if kind == "add_table":
        return f"table {diff[1].name} is in the models but no migration creates it"
    if kind == "remove_table":
        return f"table {diff[1].name} is created by the migrations but is not in the models"
    if kind == "add_column":
        return f"column {diff[2]}.{diff[3].name} is in the models but no migration creates it"
    if kind == "remove_column":
        return (
            f"column {diff[2]}.{diff[3].name} is created by the migrations but is not in the models"
        )
    if kind in ("add_index", "remove_index"):
        index = diff[1]
        return _presence(kind, f"index {index.name} on {index.table.name}")
    if kind in ("add_constraint", "remove_constraint", "add_fk", "remove_fk"):
        constraint = diff[1]
        label = "foreign key" if kind.endswith("_fk") else "constraint"
        return _presence(kind, f"{label} {constraint.name} on {constraint.table.name}")
    if kind.startswith("modify_"):
        _, _schema, table, column, _existing, old, new = diff
        what = kind.removeprefix("modify_").replace("_", " ")
        return (
            f"column {table}.{column} differs in {what}: the migrations give {_show(old)}, "
            f"the models say {_show(new)}"
        )
    if kind in ("add_table_comment", "remove_table_comment"):
        return f"comment of table {diff[1].name} differs between the models and the migrations"
    return f"models and migrations differ: {diff!r}"


def _presence(kind: str, what: str) -> str:
    if kind.startswith("add"):
        return f"{what} is in the models but no migration creates it"
    return f"{what} is created by the migrations but is not in the models"


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):  # modify_nullable
        return "NULL allowed" if value else "NOT NULL"
    text = getattr(value, "text", None)  # server defaults arrive as DefaultClause/TextClause
    arg = getattr(value, "arg", None)
    if arg is not None:
        text = getattr(arg, "text", arg)
    return str(text if text is not None else value)


def diff_subject(diff: Any) -> tuple[str | None, str | None]:
    """The table and column a difference that the models own is about (``None`` when unknown)."""
    if isinstance(diff, list):
        diff = diff[0]
    kind = diff[0]
    if kind == "add_table":
        return diff[1].name, None
    if kind == "add_column" or kind.startswith("modify_"):
        column = diff[3] if isinstance(diff[3], str) else diff[3].name
        return diff[2], column
    if kind in ("add_index", "add_constraint", "add_fk"):
        return diff[1].table.name, None
    return None, None


def model_location(metadata: Any, table: str, column: str | None) -> tuple[Path, int] | None:
    """Where the model of ``table`` (and its ``column`` attribute) is written: file and line.

    A drift finding then points at the line the developer changed, not at the versions folder.
    """
    from backend.db.base import Base

    for mapper in Base.registry.mappers:
        local = mapper.local_table
        if getattr(local, "name", None) != table or local.metadata is not metadata:
            continue
        cls = mapper.class_
        path = Path(inspect.getsourcefile(cls) or "")
        line = inspect.getsourcelines(cls)[1]
        if column is not None and column in local.c:
            key = mapper.get_property_by_column(local.c[column]).key
            line = _attribute_line(path, cls.__name__, key) or line
        return path, line
    return None


def _attribute_line(path: Path, class_name: str, attribute: str) -> int | None:
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            for statement in node.body:
                targets = (
                    [statement.target]
                    if isinstance(statement, ast.AnnAssign)
                    else getattr(statement, "targets", [])
                )
                if any(isinstance(t, ast.Name) and t.id == attribute for t in targets):
                    return statement.lineno
    return None
