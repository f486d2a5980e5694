"""``migration-guard rules``: the registry as text or JSON, exit 0, no database and no folder."""

from __future__ import annotations

import json

from backend.db.guard.cli import main
from backend.db.guard.rules.registry import RULES


def test_rules_prints_every_rule_as_aligned_text(capsys) -> None:
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["id", "check", "severity", "summary"]
    assert [line.split()[0] for line in lines[1:]] == [rule.label for rule in RULES]
    single_head = next(line for line in lines if line.startswith("single-head "))
    assert single_head.split(maxsplit=3)[1:] == [
        "lint",
        "error",
        "the revision graph has exactly one head",
    ]
    column = lines[0].index("severity")  # aligned: every row's severity starts there
    for line, rule in zip(lines[1:], RULES, strict=True):
        assert line[column:].startswith(f"{rule.severity.value} "), line


def test_rules_as_json_is_the_registry(capsys) -> None:
    assert main(["rules", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [entry["id"] for entry in listed] == [rule.id for rule in RULES]
    squawk = next(entry for entry in listed if entry["id"] == "squawk-")
    assert squawk == {
        "id": "squawk-",
        "family": True,
        "check": "security",
        "severity": "warning",
        "summary": squawk["summary"],
        "guide": "DATABASE_MIGRATION_GUIDE.md#squawk-rules",
    }


def test_rules_to_a_file(tmp_path, capsys) -> None:
    target = tmp_path / "reports" / "rules.json"
    assert main(["rules", "--format", "json", "--output", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert len(json.loads(target.read_text())) == len(RULES)


def test_rules_in_another_format_exits_2_with_one_line(capsys) -> None:
    assert main(["rules", "--format", "sarif"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "migration-guard: rules are listed as text or json, not sarif\n"
