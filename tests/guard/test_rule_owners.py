"""A rule is reported by the check that owns it in the registry: a file that does not compile is
one ``revision-compiles`` finding from lint, not a second one from security."""

from __future__ import annotations

import json
from pathlib import Path

from backend.db.guard.cli import main
from backend.db.guard.rules.registry import resolve

SYNTAX_ERROR = Path(__file__).resolve().parents[1] / "scenarios" / "lint" / "fail_syntax_error"


def _report(check: str, capsys) -> tuple[int, dict]:
    code = main([check, "--versions", str(SYNTAX_ERROR / "versions"), "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_revision_compiles_comes_from_lint_only(capsys) -> None:
    code, lint = _report("lint", capsys)
    assert code == 1
    assert [f["rule"] for f in lint["findings"]] == ["revision-compiles"]
    assert resolve("revision-compiles").check == "lint"

    code, security = _report("security", capsys)
    assert [f["rule"] for f in security["findings"]] == []
    assert code == 0  # the file executes no SQL; lint fails the build on it
    assert any("not inspected: it does not compile" in note for note in security["notes"])
