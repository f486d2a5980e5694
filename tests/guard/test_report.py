"""The report formats are well-formed and carry every finding (no database needed)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from backend.db.guard import report
from backend.db.guard.findings import CheckResult, error, warning
from backend.db.guard.report import github

FAILED = CheckResult(
    check="downgrade-test",
    findings=[
        error(
            "enum-left-behind",
            "backend/db/migrations/versions/b2_lots.py",
            24,
            "downgrade to base leaves enum cotton_grade behind, 100% sure: a, b",
            "drop it in downgrade()",
        ),
        warning(
            "unused-import",
            "versions/a1.py",
            None,
            "sqlalchemy is imported but unused",
            "remove it",
        ),
    ],
    duration_s=1.5,
    steps=[("upgrade to head", 0.4)],
    notes=["stairway: 2 revisions"],
)
PASSED = CheckResult(check="lint", duration_s=0.1)


def test_json_is_one_object_for_one_check_and_a_list_for_all() -> None:
    single = json.loads(report.render("json", [FAILED], [], as_list=False))
    assert single["check"] == "downgrade-test" and single["ok"] is False
    assert single["findings"][0] == {
        "rule": "enum-left-behind",
        "severity": "error",
        "path": "backend/db/migrations/versions/b2_lots.py",
        "line": 24,
        "message": "downgrade to base leaves enum cotton_grade behind, 100% sure: a, b",
        "hint": "drop it in downgrade()",
    }
    both = json.loads(report.render("json", [PASSED, FAILED], [], as_list=True))
    assert [r["check"] for r in both] == ["lint", "downgrade-test"]
    assert [r["ok"] for r in both] == [True, False]


def test_junit_has_a_suite_per_check_and_a_failure_per_error() -> None:
    root = ET.fromstring(report.render("junit", [PASSED, FAILED], [], as_list=True))
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert set(suites) == {"lint", "downgrade-test"}
    assert suites["lint"].get("failures") == "0"
    assert [case.get("name") for case in suites["lint"]] == ["passed"]
    failed = suites["downgrade-test"]
    assert failed.get("tests") == "2" and failed.get("failures") == "1"
    failures = list(failed.iter("failure"))
    assert len(failures) == 1 and failures[0].get("type") == "enum-left-behind"
    assert "drop it in downgrade()" in failures[0].text
    assert root.get("failures") == "1"


def test_sarif_lists_rules_with_help_and_results_with_locations() -> None:
    sarif = json.loads(report.render("sarif", [PASSED, FAILED], [], as_list=True))
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["enum-left-behind", "unused-import"]
    assert rules[0]["help"]["text"] == "drop it in downgrade()"
    first, second = run["results"]
    assert first["ruleId"] == "enum-left-behind" and first["level"] == "error"
    assert first["ruleIndex"] == 0
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "backend/db/migrations/versions/b2_lots.py"
    assert location["region"]["startLine"] == 24
    assert second["level"] == "warning"
    assert "region" not in second["locations"][0]["physicalLocation"]  # no line: no region


def test_github_annotations_escape_their_data() -> None:
    lines = report.render("github", [FAILED], [], as_list=False).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        "::error file=backend/db/migrations/versions/b2_lots.py,line=24,"
        "title=downgrade-test%3A enum-left-behind::"
    )
    assert "100%25 sure" in lines[0] and "%0AFix: drop it" in lines[0]
    assert lines[1].startswith("::warning file=versions/a1.py,title=")


def test_step_summary_is_a_markdown_table_of_checks_and_findings() -> None:
    summary = github.summary([PASSED, FAILED])
    assert "| lint | ✅ passed | 0 | 0 |" in summary
    assert "| downgrade-test | ❌ failed | 1 | 1 |" in summary
    assert (
        "| downgrade-test | `enum-left-behind` | `backend/db/migrations/versions/b2_lots.py:24` |"
        in summary
    )


def test_text_shows_findings_hints_status_steps_and_notes() -> None:
    text = report.render(
        "text", [PASSED, FAILED], ["postgres: embedded PostgreSQL 16"], as_list=True
    )
    assert (
        "backend/db/migrations/versions/b2_lots.py:24 enum-left-behind downgrade to base leaves"
        in text
    )
    assert "    hint: drop it in downgrade()" in text
    assert "lint: passed" in text and "downgrade-test: FAILED (1 error(s), 1 warning(s))" in text
    assert "upgrade to head" in text and "note: stairway: 2 revisions" in text
    assert "postgres: embedded PostgreSQL 16" in text
    assert "FAILED: downgrade-test" in text


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a markdown heading: lowercase, punctuation dropped, spaces to -."""
    kept = "".join(c for c in heading.strip().lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def test_sarif_help_links_land_on_a_heading_of_the_guide() -> None:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    from backend.db.guard.report.sarif import guide_anchor

    guide = (Path(__file__).resolve().parents[2] / "DATABASE_MIGRATION_GUIDE.md").read_text()
    anchors = {
        github_anchor(line.lstrip("#")) for line in guide.splitlines() if line.startswith("#")
    }
    scenarios = Path(__file__).resolve().parents[1] / "scenarios"
    rules = {"ruff-F821", "bandit-B404", "squawk-require-concurrent-index-creation"}
    for expected in scenarios.glob("*/*/expected.toml"):
        data = tomllib.loads(expected.read_text())
        rules |= set(data.get("rules", [])) | set(data.get("warnings", []))
    missing = sorted(rule for rule in rules if guide_anchor(rule) not in anchors)
    assert missing == []
