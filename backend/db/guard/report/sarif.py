"""SARIF 2.1.0 for GitHub code scanning: one run, its rules (with help text) and results."""

from __future__ import annotations

import json

from backend.db.guard.findings import CheckResult, Finding, Severity

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
GUIDE = "DATABASE_MIGRATION_GUIDE.md"


def render(results: list[CheckResult]) -> str:
    findings = [finding for result in results for finding in result.findings]
    rules: dict[str, dict] = {}
    for finding in findings:
        rules.setdefault(finding.rule, _rule(finding))
    rule_index = {rule_id: index for index, rule_id in enumerate(rules)}
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "migration-guard",
                        "informationUri": f"{GUIDE}",
                        "rules": list(rules.values()),
                    }
                },
                "results": [_result(finding, rule_index[finding.rule]) for finding in findings],
                "properties": {"checks": [r.check for r in results]},
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"


# Tools' rules share one section of the guide per tool; GitHub's anchors are lowercase.
FAMILY_ANCHORS = {"ruff-": "ruff-f", "bandit-": "bandit-b", "squawk-": "squawk-rules"}


def guide_anchor(rule_id: str) -> str:
    """The guide's heading anchor that documents ``rule_id``."""
    for prefix, anchor in FAMILY_ANCHORS.items():
        if rule_id.startswith(prefix):
            return anchor
    return rule_id.lower()


def _rule(finding: Finding) -> dict:
    link = f"{GUIDE}#{guide_anchor(finding.rule)}"
    return {
        "id": finding.rule,
        "name": finding.rule,
        "shortDescription": {"text": finding.rule},
        "fullDescription": {"text": finding.message},
        "help": {"text": finding.hint, "markdown": f"{finding.hint}\n\nSee {link}"},
        "helpUri": link,
        "defaultConfiguration": {"level": _level(finding)},
    }


def _result(finding: Finding, rule_index: int) -> dict:
    location: dict = {"artifactLocation": {"uri": finding.path}}
    if finding.line:
        location["region"] = {"startLine": finding.line}
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _level(finding),
        "message": {"text": f"{finding.message} Fix: {finding.hint}"},
        "locations": [{"physicalLocation": location}],
    }


def _level(finding: Finding) -> str:
    return "error" if finding.severity is Severity.ERROR else "warning"
