"""Security rules over one revision file: injection, dangerous statements, unreviewed data loss.

Every rule takes the parsed revision and its display path and yields findings. Only SQL that is
executed counts (see ``revision_source.executed_sql``): words in comments, docstrings, unexecuted
strings or identifiers never trigger a rule.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import pglast
import sqlalchemy as sa
from pglast.parser import ParseError
from sqlalchemy.dialects import postgresql

from backend.db.guard.findings import Finding, error, warning
from backend.db.guard.revision_source import ExecutedSql, RevisionSource, call_name
from backend.db.guard.rules import registry
from backend.db.guard.rules.sql_statements import SQL_RULES, destructive, walk

ALLOW_DESTRUCTIVE = "guard: allow-destructive"
DROP_OPERATIONS = frozenset({"drop_table", "drop_column"})

SecurityRule = Callable[[RevisionSource, str], Iterable[Finding]]

# ``:name`` parameters of sa.text (and of op.execute strings, which Alembic wraps in text())
# are not PostgreSQL; SQLAlchemy's own compiler turns them into ``$1`` placeholders pglast reads.
DOLLAR_PARAMS = postgresql.dialect(paramstyle="numeric_dollar")


@dataclass(frozen=True)
class ParsedStatement:
    """One statement of an executed SQL string, with its line in the revision file."""

    node: pglast.ast.Node
    line: int


@lru_cache(maxsize=1024)
def _parse(sql: str) -> tuple[tuple[pglast.ast.RawStmt, ...] | None, str | None]:
    try:
        return tuple(pglast.parse_sql(sql)), None
    except ParseError as exc:
        return None, str(exc)


def postgres_text(executed: ExecutedSql) -> str:
    """The SQL as PostgreSQL receives it: text() parameters become ``$n`` placeholders."""
    sql = executed.sql or ""
    if executed.driver_sql:
        return sql
    try:
        return str(sa.text(sql).compile(dialect=DOLLAR_PARAMS))
    except Exception:  # noqa: BLE001 - SQLAlchemy refuses it: let pglast judge the text as written
        return sql


def parse_statements(executed: ExecutedSql) -> tuple[list[ParsedStatement], str | None]:
    """The statements of a literal SQL string, or the parser's complaint when it is not SQL."""
    sql = postgres_text(executed)
    raw, problem = _parse(sql)
    if raw is None:
        return [], problem
    statements = []
    for stmt in raw:
        start = stmt.stmt_location or 0
        body = sql[start : start + (stmt.stmt_len or len(sql))]
        leading = body[: len(body) - len(body.lstrip())]
        offset = sql[:start].count("\n") + leading.count("\n")
        statements.append(ParsedStatement(stmt.stmt, executed.line + offset))
    return statements, None


def _literal_statements(
    revision: RevisionSource,
) -> Iterator[tuple[ExecutedSql, list[ParsedStatement], str | None]]:
    """Executed literal SQL strings, each parsed once: its statements and the parse problem, if
    any (dynamic SQL is skipped)."""
    for executed in revision.executed_sql():
        if executed.statement and executed.sql is not None:
            statements, problem = parse_statements(executed)
            yield executed, statements, problem


def ban_sql_injection(revision: RevisionSource, path: str) -> Iterator[Finding]:
    """SQL text must be a literal: pieces formatted in are an injection (and a broken deploy)."""
    for executed in revision.executed_sql():
        if executed.dynamic is None:
            continue
        yield error(
            registry.BAN_SQL_INJECTION,
            path,
            executed.line,
            f"SQL is built from {executed.dynamic}; a value formatted into SQL can inject "
            "statements and is invisible to review and to the guard",
            'Write the SQL as one literal and pass values with sa.text("... :name")'
            ".bindparams(name=value).",
        )


def sql_unparseable(revision: RevisionSource, path: str) -> Iterator[Finding]:
    """A literal that pglast cannot parse is unreviewable here; dry-run shows if Postgres agrees.

    A warning, not an error: PostgreSQL is the judge of its own syntax and the dry-run check
    runs the SQL for real; the warning says that the dangerous-statement rules could not look.
    """
    for executed, _, problem in _literal_statements(revision):
        if problem is not None:
            yield warning(
                registry.SQL_UNPARSEABLE,
                path,
                executed.line,
                f"the SQL at this line does not parse ({problem}), so no security rule could "
                "inspect it",
                "Fix the SQL so it parses as PostgreSQL; split psql meta-commands out.",
            )


def dangerous_statements(revision: RevisionSource, path: str) -> Iterator[Finding]:
    """Each statement node is judged by every rule of ``SQL_RULES``, wherever it is executed."""
    for _, statements, _ in _literal_statements(revision):
        for statement in statements:
            for node in walk(statement.node):
                for sql_rule in SQL_RULES:
                    risk = sql_rule.check(node)
                    if risk is not None:
                        yield error(sql_rule.rule, path, statement.line, risk, sql_rule.hint)


def _allow_reason(revision: RevisionSource, first: int, last: int) -> str | None:
    """The text after ``# guard: allow-destructive`` on the lines of a call ("" when bare)."""
    found = revision.find_marker(ALLOW_DESTRUCTIVE, first, last)
    return found[1] if found else None


def _destructive_operations(revision: RevisionSource) -> Iterator[tuple[int, int, str]]:
    """(first line, last line, risk) of each drop in upgrade(): ``op.drop_*`` calls and SQL."""
    upgrade = revision.function("upgrade")
    if upgrade is None:
        return
    for node in ast.walk(upgrade):
        if isinstance(node, ast.Call) and call_name(node) in DROP_OPERATIONS:
            what = "table" if call_name(node) == "drop_table" else "column"
            yield (
                node.lineno,
                node.end_lineno or node.lineno,
                f"{call_name(node)}() in upgrade() deletes the {what} and its data",
            )
    for executed, statements, _ in _literal_statements(revision):
        if executed.function != "upgrade":
            continue
        for statement in statements:
            for node in walk(statement.node):
                risk = destructive(node)
                if risk is not None:
                    yield executed.line, executed.end_line, risk


def require_allowed_destructive(revision: RevisionSource, path: str) -> Iterator[Finding]:
    """A drop in upgrade() needs ``# guard: allow-destructive <reason>`` on its line.

    Prevents the deploy that silently deletes a column still read by the running release; the
    reason is echoed as a warning so the report shows who accepted the data loss and why.
    """
    for first, last, risk in _destructive_operations(revision):
        reason = _allow_reason(revision, first, last)
        if reason:
            yield warning(
                registry.ALLOWED_DESTRUCTIVE,
                path,
                first,
                f"{risk}; allowed: {reason}",
                "Make sure no running code still reads it and a backup exists.",
            )
        elif reason == "":
            yield error(
                registry.REQUIRE_ALLOWED_DESTRUCTIVE,
                path,
                first,
                f"{risk}; the allow-destructive comment gives no reason",
                f"Write why the data can go: `# {ALLOW_DESTRUCTIVE} <reason>`.",
            )
        else:
            yield error(
                registry.REQUIRE_ALLOWED_DESTRUCTIVE,
                path,
                first,
                f"{risk}, with no recorded decision",
                f"Add `# {ALLOW_DESTRUCTIVE} <reason>` on the line once the data loss is "
                "agreed, or keep the data (rename, expand-contract).",
            )


SECURITY_RULES: list[SecurityRule] = [
    ban_sql_injection,
    sql_unparseable,
    dangerous_statements,
    require_allowed_destructive,
]
