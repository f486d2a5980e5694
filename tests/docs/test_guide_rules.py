"""Every rule id the guard can report has its own section (``### <rule-id>``) in the guide.

A finding names its rule; the SARIF report links to ``DATABASE_MIGRATION_GUIDE.md#<rule-id>``;
a rule without a section leaves the developer with a red build and nowhere to read the fix.

The guard keeps no single registry of its rule ids (they are the first argument of
``error()``/``warning()``, the ``id`` of an ``SqlRule``, or passed through helpers such as
``migration_failure(context, rule, ...)``), so this test asks the code itself: it parses every
file of ``backend/db/guard`` with ``ast``, finds each callable that takes a ``rule`` (or a
``*Rule`` class's ``id``), and resolves the argument given at every call: a string literal, a
module constant or dict of constants, or an f-string whose literal prefix names a family of ids
(``ruff-``, ``bandit-``, ``squawk-``: one section per family). An argument it cannot resolve
fails the test, so a new indirection cannot hide a rule from it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
GUARD = ROOT / "backend" / "db" / "guard"
GUIDE = ROOT / "DATABASE_MIGRATION_GUIDE.md"
SCENARIOS = ROOT / "tests" / "scenarios"


@dataclass
class RuleIds:
    ids: set[str] = field(default_factory=set)
    families: set[str] = field(default_factory=set)
    unresolved: list[str] = field(default_factory=list)


def _call_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def rule_sinks(trees: dict[Path, ast.Module]) -> dict[str, tuple[int, str]]:
    """Callables taking a rule id: name -> (positional index, keyword name).

    Functions with a ``rule`` parameter, classes with a ``rule`` field, ``*Rule`` classes with an
    ``id`` field, and names bound to one of them (``make = warning if ... else error``).
    """
    sinks: dict[str, tuple[int, str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                names = [a.arg for a in node.args.posonlyargs + node.args.args]
                if "rule" in names:
                    sinks[node.name] = (names.index("rule"), "rule")
            elif isinstance(node, ast.ClassDef):
                fields = [
                    s.target.id
                    for s in node.body
                    if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
                ]
                if "rule" in fields:
                    sinks[node.name] = (fields.index("rule"), "rule")
                elif node.name.endswith("Rule") and "id" in fields:
                    sinks[node.name] = (fields.index("id"), "id")
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
                options = [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]
                names = [o.id for o in options if isinstance(o, ast.Name)]
                if isinstance(target, ast.Name) and names and all(n in sinks for n in names):
                    sinks[target.id] = sinks[names[0]]
    return sinks


def _module_constants(tree: ast.Module) -> dict[str, ast.expr]:
    constants = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    constants[target.id] = statement.value
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            if statement.value is not None:
                constants[statement.target.id] = statement.value
    return constants


def _resolve(
    expr: ast.expr, constants: dict[str, ast.expr], passthrough: set[str], found: RuleIds
) -> bool:
    """Add what ``expr`` can evaluate to; False when it cannot be resolved statically."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        found.ids.add(expr.value)
        return True
    if isinstance(expr, ast.JoinedStr) and expr.values and isinstance(expr.values[0], ast.Constant):
        found.families.add(str(expr.values[0].value))
        return True
    if isinstance(expr, ast.Name):
        if expr.id in passthrough:
            return True  # a helper's own ``rule`` parameter: its callers are resolved instead
        if expr.id in constants:
            return _resolve(constants[expr.id], constants, passthrough, found)
        return False
    if isinstance(expr, ast.Dict):
        return all(_resolve(v, constants, passthrough, found) for v in expr.values)
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "get"
        and isinstance(expr.func.value, ast.Name)
    ):
        parts = [expr.func.value, *expr.args[1:]]
        return all(_resolve(p, constants, passthrough, found) for p in parts)
    return False


def _enclosing_functions(tree: ast.Module) -> dict[ast.AST, ast.FunctionDef]:
    enclosing: dict[ast.AST, ast.FunctionDef] = {}
    for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        for statement in function.body:
            for node in ast.walk(statement):
                enclosing[node] = function  # inner functions come later in ast.walk and win
    return enclosing


