"""SARIF 2.1.0 for GitHub code scanning: one run, the registry's rules and the results.

``tool.driver.rules`` lists every rule of the registry, in its order, so code scanning knows each
rule's summary and guide link before it ever fires; a tool family (``bandit-B``) is listed as the
tool's ids that have results (``bandit-B602``), because a result's ``ruleId`` must equal its
rule's ``id``. Descriptions are the rules' own summaries; the finding's message and hint go in
the result.

Links point at the guide's heading of each rule. SARIF wants absolute URIs there: under GitHub
Actions the guide on the repository at the commit being checked (its headings match the rules
of that commit), elsewhere the guide in this checkout as a ``file://`` URI.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from backend.db.guard.findings import CheckResult, Finding, Severity
from backend.db.guard.rules.registry import RULES, Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
GUIDE = "DATABASE_MIGRATION_GUIDE.md"
CHECKOUT_GUIDE = Path(__file__).resolve().parents[4] / GUIDE


def guide_uri(environ: Mapping[str, str] = os.environ) -> str:
    """The guide's absolute URI: on the repository under Actions, else in this checkout."""
    server, repository = environ.get("GITHUB_SERVER_URL"), environ.get("GITHUB_REPOSITORY")
    if server and repository:
        ref = environ.get("GITHUB_SHA") or "HEAD"
        return f"{server.rstrip('/')}/{repository}/blob/{ref}/{GUIDE}"
    return CHECKOUT_GUIDE.as_uri()


def render(results: list[CheckResult], environ: Mapping[str, str] = os.environ) -> str:
    findings = [finding for result in results for finding in result.findings]
    guide = guide_uri(environ)
    descriptors = [_descriptor(rule_id, rule, guide) for rule_id, rule in _rule_ids(findings)]
    rule_index = {descriptor["id"]: index for index, descriptor in enumerate(descriptors)}
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "migration-guard",
                        "informationUri": guide,
                        "rules": descriptors,
                    }
                },
                "results": [_result(finding, rule_index[finding.rule]) for finding in findings],
                "properties": {"checks": [r.check for r in results]},
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def _rule_ids(findings: list[Finding]) -> list[tuple[str, Rule]]:
    """Every registry rule in order, each family replaced by its ids that have findings."""
    reported = sorted({finding.rule for finding in findings})
    ids = []
    for rule in RULES:
        if rule.family:
            ids += [(rule_id, rule) for rule_id in reported if rule.covers(rule_id)]
        else:
            ids.append((rule.id, rule))
    return ids


def _descriptor(rule_id: str, rule: Rule, guide: str) -> dict:
    link = f"{guide}#{rule.anchor}"
    return {
        "id": rule_id,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {
            "text": f"{rule.summary} (`migration-guard {rule.check}`, {rule.severity.value} "
            "by default)"
        },
        "helpUri": link,
        "help": {
            "text": f"The problem, the fix and an example: {link}",
            "markdown": f"The problem, the fix and an example: [{rule.guide_heading}]({link})",
        },
        "defaultConfiguration": {"level": _level(rule.severity)},
        "properties": {"check": rule.check},
    }


def _result(finding: Finding, rule_index: int) -> dict:
    location: dict = {"artifactLocation": {"uri": finding.path}}
    if finding.line:
        location["region"] = {"startLine": finding.line}
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _level(finding.severity),
        "message": {"text": f"{finding.message} Fix: {finding.hint}"},
        "locations": [{"physicalLocation": location}],
    }


def _level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"
