"""CHECK expressions as small formulas the planner can reason about.

PostgreSQL's deparse of a CHECK (``pg_get_expr``) is parsed with pglast into atoms joined by AND
and OR, with NOT pushed down to the atoms. ``under_nulls`` then evaluates a formula for a class of
rows in which some columns are NULL: a comparison with a NULL is unknown, which a CHECK accepts,
so what remains is the part the values of that class must satisfy.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pglast
from pglast import ast
from pglast.enums import A_Expr_Kind, BoolExprType, BoolTestType, NullTestType

from backend.db.rehearsal.catalog import walk

NUMERIC_CASTS = {"int2", "int4", "int8", "numeric", "float4", "float8", "integer", "bigint"}
FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "<>": "<>"}
NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "=": "<>", "<>": "="}


# Terms --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Col:
    name: str


@dataclass(frozen=True)
class Const:
    value: object


@dataclass(frozen=True)
class Func:
    name: str
    args: tuple[object, ...]


@dataclass(frozen=True)
class OpaqueTerm:
    sql: str


# Atoms and formulas -------------------------------------------------------------------------
@dataclass(frozen=True)
class NullTest:
    column: str
    is_null: bool


@dataclass(frozen=True)
class Compare:
    op: str
    left: object
    right: object


@dataclass(frozen=True)
class Member:
    term: object
    items: tuple[object, ...]
    negated: bool


@dataclass(frozen=True)
class Match:
    term: object
    pattern: str
    negated: bool


@dataclass(frozen=True)
class Opaque:
    """A part of a CHECK the planner does not understand; the INSERT decides."""

    sql: str
    columns: frozenset[str]


@dataclass(frozen=True)
class And:
    items: tuple[object, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[object, ...]


TRUE = And(())
FALSE = Or(())


def columns_of(node: object) -> set[str]:
    if isinstance(node, Col):
        return {node.name}
    if isinstance(node, NullTest):
        return {node.column}
    if isinstance(node, Opaque):
        return set(node.columns)
    if isinstance(node, Func):
        return set().union(*(columns_of(a) for a in node.args))
    if isinstance(node, Compare):
        return columns_of(node.left) | columns_of(node.right)
    if isinstance(node, Member):
        return columns_of(node.term).union(*(columns_of(i) for i in node.items))
    if isinstance(node, Match):
        return columns_of(node.term)
    if isinstance(node, (And, Or)):
        return set().union(*(columns_of(i) for i in node.items))
    return set()


def _refs(node: ast.Node) -> frozenset[str]:
    return frozenset(
        n.fields[-1].sval
        for n in walk(node)
        if isinstance(n, ast.ColumnRef) and isinstance(n.fields[-1], ast.String)
    )


def _opaque(node: ast.Node) -> Opaque:
    from pglast.stream import RawStream

    return Opaque(RawStream()(node), _refs(node))


def _term(node: ast.Node) -> object:
    if isinstance(node, ast.TypeCast):
        inner = _term(node.arg)
        target = node.typeName.names[-1].sval
        if isinstance(inner, Const) and isinstance(inner.value, str) and target in NUMERIC_CASTS:
            try:
                return Const(Decimal(inner.value))
            except ArithmeticError:
                return OpaqueTerm(target)
        return inner
    if isinstance(node, ast.ColumnRef) and isinstance(node.fields[-1], ast.String):
        return Col(node.fields[-1].sval)
    if isinstance(node, ast.A_Const):
        if node.isnull:
            return Const(None)
        value = node.val
        if isinstance(value, ast.Integer):
            return Const(Decimal(value.ival))
        if isinstance(value, ast.Float):
            return Const(Decimal(value.fval))
        if isinstance(value, ast.String):
            return Const(value.sval)
        if isinstance(value, ast.Boolean):
            return Const(value.boolval)
    if isinstance(node, ast.FuncCall) and node.args is not None:
        return Func(node.funcname[-1].sval, tuple(_term(a) for a in node.args))
    if (
        isinstance(node, ast.A_Expr)
        and node.kind == A_Expr_Kind.AEXPR_OP
        and node.lexpr is None
        and node.name[-1].sval == "-"
    ):
        inner = _term(node.rexpr)
        if isinstance(inner, Const) and isinstance(inner.value, Decimal):
            return Const(-inner.value)
    return OpaqueTerm(repr(node))


def _has_opaque(term: object) -> bool:
    if isinstance(term, OpaqueTerm):
        return True
    if isinstance(term, Func):
        return any(_has_opaque(a) for a in term.args)
    return False


def _formula(node: ast.Node) -> object:
    if isinstance(node, ast.BoolExpr):
        items = tuple(_formula(a) for a in node.args)
        if node.boolop == BoolExprType.AND_EXPR:
            return And(items)
        if node.boolop == BoolExprType.OR_EXPR:
            return Or(items)
        return negate(items[0])
    if isinstance(node, ast.NullTest) and isinstance(_term(node.arg), Col):
        return NullTest(_term(node.arg).name, node.nulltesttype == NullTestType.IS_NULL)
    if isinstance(node, ast.BooleanTest) and isinstance(_term(node.arg), Col):
        wanted = node.booltesttype in (BoolTestType.IS_TRUE, BoolTestType.IS_NOT_FALSE)
        column = _term(node.arg)
        return Compare("=", column, Const(wanted))
    if isinstance(node, ast.ColumnRef):
        return Compare("=", _term(node), Const(True))
    if isinstance(node, ast.A_Expr):
        atom = _a_expr(node)
        if atom is not None:
            return atom
    return _opaque(node)


def _a_expr(node: ast.A_Expr) -> object | None:
    op = node.name[-1].sval if node.name else None
    kind = node.kind
    if kind == A_Expr_Kind.AEXPR_OP and node.lexpr is not None:
        left, right = _term(node.lexpr), _term(node.rexpr)
        if _has_opaque(left) or _has_opaque(right):
            return None
        if op in FLIP:
            return Compare(op, left, right)
        if op in ("~", "!~") and isinstance(right, Const) and isinstance(right.value, str):
            return Match(left, right.value, op == "!~")
        return None
    if kind in (A_Expr_Kind.AEXPR_OP_ANY, A_Expr_Kind.AEXPR_OP_ALL, A_Expr_Kind.AEXPR_IN):
        array = node.rexpr
        while isinstance(array, ast.TypeCast):
            array = array.arg
        elements = array.elements if isinstance(array, ast.A_ArrayExpr) else array
        if not isinstance(elements, tuple):
            return None
        term, items = _term(node.lexpr), tuple(_term(e) for e in elements)
        if _has_opaque(term) or any(_has_opaque(i) for i in items):
            return None
        if kind == A_Expr_Kind.AEXPR_IN:
            return Member(term, items, op == "<>")
        if kind == A_Expr_Kind.AEXPR_OP_ANY and op == "=":
            return Member(term, items, False)
        if kind == A_Expr_Kind.AEXPR_OP_ALL and op == "<>":
            return Member(term, items, True)
        return None
    if kind in (A_Expr_Kind.AEXPR_BETWEEN, A_Expr_Kind.AEXPR_NOT_BETWEEN):
        term = _term(node.lexpr)
        low, high = (_term(e) for e in node.rexpr)
        inside = And((Compare(">=", term, low), Compare("<=", term, high)))
        return inside if kind == A_Expr_Kind.AEXPR_BETWEEN else negate(inside)
    return None


def negate(node: object) -> object:
    if isinstance(node, And):
        return Or(tuple(negate(i) for i in node.items))
    if isinstance(node, Or):
        return And(tuple(negate(i) for i in node.items))
    if isinstance(node, NullTest):
        return NullTest(node.column, not node.is_null)
    if isinstance(node, Compare):
        return Compare(NEGATE[node.op], node.left, node.right)
    if isinstance(node, Member):
        return Member(node.term, node.items, not node.negated)
    if isinstance(node, Match):
        return Match(node.term, node.pattern, not node.negated)
    return Opaque(f"NOT ({node.sql})", node.columns)


def parse_check(expression: str) -> object:
    """The formula of a CHECK expression as ``pg_get_expr`` prints it."""
    try:
        (statement,) = pglast.parse_sql(f"SELECT {expression}")
    except pglast.parser.ParseError:
        return Opaque(expression, frozenset())
    return _formula(statement.stmt.targetList[0].val)


def under_nulls(node: object, nulls: frozenset[str]) -> object:
    """What ``node`` still demands of rows whose NULL columns are exactly ``nulls``.

    In a formula whose NOTs sit at the atoms, an atom reading a NULL is unknown, and unknown
    makes the CHECK pass exactly where TRUE would, so it evaluates as TRUE."""
    if isinstance(node, NullTest):
        return TRUE if (node.column in nulls) == node.is_null else FALSE
    if isinstance(node, (And, Or)):
        items = [under_nulls(i, nulls) for i in node.items]
        absorbing, neutral = (FALSE, TRUE) if isinstance(node, And) else (TRUE, FALSE)
        if absorbing in items:
            return absorbing
        kept = tuple(i for i in items if i != neutral)
        if len(kept) == 1:
            return kept[0]
        return type(node)(kept)
    if columns_of(node) & nulls:
        return TRUE
    return node


def choose(node: object, prefer: object) -> list[object]:
    """The atoms to satisfy: every item of an AND, one disjunct of an OR (``prefer`` ranks them,
    lower is better). A FALSE formula yields ``[FALSE]``."""
    if node == FALSE:
        return [FALSE]
    if isinstance(node, And):
        return [atom for item in node.items for atom in choose(item, prefer)]
    if isinstance(node, Or):
        options = [choose(item, prefer) for item in node.items]
        return min(options, key=lambda atoms: sum(prefer(a) for a in atoms))
    return [node]
