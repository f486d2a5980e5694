"""Which shape of row broke a statement, read from what PostgreSQL said (SQLSTATE, message, DETAIL).

A migration that passes on an empty database and fails on rows fails on some rows: those with a
NULL, a repeated key, a value that is not a number, a label the new enum lacks. Naming that shape
("rows with NULL in trades.contract_terms_version") tells the author which backfill or cleanup is
missing. What cannot be told is left out (None), never guessed.
"""

from __future__ import annotations

import re

import pglast
from pglast.parser import ParseError

from backend.db.migrator.failure import FailureLocation

NOT_NULL_VIOLATION = "23502"
FOREIGN_KEY_VIOLATION = "23503"
UNIQUE_VIOLATION = "23505"
CHECK_VIOLATION = "23514"
INVALID_TEXT_REPRESENTATION = "22P02"
STRING_TOO_LONG = "22001"
NUMERIC_OUT_OF_RANGE = "22003"

_NULLS = re.compile(r'column "(?P<column>[^"]+)" of relation "(?P<table>[^"]+)" contains null')
_NULL_VALUE = re.compile(r'null value in column "(?P<column>[^"]+)" of relation "(?P<table>[^"]+)"')
_KEY = re.compile(r"Key \((?P<columns>.*?)\)=\((?P<values>.*?)\)")
_MISSING_PARENT = re.compile(r'is not present in table "(?P<parent>[^"]+)"')
_ENUM = re.compile(r'invalid input value for enum (?P<enum>\S+): "(?P<value>.*)"')
_SYNTAX = re.compile(r'invalid input syntax for type (?P<type>[^:]+): "(?P<value>.*)"')
_CHECK = re.compile(r'check constraint "(?P<check>[^"]+)" of relation "(?P<table>[^"]+)"')
_INDEX = re.compile(r'unique index "(?P<index>[^"]+)"')


def altered_columns(sql: str | None) -> list[str]:
    """``table.column`` of each column an ``ALTER TABLE`` statement alters (its type, its
    nullability): what a type conversion's error message does not name."""
    if not sql:
        return []
    try:
        statements = pglast.parse_sql(sql)
    except ParseError:
        return []
    found = []
    for raw in statements:
        statement = raw.stmt
        if isinstance(statement, pglast.ast.AlterTableStmt) and statement.relation is not None:
            for command in statement.cmds or ():
                if getattr(command, "name", None):
                    found.append(f"{statement.relation.relname}.{command.name}")
    return found


def broken_rows(failure: FailureLocation, sql: str | None = None) -> str | None:
    """The rows that broke ``failure``'s statement (``sql``, when known), in a few words; None
    when PostgreSQL's error does not tell."""
    message, detail = failure.message, failure.detail or ""
    columns = altered_columns(sql)
    in_column = f" in {', '.join(columns)}" if len(columns) == 1 else ""
    state = failure.sqlstate
    if state == NOT_NULL_VIOLATION:
        found = _NULLS.search(message) or _NULL_VALUE.search(message)
        if found:
            return f"rows with NULL in {found['table']}.{found['column']}"
    if state == UNIQUE_VIOLATION:
        key = _KEY.search(detail)
        index = _INDEX.search(message)
        on = f" (unique index {index['index']})" if index else ""
        if key:
            return f"rows that repeat ({key['columns']})=({key['values']}){on}"
        return f"rows that repeat a value{on}"
    if state == FOREIGN_KEY_VIOLATION:
        key, parent = _KEY.search(detail), _MISSING_PARENT.search(detail)
        if key and parent:
            return (
                f"rows whose ({key['columns']})=({key['values']}) has no row in {parent['parent']}"
            )
    if state == INVALID_TEXT_REPRESENTATION:
        enum = _ENUM.search(message)
        if enum:
            return (
                f"rows using label '{enum['value']}'{in_column}, which enum {enum['enum']} "
                "does not have"
            )
        syntax = _SYNTAX.search(message)
        if syntax:
            return (
                f"rows holding '{syntax['value']}'{in_column}, which is not a valid "
                f"{syntax['type']}"
            )
    if state == CHECK_VIOLATION:
        check = _CHECK.search(message)
        if check:
            return f"rows of {check['table']} that break CHECK {check['check']}"
    if state == STRING_TOO_LONG:
        return f"rows with values{in_column} too long for the new type"
    if state == NUMERIC_OUT_OF_RANGE:
        return f"rows with values{in_column} out of range for the new type"
    return None


# The recipe that makes each kind of failure pass on rows (each is a section of the guide).
FIXES = {
    NOT_NULL_VIOLATION: "give the column a server_default, or add it nullable, backfill it "
    "(UPDATE ... WHERE col IS NULL), then alter_column(..., nullable=False)",
    UNIQUE_VIOLATION: "remove or merge the duplicates (UPDATE/DELETE ... WHERE the key repeats) "
    "in the same revision, before creating the unique index or constraint",
    FOREIGN_KEY_VIOLATION: "add the foreign key NOT VALID, fix or delete the orphan rows, then "
    "VALIDATE CONSTRAINT",
    CHECK_VIOLATION: "add the CHECK NOT VALID, fix the rows that break it, then VALIDATE "
    "CONSTRAINT",
    STRING_TOO_LONG: "shorten the values first (UPDATE ... SET col = left(col, n)), or keep the "
    "wider type",
    NUMERIC_OUT_OF_RANGE: "fix the values out of range first, or keep the wider type",
}
ENUM_FIX = (
    "move the rows off the label first (UPDATE ... SET col = '<kept label>' WHERE col = "
    "'<label>'); to add a label use ALTER TYPE ... ADD VALUE, never a recreated type"
)
SYNTAX_FIX = (
    "convert with a USING that handles every value (USING CASE WHEN col ~ '^[0-9]+$' THEN "
    "col::integer END), or clean the values in an UPDATE first"
)
DOWNGRADE_FIX = (
    "; or, when the rows written since cannot go back, declare it: "
    "`# guard: irreversible <reason>` in downgrade()"
)


def fix_for(failure: FailureLocation, is_downgrade: bool = False) -> str:
    """The recipe for ``failure``'s kind of error (a downgrade may also be declared
    irreversible)."""
    fix = FIXES.get(failure.sqlstate or "")
    if is_downgrade and failure.sqlstate == NOT_NULL_VIOLATION:
        fix = (
            "backfill the NULLs written since the upgrade (UPDATE ... WHERE col IS NULL) "
            "before alter_column(..., nullable=False)"
        )
    if failure.sqlstate == INVALID_TEXT_REPRESENTATION:
        fix = ENUM_FIX if _ENUM.search(failure.message) else SYNTAX_FIX
    if fix is None:
        fix = (
            "rerun the revision on a database with rows (migration-guard data-test) and make "
            "the statement Postgres rejects handle the rows that are there"
        )
    return fix + (DOWNGRADE_FIX if is_downgrade else "")
