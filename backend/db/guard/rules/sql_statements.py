"""Dangerous SQL statements, judged on pglast's parse tree (never on the text).

Each rule is one function that looks at one parse-tree node and returns the risk in one sentence
when the node is dangerous, else None. ``SQL_RULES`` lists them in report order; the security
check walks every node of every executed statement, so a statement hidden after ``;`` or inside a
CTE is judged like any other, whatever its case or spacing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pglast import ast, enums

from backend.db.guard.rules import registry
from backend.db.guard.rules.registry import Rule

SERVER_FILE_FUNCTIONS = frozenset({"pg_read_file", "pg_read_binary_file", "lo_import", "lo_export"})
DISABLE_TRIGGER = frozenset(
    {
        enums.AlterTableType.AT_DisableTrig,
        enums.AlterTableType.AT_DisableTrigAll,
        enums.AlterTableType.AT_DisableTrigUser,
    }
)


@dataclass(frozen=True)
class SqlRule:
    """A rule over one parse-tree node: the registry's rule, the check (returns the risk), the
    fix."""

    rule: Rule
    check: Callable[[ast.Node], str | None]
    hint: str


def walk(node: object) -> Iterator[ast.Node]:
    """Every pglast node under ``node`` (itself included), depth first."""
    if isinstance(node, ast.Node):
        yield node
        for slot in node.__slots__:
            yield from walk(getattr(node, slot, None))
    elif isinstance(node, (tuple, list)):
        for item in node:
            yield from walk(item)


def function_name(node: ast.Node) -> str | None:
    """The unqualified name of a function call node (``pg_catalog.pg_read_file`` -> ``pg_read_file``)."""
    if isinstance(node, ast.FuncCall) and node.funcname:
        last = node.funcname[-1]
        return getattr(last, "sval", None)
    return None


def _string_constant(node: object) -> str | None:
    if isinstance(node, ast.A_Const) and isinstance(node.val, ast.String):
        return node.val.sval
    return None


def drop_database(node: ast.Node) -> str | None:
    if isinstance(node, ast.DropdbStmt):
        return f"DROP DATABASE {node.dbname} destroys a whole database from inside a migration"
    return None


def drop_schema(node: ast.Node) -> str | None:
    if isinstance(node, ast.DropStmt) and node.removeType == enums.ObjectType.OBJECT_SCHEMA:
        return "DROP SCHEMA removes every table, type and function in the schema at once"
    return None


def truncate(node: ast.Node) -> str | None:
    if isinstance(node, ast.TruncateStmt):
        return "TRUNCATE empties tables in production without a trace and takes an exclusive lock"
    return None


def delete_without_where(node: ast.Node) -> str | None:
    if isinstance(node, ast.DeleteStmt) and node.whereClause is None:
        return "DELETE without WHERE removes every row of the table"
    return None


def update_without_where(node: ast.Node) -> str | None:
    if isinstance(node, ast.UpdateStmt) and node.whereClause is None:
        return "UPDATE without WHERE rewrites every row of the table"
    return None


def alter_system(node: ast.Node) -> str | None:
    if isinstance(node, ast.AlterSystemStmt):
        return "ALTER SYSTEM changes the server's configuration file for every database on it"
    return None


def copy_program(node: ast.Node) -> str | None:
    if isinstance(node, ast.CopyStmt) and node.is_program:
        return "COPY ... PROGRAM runs a shell command on the database server"
    return None


def copy_server_file(node: ast.Node) -> str | None:
    if isinstance(node, ast.CopyStmt) and node.filename and not node.is_program:
        return f"COPY reads or writes the server file {node.filename!r} with the server's rights"
    return None


def _grantees(node: ast.Node) -> tuple:
    if isinstance(node, ast.GrantStmt) and node.is_grant:
        return node.grantees or ()
    if isinstance(node, ast.GrantRoleStmt) and node.is_grant:
        return node.grantee_roles or ()
    return ()


def grant_public(node: ast.Node) -> str | None:
    if any(
        isinstance(role, ast.RoleSpec) and role.roletype == enums.RoleSpecType.ROLESPEC_PUBLIC
        for role in _grantees(node)
    ):
        return "GRANT ... TO PUBLIC gives every role on the server, present and future, access"
    return None


def grant_all(node: ast.Node) -> str | None:
    if isinstance(node, ast.GrantStmt) and node.is_grant and node.privileges is None:
        return "GRANT ALL hands out every privilege, including TRUNCATE, REFERENCES and TRIGGER"
    return None


def _role_options(node: ast.Node) -> tuple:
    if isinstance(node, (ast.CreateRoleStmt, ast.AlterRoleStmt)):
        return node.options or ()
    return ()


def superuser_role(node: ast.Node) -> str | None:
    for option in _role_options(node):
        if option.defname == "superuser" and getattr(option.arg, "boolval", True):
            return "a migration creates or alters a role WITH SUPERUSER, which bypasses every check"
    return None


def literal_password(node: ast.Node) -> str | None:
    for option in _role_options(node):
        if option.defname == "password" and isinstance(option.arg, ast.String):
            return "a role's password is written in the migration and so in git and in logs"
    return None


def server_file_functions(node: ast.Node) -> str | None:
    name = function_name(node)
    if name in SERVER_FILE_FUNCTIONS:
        return f"{name}() reads or writes files on the database server"
    return None


def dblink(node: ast.Node) -> str | None:
    name = function_name(node)
    if name is not None and name.startswith("dblink"):
        return f"{name}() opens a connection to another database from inside the migration"
    return None


def replication_role(node: ast.Node) -> str | None:
    if isinstance(node, ast.VariableSetStmt) and node.name == "session_replication_role":
        return "SET session_replication_role silently disables triggers and foreign-key checks"
    if function_name(node) == "set_config" and node.args:
        if _string_constant(node.args[0]) == "session_replication_role":
            return "set_config('session_replication_role') disables triggers and foreign-key checks"
    return None


def disable_trigger(node: ast.Node) -> str | None:
    if isinstance(node, ast.AlterTableCmd) and node.subtype in DISABLE_TRIGGER:
        return "ALTER TABLE ... DISABLE TRIGGER switches off triggers (and with ALL, foreign keys)"
    return None


SQL_RULES: list[SqlRule] = [
    SqlRule(registry.BAN_DROP_DATABASE, drop_database, "Never drop a database from a migration."),
    SqlRule(
        registry.BAN_DROP_SCHEMA,
        drop_schema,
        "Drop the objects one by one, each with its own review.",
    ),
    SqlRule(registry.BAN_TRUNCATE, truncate, "Delete the rows you mean with DELETE ... WHERE."),
    SqlRule(
        registry.REQUIRE_WHERE_IN_DELETE,
        delete_without_where,
        "Add a WHERE clause naming the rows to delete (WHERE true if you really mean all).",
    ),
    SqlRule(
        registry.REQUIRE_WHERE_IN_UPDATE,
        update_without_where,
        "Add a WHERE clause naming the rows to change (WHERE true if you really mean all).",
    ),
    SqlRule(registry.BAN_ALTER_SYSTEM, alter_system, "Configure the server outside migrations."),
    SqlRule(
        registry.BAN_COPY_PROGRAM, copy_program, "Load data with COPY ... FROM STDIN or INSERT."
    ),
    SqlRule(
        registry.BAN_COPY_SERVER_FILE,
        copy_server_file,
        "Use COPY ... FROM STDIN / TO STDOUT instead.",
    ),
    SqlRule(registry.BAN_GRANT_PUBLIC, grant_public, "Grant to a named application role instead."),
    SqlRule(registry.BAN_GRANT_ALL, grant_all, "Grant the few privileges the role needs, by name."),
    SqlRule(
        registry.BAN_SUPERUSER_ROLE,
        superuser_role,
        "Create roles with the least privilege they need.",
    ),
    SqlRule(
        registry.BAN_LITERAL_PASSWORD,
        literal_password,
        "Set passwords outside migrations (secret store, deploy step), never in code.",
    ),
    SqlRule(
        registry.BAN_SERVER_FILE_FUNCTIONS,
        server_file_functions,
        "Move file handling to the application or the deploy step.",
    ),
    SqlRule(registry.BAN_DBLINK, dblink, "Move cross-database work out of the migration."),
    SqlRule(
        registry.BAN_REPLICATION_ROLE,
        replication_role,
        "Keep triggers and constraints on; order the data changes so they hold.",
    ),
    SqlRule(
        registry.BAN_DISABLE_TRIGGER,
        disable_trigger,
        "Keep triggers on; order the data changes so they hold.",
    ),
]


def destructive(node: ast.Node) -> str | None:
    """DROP TABLE or ALTER TABLE ... DROP COLUMN: data loss that needs a written reason."""
    if isinstance(node, ast.DropStmt) and node.removeType == enums.ObjectType.OBJECT_TABLE:
        return "DROP TABLE in upgrade() deletes the table and all its data"
    if isinstance(node, ast.AlterTableCmd) and node.subtype == enums.AlterTableType.AT_DropColumn:
        return f"DROP COLUMN {node.name} in upgrade() deletes the column's data"
    return None
