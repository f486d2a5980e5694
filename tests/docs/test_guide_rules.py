"""Every rule of the registry has its own section (``### <rule-id>``) in the guide.

A finding names its rule; the SARIF report links to the rule's heading; a rule without a section
leaves the developer with a red build and nowhere to read the fix. The registry is the list of
rules (a finding of any other rule cannot be made), so the scenarios' expected rule ids are
checked against it too: a scenario that expects an id the guard cannot report would never pass.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from backend.db.guard.rules.registry import RULES, UnknownRule, resolve

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "DATABASE_MIGRATION_GUIDE.md").read_text(encoding="utf-8")
HEADINGS = {m.group(1).strip("` ") for m in re.finditer(r"^### (.+)$", GUIDE, flags=re.M)}


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a markdown heading: lowercase, punctuation dropped, spaces to -."""
    kept = "".join(c for c in heading.strip().lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.label)
def test_every_rule_has_a_section_its_anchor_lands_on(rule) -> None:
    assert rule.guide_heading in HEADINGS, f"no `### {rule.guide_heading}` in the guide"
    assert rule.anchor == github_anchor(rule.guide_heading)


def test_scenarios_expect_only_registered_rules() -> None:
    expected = set()
    for path in (ROOT / "tests" / "scenarios").glob("*/*/expected.toml"):
        data = tomllib.loads(path.read_text())
        expected |= {*data.get("rules", []), *data.get("warnings", [])}
    assert expected, "no scenario expected.toml found"
    unknown = []
    for rule_id in sorted(expected):
        try:
            resolve(rule_id)
        except UnknownRule:
            unknown.append(rule_id)
    assert unknown == []
