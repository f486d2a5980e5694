"""A revision file read with ``ast`` and ``tokenize``: its ids, functions, comments and executed SQL.

Nothing here imports or runs the revision: the guard must judge a file that cannot even load.
Executed SQL is found by walking calls (``op.execute``, ``conn.execute``, ``exec_driver_sql``,
``sa.text``) and resolving their argument through simple name assignments, so a constant defined
at module level and formatted later is still seen for what it is.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

EXECUTE_METHODS = frozenset({"execute", "exec_driver_sql"})
TEXT_FUNCTIONS = frozenset({"text"})
# ``# guard: irreversible <reason>`` inside downgrade(): the data upgrade() changes cannot come back.
IRREVERSIBLE = "guard: irreversible"


@dataclass(frozen=True)
class ExecutedSql:
    """One SQL string that reaches the database, or the reason it cannot be read statically.

    ``sql`` is the literal text when every piece is a literal; ``dynamic`` names the non-literal
    construction (f-string, ``%``, ``.format``, ``+`` with a variable, unknown name) otherwise.
    ``statement`` is False for ``sa.text`` fragments that are not executed (a server default).
    """

    line: int
    end_line: int
    function: str | None
    sql: str | None
    dynamic: str | None
    statement: bool
    driver_sql: bool = False  # exec_driver_sql(): no ``:name`` parameters, sent as written


@dataclass
class RevisionSource:
    """One revision file: its text, its ast (None when it does not compile) and the error."""

    path: Path
    text: str
    tree: ast.Module | None
    syntax_error: SyntaxError | None = None
    _sql: list[ExecutedSql] | None = field(default=None, repr=False)

    @cached_property
    def revision(self) -> str | None:
        """The ``revision`` id the file declares (a string literal), if any."""
        value = module_value(self.tree, "revision") if self.tree else None
        return value if isinstance(value, str) else None

    @cached_property
    def down_revisions(self) -> tuple[str, ...]:
        """The ids ``down_revision`` names (one, several for a merge, none for a base)."""
        value = module_value(self.tree, "down_revision") if self.tree else None
        if isinstance(value, str):
            return (value,)
        if isinstance(value, (tuple, list)):
            return tuple(v for v in value if isinstance(v, str))
        return ()

    def function(self, name: str) -> ast.FunctionDef | None:
        """The module-level function ``name`` (``upgrade``/``downgrade``), if defined."""
        if self.tree is None:
            return None
        for node in self.tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                return node
        return None

    @cached_property
    def comments(self) -> dict[int, str]:
        """Comment text by line number, read with ``tokenize`` (never from strings)."""
        found: dict[int, str] = {}
        try:
            for token in tokenize.generate_tokens(io.StringIO(self.text).readline):
                if token.type == tokenize.COMMENT:
                    found[token.start[0]] = token.string
        except (tokenize.TokenError, SyntaxError):
            pass
        return found

    def find_marker(self, marker: str, first: int, last: int) -> tuple[int, str] | None:
        """The first comment on lines ``first``..``last`` that starts with ``# <marker>``: its
        line and the reason written after the marker ("" for a bare marker); None when absent.

        Markers are read from comments only, so a marker inside a SQL string does not count.
        """
        for line in range(first, last + 1):
            comment = self.comments.get(line, "").lstrip("#").strip()
            if comment.startswith(marker):
                return line, comment[len(marker) :].strip()
        return None

    def irreversible_marker(self) -> tuple[int, str] | None:
        """The line and reason of ``# guard: irreversible <reason>`` inside downgrade()."""
        downgrade = self.function("downgrade")
        if downgrade is None:
            return None
        return self.find_marker(
            IRREVERSIBLE, downgrade.lineno, downgrade.end_lineno or downgrade.lineno
        )

    def executed_sql(self) -> list[ExecutedSql]:
        """Every SQL string the revision sends to the database, in line order."""
        if self._sql is None:
            self._sql = list(_find_executed_sql(self.tree)) if self.tree else []
        return self._sql


def parse_revision(path: Path) -> RevisionSource:
    """Read and parse one revision file; a syntax error is kept, never raised."""
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        tree = ast.parse(text, filename=str(path))
    except SyntaxError as exc:
        return RevisionSource(path, text, None, exc)
    return RevisionSource(path, text, tree)


def module_value(tree: ast.Module, name: str) -> object:
    """The literal value of a module-level ``name = ...`` (annotated or not), else None."""
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            value = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets, value = [node.target.id], node.value
        else:
            continue
        if name in targets and value is not None:
            try:
                return ast.literal_eval(value)
            except ValueError:
                return None
    return None


def call_name(call: ast.Call) -> str | None:
    """The called name: ``execute`` for ``op.execute(...)``, ``text`` for ``sa.text(...)``."""
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


