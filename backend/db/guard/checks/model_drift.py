"""Readable sentences for Alembic autogenerate's differences between the models and a database.

``compare_metadata`` returns tuples such as ``("add_column", schema, table, Column)``; "add"
means the models have something the migrated database lacks (no migration creates it), "remove"
means the database has something the models lack.

Autogenerate does not compare the labels of enum types, so ``enum_differences`` does: a label the
models have and the database lacks is an error on the first insert of that value; one the
database has and the models lack is a value the application cannot read back; and since
PostgreSQL sorts an enum by its declared order, a different order changes ``ORDER BY`` results.
"""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa


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
    for mapper in _mappers(metadata):
        local = mapper.local_table
        if getattr(local, "name", None) != table:
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


@dataclass(frozen=True)
class EnumDrift:
    """One difference between an enum type of the models and the migrated database."""

    enum: str
    message: str
    hint: str


def model_enums(metadata: sa.MetaData) -> dict[str, list[str]]:
    """The native enum types the models' columns use (also inside ARRAY), by name: their labels
    in declared order. Non-native enums are VARCHAR plus a CHECK, compared by autogenerate."""
    enums: dict[str, list[str]] = {}
    for table in metadata.tables.values():
        for column in table.columns:
            column_type = getattr(column.type, "item_type", column.type)
            if isinstance(column_type, sa.Enum) and column_type.native_enum and column_type.name:
                enums.setdefault(column_type.name, list(column_type.enums))
    return enums


def enum_differences(live: dict[str, list[str]], models: dict[str, list[str]]) -> list[EnumDrift]:
    """How the database's enum types (labels in ``enumsortorder``) differ from the models'."""
    drifts = []
    for name in sorted(models.keys() | live.keys()):
        if name not in live:
            drifts.append(
                EnumDrift(
                    name,
                    f"enum {name} is in the models but no migration creates it",
                    f"create it in a migration (CREATE TYPE {name} AS ENUM (...)), or drop it "
                    "from the model",
                )
            )
            continue
        if name not in models:
            drifts.append(
                EnumDrift(
                    name,
                    f"enum {name} is created by the migrations but is not in the models",
                    "declare it in the model that uses it, or drop it in a migration",
                )
            )
            continue
        drifts.extend(_label_differences(name, live[name], models[name]))
    return drifts


def _label_differences(name: str, live: list[str], models: list[str]) -> list[EnumDrift]:
    missing = [label for label in models if label not in live]
    extra = [label for label in live if label not in models]
    drifts = []
    if missing:
        drifts.append(
            EnumDrift(
                name,
                f"enum {name}: the models have {_labels(missing)} that the database lacks; "
                "writing that value fails with 'invalid input value for enum'",
                f"add it in a migration (ALTER TYPE {name} ADD VALUE {missing[0]!r}), or "
                "remove it from the model",
            )
        )
    if extra:
        drifts.append(
            EnumDrift(
                name,
                f"enum {name}: the database has {_labels(extra)} that the models lack; a row "
                "holding it cannot be loaded by the application",
                "add it to the model's Enum, or rename it away in a migration (ALTER TYPE "
                f"{name} RENAME VALUE {extra[0]!r} TO ...)",
            )
        )
    if not missing and not extra and live != models:
        drifts.append(
            EnumDrift(
                name,
                f"enum {name}: the labels are in another order (database: {', '.join(live)}; "
                f"models: {', '.join(models)}); ORDER BY and comparisons on its columns follow "
                "the database's order",
                "list the labels in the model in the database's order, or recreate the type "
                "in the model's order in a migration",
            )
        )
    return drifts


def _labels(labels: list[str]) -> str:
    quoted = ", ".join(repr(label) for label in labels)
    return f"label {quoted}" if len(labels) == 1 else f"labels {quoted}"


def enum_location(metadata: sa.MetaData, name: str) -> tuple[Path, int] | None:
    """Where the models declare enum ``name``: the ``Enum(..., name="...")`` call in a model
    module (read with ``ast``), else the model of the first column that uses it."""
    files = {Path(inspect.getsourcefile(mapper.class_) or "") for mapper in _mappers(metadata)}
    for path in sorted(files):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _declares_enum(node, name):
                return path, node.lineno
    for table in metadata.tables.values():
        for column in table.columns:
            column_type = getattr(column.type, "item_type", column.type)
            if isinstance(column_type, sa.Enum) and column_type.name == name:
                return model_location(metadata, table.name, column.name)
    return None


def _declares_enum(call: ast.Call, name: str) -> bool:
    called = (
        call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    )
    return called in ("Enum", "ENUM") and any(
        keyword.arg == "name"
        and isinstance(keyword.value, ast.Constant)
        and keyword.value.value == name
        for keyword in call.keywords
    )


def _mappers(metadata: sa.MetaData) -> list[Any]:
    from backend.db.base import Base

    return [
        mapper
        for mapper in Base.registry.mappers
        if getattr(mapper.local_table, "metadata", None) is metadata
    ]
