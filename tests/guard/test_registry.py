"""The rule registry: one table of well-formed rules, and findings can only be made from it."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from backend.db.guard.checks import CHECK_MODULES
from backend.db.guard.findings import (
    Finding,
    Severity,
    UnknownRule,
    WrongSeverity,
    error,
    finding,
    warning,
)
from backend.db.guard.rules import registry
from backend.db.guard.rules.registry import RULES, resolve

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
WHERE = ("versions/a1.py", 3, "the risk", "the fix")


def test_every_rule_is_well_formed_and_ids_are_unique() -> None:
    assert len({rule.id for rule in RULES}) == len(RULES)
    for rule in RULES:
        assert rule.check in CHECK_MODULES, rule
        assert rule.summary and "\n" not in rule.summary and len(rule.summary) <= 100, rule
        if not rule.family:
            assert KEBAB.match(rule.id), rule.id


def test_a_family_covers_its_tools_ids_and_no_other_rule() -> None:
    assert resolve("bandit-B602") is registry.BANDIT
    assert resolve("ruff-F821") is registry.RUFF
    assert resolve("squawk-ban-drop-column") is registry.SQUAWK
    families = [rule for rule in RULES if rule.family]
    for family in families:
        covered = [rule.id for rule in RULES if rule is not family and family.covers(rule.id)]
        assert covered == [], f"{family.label} swallows {covered}"
        assert not family.covers(family.id)  # the bare prefix is not an id


@pytest.mark.parametrize("rule_id", ["no-such-rule", "bandit-", "ruff-E501", "Single-Head"])
def test_a_finding_of_an_unregistered_rule_cannot_be_made(rule_id: str) -> None:
    with pytest.raises(UnknownRule, match="not in the registry"):
        error(rule_id, *WHERE)
    with pytest.raises(UnknownRule):
        Finding(rule_id, Severity.ERROR, *WHERE)


def test_a_rule_that_is_not_the_registrys_entry_cannot_be_reported() -> None:
    stray = replace(registry.SINGLE_HEAD, summary="something else")
    with pytest.raises(UnknownRule):
        error(stray, *WHERE)
    with pytest.raises(UnknownRule, match="family"):
        error(registry.BANDIT, *WHERE)  # a family needs the tool's id


def test_findings_are_made_from_rule_values_or_ids_at_the_default_severity() -> None:
    assert error(registry.SINGLE_HEAD, *WHERE) == error("single-head", *WHERE)
    assert error(registry.SINGLE_HEAD, *WHERE).severity is Severity.ERROR
    assert warning("squawk-ban-drop-column", *WHERE).severity is Severity.WARNING
    assert finding(registry.SQL_UNPARSEABLE, *WHERE).severity is Severity.WARNING


def test_the_other_severity_needs_an_explicit_override() -> None:
    with pytest.raises(WrongSeverity, match="warning by default"):
        error(registry.SQL_UNPARSEABLE, *WHERE)
    with pytest.raises(WrongSeverity, match="error by default"):
        warning("ruff-F401", *WHERE)
    override = finding("ruff-F401", *WHERE, severity=Severity.WARNING)
    assert (override.rule, override.severity) == ("ruff-F401", Severity.WARNING)
    assert override.registered is registry.RUFF
