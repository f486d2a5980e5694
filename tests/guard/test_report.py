"""The report formats are well-formed and carry every finding (no database needed)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlparse

import jsonschema

from backend.db.guard import report
from backend.db.guard.findings import CheckResult, Severity, error, finding, warning
from backend.db.guard.report import github, junit, sarif
from backend.db.guard.rules import registry
from backend.db.guard.rules.registry import RULES

ROOT = Path(__file__).resolve().parents[2]
SARIF_SHAPE = json.loads((Path(__file__).parent / "sarif-2.1.0-subset.schema.json").read_text())
ACTIONS = {
    "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_REPOSITORY": "cotton/erp",
    "GITHUB_SHA": "0123abc",
}

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
        finding(
            "ruff-F401",
            "versions/a1.py",
            None,
            "sqlalchemy is imported but unused",
            "remove it",
            severity=Severity.WARNING,
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
    assert root.get("failures") == "1"


def test_junit_names_are_unique_and_a_failure_carries_message_and_hint() -> None:
    """Two single-head findings on one line (one per head file would be normal; the same place
    twice must still give two testcases) and a third elsewhere."""
    head = ("versions/b2.py", 1, "the folder has 2 heads", "Join them with `alembic merge heads`.")
    result = CheckResult(
        check="lint",
        findings=[
            error(registry.SINGLE_HEAD, *head),
            error(registry.SINGLE_HEAD, *head),
            error(registry.SINGLE_HEAD, "versions/c3.py", 1, "the folder has 2 heads", "merge"),
        ],
    )
    suite = ET.fromstring(junit.render([result])).find("testsuite")
    names = [case.get("name") for case in suite.iter("testcase")]
    assert names == [
        "single-head @ versions/b2.py:1",
        "single-head @ versions/b2.py:1 #2",
        "single-head @ versions/c3.py:1",
    ]
    failure = suite.find("testcase/failure")
    assert failure.get("message") == "the folder has 2 heads"
    assert "hint: Join them with `alembic merge heads`." in failure.text


def _sarif(results, environ=ACTIONS) -> dict:
    return json.loads(sarif.render(results, environ))


def test_sarif_matches_the_sarif_2_1_0_shape() -> None:
    jsonschema.Draft7Validator.check_schema(SARIF_SHAPE)
    for results in ([PASSED, FAILED], [PASSED], []):
        jsonschema.Draft7Validator(SARIF_SHAPE).validate(_sarif(results))
    broken = _sarif([FAILED])
    broken["runs"][0]["tool"]["driver"]["rules"][0]["shortDescripton"] = {"text": "typo"}
    assert not jsonschema.Draft7Validator(SARIF_SHAPE).is_valid(broken)


def test_sarif_lists_the_registry_rules_with_their_own_summaries() -> None:
    run = _sarif([PASSED, FAILED])["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    concrete = [rule.id for rule in RULES if not rule.family]
    ids = [r["id"] for r in rules]
    assert [i for i in ids if i in concrete] == concrete  # every rule, in the registry's order
    assert [i for i in ids if i not in concrete] == ["ruff-F401"]  # a family: ids with results
    by_id = {r["id"]: r for r in rules}
    leftover = by_id["enum-left-behind"]
    assert leftover["shortDescription"]["text"] == registry.ENUM_LEFT_BEHIND.summary
    assert leftover["fullDescription"]["text"].startswith(registry.ENUM_LEFT_BEHIND.summary)
    assert "cotton_grade" not in json.dumps(leftover)  # not the first finding's message
    assert by_id["ruff-F401"]["shortDescription"]["text"] == registry.RUFF.summary
    assert by_id["ruff-F401"]["defaultConfiguration"]["level"] == "error"  # the family's
    assert by_id["sql-unparseable"]["defaultConfiguration"]["level"] == "warning"


def test_sarif_results_point_at_their_rule_and_location() -> None:
    run = _sarif([PASSED, FAILED])["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    first, second = run["results"]
    assert first["ruleId"] == "enum-left-behind" and first["level"] == "error"
    assert rules[first["ruleIndex"]]["id"] == "enum-left-behind"
    assert rules[second["ruleIndex"]]["id"] == "ruff-F401" and second["level"] == "warning"
    assert "Fix: drop it in downgrade()" in first["message"]["text"]
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "backend/db/migrations/versions/b2_lots.py"
    assert location["region"]["startLine"] == 24
    assert "region" not in second["locations"][0]["physicalLocation"]  # no line: no region


def test_sarif_uris_are_absolute_on_actions_and_off() -> None:
    on_actions = _sarif([FAILED])["runs"][0]["tool"]["driver"]
    guide = "https://github.com/cotton/erp/blob/0123abc/DATABASE_MIGRATION_GUIDE.md"
    assert on_actions["informationUri"] == guide
    assert on_actions["rules"][0]["helpUri"] == f"{guide}#revision-compiles"
    local = _sarif([FAILED], environ={})["runs"][0]["tool"]["driver"]
    assert local["informationUri"] == (ROOT / "DATABASE_MIGRATION_GUIDE.md").as_uri()
    for uri in [local["informationUri"], *(r["helpUri"] for r in local["rules"])]:
        parsed = urlparse(uri)
        assert parsed.scheme in ("https", "file") and parsed.path.startswith("/"), uri


def test_github_annotations_escape_their_data() -> None:
    lines = report.render("github", [FAILED], [], as_list=False).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        "::error file=backend/db/migrations/versions/b2_lots.py,line=24,"
        "title=downgrade-test%3A enum-left-behind::"
    )
    assert "100%25 sure" in lines[0] and "%0AFix: drop it" in lines[0]
    assert lines[1].startswith("::warning file=versions/a1.py,title=")


def test_step_summary_is_a_markdown_table_of_checks_and_findings(monkeypatch) -> None:
    monkeypatch.delenv("GITHUB_SHA", raising=False)  # no links: the places as code
    summary = github.summary([PASSED, FAILED])
    assert "| lint | ✅ passed | 0 | 0 |" in summary
    assert "| downgrade-test | ❌ failed | 1 | 1 |" in summary
    assert (
        "- `backend/db/migrations/versions/b2_lots.py:24` **`enum-left-behind`**: downgrade to "
        "base leaves enum cotton_grade behind" in summary
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
    guide = (ROOT / "DATABASE_MIGRATION_GUIDE.md").read_text(encoding="utf-8")
    anchors = {
        github_anchor(line.lstrip("#")) for line in guide.splitlines() if line.startswith("#")
    }
    tools = CheckResult(
        check="security",
        findings=[
            error("bandit-B404", "versions/a1.py", 2, "subprocess", "remove it"),
            warning("squawk-ban-drop-column", "versions/a1.py", None, "drop", "expand"),
        ],
    )
    rules = _sarif([FAILED, tools])["runs"][0]["tool"]["driver"]["rules"]
    assert {"bandit-B404", "squawk-ban-drop-column"} <= {r["id"] for r in rules}
    missing = sorted(r["id"] for r in rules if r["helpUri"].split("#", 1)[1] not in anchors)
    assert missing == []


def test_github_annotations_carry_file_and_line_of_every_finding() -> None:
    findings = [
        error(registry.SINGLE_HEAD, "versions/b2.py", 1, "two heads", "merge"),
        error("bandit-B602", "versions/c3.py", 17, "shell=True", "remove it"),
        error(registry.UPGRADE_IS_REPEATABLE, "versions", None, "differs", "undo exactly"),
        warning("squawk-ban-drop-column", "versions/d4, old.py", None, "drop", "expand"),
    ]
    result = CheckResult(check="all", findings=findings)
    lines = github.annotations([result]).splitlines()
    assert len(lines) == len(findings)
    for line, made in zip(lines, findings, strict=True):
        command = line.split("::")[1]  # "error file=...,line=...,title=..."
        properties = dict(p.split("=", 1) for p in command.split(" ", 1)[1].split(","))
        assert properties["file"] == made.path.replace(",", "%2C")
        assert properties.get("line") == (str(made.line) if made.line else None)
