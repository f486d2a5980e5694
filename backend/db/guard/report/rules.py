"""``migration-guard rules``: the registry's table as text (aligned columns) or JSON."""

from __future__ import annotations

import json

from backend.db.guard.rules.registry import RULES, Rule

FORMATS = ("text", "json")
COLUMNS = ("id", "check", "severity", "summary")


def render(fmt: str, rules: tuple[Rule, ...] = RULES) -> str:
    """Every rule, in the registry's order; ValueError for a format other than ``FORMATS``."""
    if fmt == "json":
        return json.dumps([_entry(rule) for rule in rules], indent=2) + "\n"
    if fmt != "text":
        raise ValueError(f"rules are listed as {' or '.join(FORMATS)}, not {fmt}")
    rows = [COLUMNS] + [(r.label, r.check, r.severity.value, r.summary) for r in rules]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS) - 1)]
    lines = [
        "  ".join([*(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)), row[-1]])
        for row in rows
    ]
    return "\n".join(lines) + "\n"


def _entry(rule: Rule) -> dict:
    return {
        "id": rule.id,
        "family": rule.family,
        "check": rule.check,
        "severity": rule.severity.value,
        "summary": rule.summary,
        "guide": f"DATABASE_MIGRATION_GUIDE.md#{rule.anchor}",
    }