def guard_rule_ids(directory: Path = GUARD) -> RuleIds:
    """Every rule id (and id family) the guard's source can pass to a finding."""
    trees = {p: ast.parse(p.read_text(), filename=str(p)) for p in sorted(directory.rglob("*.py"))}
    sinks = rule_sinks(trees)
    # ``rule.id`` of an SqlRule: its ids are collected where the SqlRule objects are built.
    attribute_fields = {keyword for _, keyword in sinks.values() if keyword != "rule"}
    found = RuleIds()
    for path, tree in trees.items():
        constants = _module_constants(tree)
        enclosing = _enclosing_functions(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _call_name(node) not in sinks:
                continue
            function = enclosing.get(node)
            params = {a.arg for a in function.args.args} & {"rule"} if function else set()
            index, keyword = sinks[_call_name(node)]
            given = [k.value for k in node.keywords if k.arg == keyword]
            if index < len(node.args):
                given.append(node.args[index])
            for expr in given:
                if isinstance(expr, ast.Attribute) and expr.attr in attribute_fields:
                    continue
                if not _resolve(expr, constants, params, found):
                    where = f"{path.relative_to(directory)}:{node.lineno}"
                    found.unresolved.append(f"{where}: {ast.unparse(expr)}")
    return found


def guide_headings(text: str) -> set[str]:
    return {m.group(1).strip("` ") for m in re.finditer(r"^### (.+)$", text, flags=re.M)}


def scenario_rule_ids() -> set[str]:
    ids: set[str] = set()
    for expected in SCENARIOS.glob("*/*/expected.toml"):
        data = tomllib.loads(expected.read_text())
        ids.update(data.get("rules", []))
        ids.update(data.get("warnings", []))
    return ids


@pytest.fixture(scope="module")
def found() -> RuleIds:
    """The guard's rule ids, parsed once for the tests of this module."""
    return guard_rule_ids()


def test_the_rule_ids_are_found_in_the_guard_source(found: RuleIds) -> None:
    """The collector resolves every rule argument and finds the rules of every check."""
    assert found.unresolved == []
    for known in ("single-head", "require-real-downgrade", "no-model-drift", "enum-left-behind",
                  "ban-sql-injection", "ban-truncate", "upgrade-fails", "stairway"):  # fmt: skip
        assert known in found.ids
    assert {"ruff-", "bandit-", "squawk-"} <= found.families


def test_scenarios_expect_only_rule_ids_the_collector_knows(found: RuleIds) -> None:
    """A cross-check of the collector: every id a scenario expects is among those it found."""
    expected = scenario_rule_ids()
    assert expected, "no scenario expected.toml found"
    unknown = {
        rule
        for rule in expected
        if rule not in found.ids and not any(rule.startswith(f) for f in found.families)
    }
    assert unknown == set()


def test_every_rule_id_has_a_section_in_the_guide(found: RuleIds) -> None:
    headings = guide_headings(GUIDE.read_text(encoding="utf-8"))
    missing = sorted(found.ids - headings)
    assert missing == [], f"rule ids without a `### <id>` section in the guide: {missing}"
    families = sorted(f for f in found.families if not any(h.startswith(f) for h in headings))
    assert families == [], f"rule id families without a section: {families}"


def test_the_collector_sees_through_constants_dicts_and_fstrings(tmp_path: Path) -> None:
    """The collector itself: each way of naming a rule is found, and an opaque one is flagged."""
    (tmp_path / "rules.py").write_text(
        "FALLBACK = 'c-fallback'\n"
        "BY_KIND = {'enum': 'b-enum'}\n"
        "def error(rule, path, line, message, hint): ...\n"
        "def failure(context, rule, exc):\n"
        "    return error(rule, '', 1, '', '')\n"
        "def check(kind, code, name):\n"
        "    error('a-literal', '', 1, '', '')\n"
        "    error(BY_KIND.get(kind, FALLBACK), '', 1, '', '')\n"
        "    error(f'tool-{code}', '', 1, '', '')\n"
        "    failure(None, 'd-passed', None)\n"
        "    error(name.upper(), '', 1, '', '')\n"
    )
    found = guard_rule_ids(tmp_path)
    assert found.ids == {"a-literal", "b-enum", "c-fallback", "d-passed"}
    assert found.families == {"tool-"}
    assert len(found.unresolved) == 1 and "name.upper()" in found.unresolved[0]