def enclosing_functions(tree: ast.Module) -> dict[int, str]:
    """For every node id inside a module-level function, that function's name."""
    owner: dict[int, str] = {}
    for top in tree.body:
        if isinstance(top, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(top):
                owner[id(node)] = top.name
    return owner


class _Scope:
    """Simple name bindings: ``NAME = expr`` and ``for NAME in (literals...)``, per function."""

    def __init__(self, tree: ast.Module) -> None:
        self.module = _bindings(tree.body)
        self.functions = {
            node.name: _bindings(list(ast.walk(node)))
            for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        }

    def lookup(self, name: str, function: str | None) -> list[ast.expr] | None:
        if function is not None and name in self.functions.get(function, {}):
            return self.functions[function][name]
        return self.module.get(name)


def _bindings(nodes: list[ast.AST]) -> dict[str, list[ast.expr]]:
    bound: dict[str, list[ast.expr]] = {}
    for node in nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                bound.setdefault(target.id, []).append(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            bound.setdefault(node.target.id, []).append(node.value)
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            # ``sql += f"..."`` extends the string: judge the appended piece too.
            bound.setdefault(node.target.id, []).append(node.value)
        elif isinstance(node, ast.For) and isinstance(node.target, ast.Name):
            bound.setdefault(node.target.id, []).append(ast.Starred(value=node.iter))
    return bound


@dataclass(frozen=True)
class _Text:
    """An expression resolved to SQL text: literal pieces, or why it is not literal."""

    sql: str | None
    dynamic: str | None


def _find_executed_sql(tree: ast.Module) -> Iterator[ExecutedSql]:
    scope = _Scope(tree)
    owner = enclosing_functions(tree)
    seen_text_calls: set[int] = set()
    sinks: list[tuple[ast.Call, ast.expr, bool]] = []  # (call, SQL argument, executed?)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = call_name(node)
        if name in EXECUTE_METHODS:
            sinks.append((node, node.args[0], True))
        elif name in TEXT_FUNCTIONS:
            sinks.append((node, node.args[0], False))
    # Executed sinks first, so a ``sa.text`` inside ``op.execute`` is reported once, as a statement.
    for call, argument, executed in sorted(sinks, key=lambda s: (not s[2], s[0].lineno)):
        if not executed and id(call) in seen_text_calls:
            continue
        function = owner.get(id(call))
        for text in _resolve(argument, scope, function, seen_text_calls, depth=0):
            if text is None:
                continue
            yield ExecutedSql(
                line=call.lineno,
                end_line=call.end_lineno or call.lineno,
                function=function,
                sql=text.sql,
                dynamic=text.dynamic,
                statement=executed,
                driver_sql=call_name(call) == "exec_driver_sql",
            )


def _resolve(
    node: ast.expr, scope: _Scope, function: str | None, text_calls: set[int], depth: int
) -> list[_Text | None]:
    """The SQL texts an expression can evaluate to; None for things that are not SQL text."""
    if depth > 10:
        return [_Text(None, "an expression too deep to follow")]
    again = lambda child: _resolve(child, scope, function, text_calls, depth + 1)  # noqa: E731
    if isinstance(node, ast.Constant):
        return [_Text(node.value, None)] if isinstance(node.value, str) else [None]
    if isinstance(node, ast.JoinedStr):
        if any(isinstance(v, ast.FormattedValue) for v in node.values):
            return [_Text(None, "an f-string with placeholders")]
        return [_Text("".join(v.value for v in node.values if isinstance(v, ast.Constant)), None)]
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Mod):
            return [_Text(None, "%-formatting")]
        if isinstance(node.op, ast.Add):
            # ``"..." + name`` is building SQL from a variable, even when the name holds a
            # literal today; only literal pieces (``"a" "b"``, ``"a" + "b"``) stay literal.
            if any(isinstance(side, ast.Name) for side in (node.left, node.right)):
                return [_Text(None, "string concatenation with a variable")]
            left, right = again(node.left), again(node.right)
            if all(t is not None and t.sql is not None for t in left + right):
                return [_Text(a.sql + b.sql, None) for a in left for b in right]  # type: ignore[operator, union-attr]
            return [_Text(None, "string concatenation with a non-literal piece")]
        return [_Text(None, "an operator expression")]
    if isinstance(node, ast.Call):
        name = call_name(node)
        if name == "format" and isinstance(node.func, ast.Attribute):
            return [_Text(None, "str.format()")]
        if name == "bindparams" and isinstance(node.func, ast.Attribute):
            return again(node.func.value)  # ``sa.text("...").bindparams(...)``: the text's SQL
        if name in TEXT_FUNCTIONS and node.args:
            text_calls.add(id(node))
            return again(node.args[0])
        if name == "join" and isinstance(node.func, ast.Attribute):
            return [_Text(None, "str.join() of computed pieces")]
        return [None]  # a SQLAlchemy construct (table.update(), ...): compiled, not text
    if isinstance(node, ast.Name):
        values = scope.lookup(node.id, function)
        if not values:
            return [_Text(None, f"the name `{node.id}`, whose value is not a literal here")]
        resolved: list[_Text | None] = []
        for value in values:
            resolved.extend(again(value))
        return resolved
    if isinstance(node, ast.Starred):  # ``for stmt in (...)``: each element
        if isinstance(node.value, (ast.Tuple, ast.List)):
            resolved = []
            for element in node.value.elts:
                resolved.extend(again(element))
            return resolved
        if isinstance(node.value, ast.Name):
            values = scope.lookup(node.value.id, function) or []
            return [t for v in values for t in again(ast.Starred(value=v))] or [
                _Text(None, f"items of `{node.value.id}`, whose value is not a literal here")
            ]
        return [_Text(None, "items of a computed sequence")]
    return [_Text(None, f"a computed expression ({type(node).__name__})")]
