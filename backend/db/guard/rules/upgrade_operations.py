"""What a revision's upgrade() does, in words: its ``op`` calls read with ``ast``, its SQL with pglast.

``require-real-downgrade`` quotes it ("upgrade() adds column trades.x and runs UPDATE on trades")
so the developer sees what a ``pass`` downgrade leaves in place, and it tells a data migration
(rows only, schema untouched) from a schema change: only the former may be declared irreversible.
Nothing is imported or run. Helpers that upgrade() calls by name are read as part of it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pglast.enums import ObjectType

from backend.db.guard.revision_source import EXECUTE_METHODS, RevisionSource, call_name
from backend.db.guard.rules.security import parse_statements


@dataclass(frozen=True)
class Operation:
    """One thing upgrade() does: its line, a phrase ("adds column trades.x") and whether it
    changes rows only (INSERT, UPDATE, DELETE, ...), leaving the schema as it was."""

    line: int
    text: str
    data_only: bool


# How each Alembic operation reads; ``{0}``, ``{1}`` are its positional arguments, the table
# first for the column operations. Operations not listed read as "calls op.<name>()".
OP_PHRASES = {
    "create_table": "creates table {0}",
    "drop_table": "drops table {0}",
    "rename_table": "renames table {0} to {1}",
    "add_column": "adds column {0}.{1}",
    "drop_column": "drops column {0}.{1}",
    "alter_column": "alters column {0}.{1}",
    "create_index": "creates index {0} on {1}",
    "drop_index": "drops index {0}",
    "create_unique_constraint": "creates constraint {0} on {1}",
    "create_check_constraint": "creates constraint {0} on {1}",
    "create_primary_key": "creates constraint {0} on {1}",
    "create_foreign_key": "creates foreign key {0} on {1}",
    "create_exclude_constraint": "creates constraint {0} on {1}",
    "drop_constraint": "drops constraint {0} on {1}",
    "create_table_comment": "sets the comment of table {0}",
    "drop_table_comment": "drops the comment of table {0}",
    "bulk_insert": "inserts rows into {0}",
}
DATA_OPERATIONS = frozenset({"bulk_insert"})
# Where the table goes in the ``op.`` form of an operation that ``batch_op.`` calls without it.
BATCH_TABLE_POSITION = {
    "add_column": 0,
    "drop_column": 0,
    "alter_column": 0,
    "create_index": 1,
    "drop_index": 1,
    "create_unique_constraint": 1,
    "create_check_constraint": 1,
    "create_primary_key": 1,
    "create_foreign_key": 1,
    "create_exclude_constraint": 1,
    "drop_constraint": 1,
}
NOT_OPERATIONS = frozenset(
    {"get_bind", "get_context", "inline_literal", "f", "batch_alter_table", "run_async"}
)
# Statements that read or change rows and leave the schema as it was.
DATA_STATEMENTS = frozenset(
    {"InsertStmt", "UpdateStmt", "DeleteStmt", "SelectStmt", "MergeStmt", "TruncateStmt"}
)
STATEMENT_WORDS = {
    "CreateStmt": "CREATE TABLE",
    "IndexStmt": "CREATE INDEX",
    "ViewStmt": "CREATE VIEW",
    "CreateEnumStmt": "CREATE TYPE",
    "AlterEnumStmt": "ALTER TYPE",
    "CreateTrigStmt": "CREATE TRIGGER",
    "CreateSeqStmt": "CREATE SEQUENCE",
    "AlterSeqStmt": "ALTER SEQUENCE",
    "CreateFunctionStmt": "CREATE FUNCTION",
    "CompositeTypeStmt": "CREATE TYPE",
    "RenameStmt": "RENAME",
}
CONSTRUCT_STATEMENTS = {
    "insert": "INSERT",
    "update": "UPDATE",
    "delete": "DELETE",
    "select": "SELECT",
}


def upgrade_operations(revision: RevisionSource) -> list[Operation]:
    """Everything upgrade() (and the module functions it calls) does, in line order."""
    functions = _reachable_functions(revision)
    if not functions:
        return []
    names = {f.name for f in functions}
    operations = list(_sql_operations(revision, names))
    read_lines = {e.line for e in revision.executed_sql() if e.statement and e.function in names}
    for function in functions:
        operations.extend(_call_operations(function, read_lines))
    return sorted(operations, key=lambda op: op.line)


def describe(operations: list[Operation]) -> str:
    """The phrases joined as one clause: "adds column t.x, creates index ix and runs UPDATE on t"."""
    phrases = list(dict.fromkeys(op.text for op in operations))
    if len(phrases) <= 1:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]


def _reachable_functions(revision: RevisionSource) -> list[ast.FunctionDef]:
    """upgrade() and the module-level functions it calls by name, directly or through others."""
    upgrade = revision.function("upgrade")
    if upgrade is None or revision.tree is None:
        return []
    defined = {node.name: node for node in revision.tree.body if isinstance(node, ast.FunctionDef)}
    found, pending = [upgrade], [upgrade]
    while pending:
        for node in ast.walk(pending.pop()):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                helper = defined.get(node.func.id)
                if helper is not None and helper not in found and helper.name != "downgrade":
                    found.append(helper)
                    pending.append(helper)
    return found


def _sql_operations(revision: RevisionSource, functions: set[str]) -> Iterator[Operation]:
    """Each statement of the SQL strings those functions execute, named by pglast."""
    for executed in revision.executed_sql():
        if not executed.statement or executed.function not in functions:
            continue
        if executed.sql is None:
            yield Operation(executed.line, f"runs SQL built from {executed.dynamic}", False)
            continue
        statements, problem = parse_statements(executed)
        if problem is not None:
            yield Operation(executed.line, "runs SQL that does not parse", False)
        for statement in statements:
            kind = type(statement.node).__name__
            yield Operation(
                statement.line, _statement_phrase(statement.node), kind in DATA_STATEMENTS
            )


def _statement_phrase(node: object) -> str:
    """ "runs UPDATE on trades", "runs CREATE TYPE", "runs DROP TABLE"."""
    kind = type(node).__name__
    words = (
        STATEMENT_WORDS.get(kind)
        or " ".join(re.findall(r"[A-Z][a-z]*", kind.removesuffix("Stmt"))).upper()
    )
    if kind == "DropStmt":
        words = "DROP " + ObjectType(node.removeType).name.removeprefix("OBJECT_").replace("_", " ")
    relation = getattr(node, "relation", None)
    name = getattr(relation, "relname", None)
    return f"runs {words} on {name}" if name else f"runs {words}"


def _call_operations(function: ast.FunctionDef, read_lines: set[int]) -> Iterator[Operation]:
    """``op.*``/``batch_op.*`` calls, executed SQLAlchemy constructs and ``.create(bind)``."""
    batches = _batch_tables(function)
    for node in ast.walk(function):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name = node.func.attr
        receiver = node.func.value
        if name in EXECUTE_METHODS:
            if node.lineno not in read_lines and node.args:
                yield _construct_operation(node)
        elif isinstance(receiver, ast.Name) and (receiver.id == "op" or receiver.id in batches):
            if name not in NOT_OPERATIONS:
                yield _op_operation(node, batches.get(receiver.id))
        elif name in ("create", "drop") and node.args:
            # ``sa.Enum(..., name="x").create(op.get_bind())``: DDL through a schema object.
            what = _keyword(receiver, "name")
            target = f"type {what}" if what else ast.unparse(receiver)[:40]
            yield Operation(node.lineno, f"{name}s {target}", False)


def _batch_tables(function: ast.FunctionDef) -> dict[str, ast.expr]:
    """``with op.batch_alter_table("t") as batch_op``: batch_op -> the table argument."""
    tables: dict[str, ast.expr] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.With):
            for item in node.items:
                call = item.context_expr
                if (
                    isinstance(call, ast.Call)
                    and call_name(call) == "batch_alter_table"
                    and call.args
                    and isinstance(item.optional_vars, ast.Name)
                ):
                    tables[item.optional_vars.id] = call.args[0]
    return tables


def _op_operation(call: ast.Call, batch_table: ast.expr | None) -> Operation:
    name = call.func.attr  # type: ignore[union-attr]
    phrase = OP_PHRASES.get(name)
    if phrase is None:
        return Operation(call.lineno, f"calls op.{name}()", False)
    args = list(call.args)
    if batch_table is not None and name in BATCH_TABLE_POSITION:
        args.insert(BATCH_TABLE_POSITION[name], batch_table)
    names = [_name(arg) for arg in args] + ["?"] * 2
    return Operation(call.lineno, phrase.format(*names), name in DATA_OPERATIONS)


def _construct_operation(call: ast.Call) -> Operation:
    """``conn.execute(trades.update()...)`` or ``sa.update(trades)``: a row statement; anything
    else executed is a statement the guard cannot read."""
    for node in ast.walk(call.args[0]):
        if isinstance(node, ast.Call) and call_name(node) in CONSTRUCT_STATEMENTS:
            statement = CONSTRUCT_STATEMENTS[call_name(node)]  # type: ignore[index]
            if isinstance(node.func, ast.Attribute) and not node.args:
                table = _name(node.func.value)  # ``trades.update()``
            else:
                table = _name(node.args[0]) if node.args else "?"  # ``sa.update(trades)``
            return Operation(call.lineno, f"runs {statement} on {table}", True)
    return Operation(call.lineno, "runs a statement the guard cannot read", False)


def _name(node: ast.expr) -> str:
    """A literal name, the first literal of ``sa.Column("x", ...)``/``op.f("ix")``, else the code."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and node.args:
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return ast.unparse(node)


def _keyword(node: ast.expr, keyword: str) -> str | None:
    if isinstance(node, ast.Call):
        for item in node.keywords:
            if item.arg == keyword and isinstance(item.value, ast.Constant):
                return str(item.value.value)
    return None
