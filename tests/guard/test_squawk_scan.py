"""squawk's findings land on the op.* line that emitted the statement, in every report format."""

from __future__ import annotations

import json
from pathlib import Path

from backend.db.guard.checks import security
from backend.db.guard.cli import main
from backend.db.guard.context import GuardContext

FOLDER = (
    Path(__file__).resolve().parent.parent / "scenarios" / "security" / "pass_squawk_on_op_line"
)
VERSIONS = FOLDER / "versions"
RULE = "squawk-require-concurrent-index-creation"


def op_line(text: str) -> int:
    lines = (VERSIONS / "b2_index_grades.py").read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip().startswith(text))


def test_the_warning_is_on_the_line_of_the_op() -> None:
    [finding] = [f for f in security.run(GuardContext(versions_dir=VERSIONS)) if f.rule == RULE]
    assert finding.path.endswith("b2_index_grades.py")
    assert finding.line == op_line("op.create_index(")  # the multi-line call's first line
    assert "offline SQL line" not in finding.message and "revision b2" in finding.message


def test_sarif_and_github_carry_the_op_line(capsys) -> None:
    line = op_line("op.create_index(")
    assert main(["security", "--versions", str(VERSIONS), "--format", "sarif"]) == 0
    sarif = json.loads(capsys.readouterr().out)
    [result] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == RULE]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == line

    assert main(["security", "--versions", str(VERSIONS), "--format", "github"]) == 0
    annotations = [a for a in capsys.readouterr().out.splitlines() if RULE in a]
    assert annotations and f"b2_index_grades.py,line={line}," in annotations[0]
