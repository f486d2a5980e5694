"""The command line: exit codes, one-line errors without passwords, formats, --output, GitHub."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from backend.db.guard.cli import main

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
CHAIN = SCENARIOS / "dry_run" / "pass_linear_chain" / "versions"
LEFTOVER = SCENARIOS / "downgrade_test" / "fail_enum_left_behind" / "versions"


@pytest.fixture
def server_args(admin_url_text) -> list[str]:
    return ["--postgres", "url", "--database-url", admin_url_text]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("migration-guard: ")
    return lines[0]


def test_missing_versions_folder_exits_2_with_one_line(tmp_path, capsys) -> None:
    assert main(["lint", "--versions", str(tmp_path / "nowhere")]) == 2
    assert "versions folder not found" in one_line(capsys.readouterr().err)


@pytest.mark.parametrize("check", ["lint", "dry-run", "downgrade-test", "security", "all"])
def test_a_folder_without_revisions_exits_2_for_every_check(tmp_path, check, capsys) -> None:
    (tmp_path / "__init__.py").write_text("")  # not a revision: Alembic skips it too
    (tmp_path / "README.md").write_text("revisions go here\n")
    assert main([check, "--versions", str(tmp_path)]) == 2
    assert one_line(capsys.readouterr().err) == f"migration-guard: no revisions in {tmp_path}"


def test_versions_naming_a_file_says_it_is_not_a_folder(capsys) -> None:
    revision = next(CHAIN.glob("*.py"))
    assert main(["lint", "--versions", str(revision)]) == 2
    line = one_line(capsys.readouterr().err)
    assert "not a folder" in line and str(revision) in line
    assert "not found" not in line


@pytest.mark.parametrize("where", ["parent is a file", "is a folder"])
def test_an_output_that_cannot_be_written_exits_2_before_any_check(tmp_path, where, capsys) -> None:
    (tmp_path / "taken").write_text("")
    output = tmp_path / "taken" / "guard.json" if where == "parent is a file" else tmp_path
    code = main(["lint", "--versions", str(CHAIN), "--format", "json", "--output", str(output)])
    captured = capsys.readouterr()
    assert code == 2
    line = one_line(captured.err)
    assert f"cannot write the report to {output}" in line
    assert captured.out == ""  # no check ran: not even the text summary


def test_a_contract_that_is_not_json_names_the_file_and_position(
    tmp_path, server_args, capsys
) -> None:
    contract = tmp_path / "contract.json"
    contract.write_text('{\n  "tables": {\n    oops\n}\n')
    assert (
        main(["dry-run", "--versions", str(CHAIN), "--contract", str(contract), *server_args]) == 2
    )
    line = one_line(capsys.readouterr().err)
    assert str(contract) in line and "line 3 column 5" in line
    assert "internal error" not in line


@pytest.mark.parametrize("kind", ["missing", "a folder", "not an object"])
def test_an_explicit_contract_that_is_no_contract_file_exits_2(
    tmp_path, kind, server_args, capsys
) -> None:
    contract = tmp_path / "contract.json"
    if kind == "a folder":
        contract.mkdir()
    elif kind == "not an object":
        contract.write_text("[]\n")
    assert (
        main(["dry-run", "--versions", str(CHAIN), "--contract", str(contract), *server_args]) == 2
    )
    line = one_line(capsys.readouterr().err)
    assert f"contract {contract}" in line or f"contract file not found: {contract}" in line


def test_bad_format_is_an_argparse_error_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["lint", "--format", "yaml"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_unreachable_database_exits_2_without_the_password(capsys) -> None:
    url = f"postgresql://guard:s3cr3t-pw@127.0.0.1:{closed_port()}/postgres"
    code = main(["dry-run", "--versions", str(CHAIN), "--postgres", "url", "--database-url", url])
    captured = capsys.readouterr()
    assert code == 2
    line = one_line(captured.err)
    assert "cannot connect" in line
    assert "s3cr3t-pw" not in captured.err + captured.out


def test_project_versions_pass_all_checks(server_args, capsys) -> None:
    code = main(["all", "--format", "json", *server_args])
    results = json.loads(capsys.readouterr().out)
    assert [r["check"] for r in results] == [
        "lint",
        "dry-run",
        "downgrade-test",
        "security",
        "data-test",
        "lock-test",
    ]
    failed = [f for r in results for f in r["findings"] if f["severity"] == "error"]
    assert failed == [] and code == 0
    dry_run = results[1]
    steps = [s["name"] for s in dry_run["steps"]]
    # The project's own folder gets the contract and model comparisons, not a skip note.
    assert "compare with the schema contract" in steps and "compare with the models" in steps


def test_foreign_folder_notes_skipped_contract_and_models(server_args, capsys) -> None:
    assert main(["dry-run", "--versions", str(CHAIN), "--format", "json", *server_args]) == 0
    notes = " ".join(json.loads(capsys.readouterr().out)["notes"])
    assert "schema contract: skipped" in notes and "model drift: skipped" in notes


def test_text_report_names_findings_postgres_and_never_the_password(
    pg_server, admin_url_text, capsys
) -> None:
    code = main(["downgrade-test", "--versions", str(LEFTOVER), "--database-url", admin_url_text])
    out = capsys.readouterr().out
    assert code == 1
    assert (
        "b2_lots_with_grade.py:24 enum-left-behind downgrade to base leaves enum cotton_grade"
        in out
    )
    assert "hint: drop it in downgrade()" in out
    assert "downgrade-test: FAILED" in out
    assert f"PostgreSQL {pg_server.version}" in out
    if pg_server.admin_url.password:
        assert pg_server.admin_url.password not in out


def test_output_writes_the_report_and_prints_the_text_summary(
    tmp_path, server_args, capsys
) -> None:
    target = tmp_path / "reports" / "guard.xml"
    code = main(
        [
            "downgrade-test",
            "--versions",
            str(LEFTOVER),
            "--format",
            "junit",
            "--output",
            str(target),
            *server_args,
        ]
    )
    assert code == 1
    suite = ET.parse(target).getroot().find("testsuite")
    assert suite.get("name") == "downgrade-test" and int(suite.get("failures")) >= 1
    assert "downgrade-test: FAILED" in capsys.readouterr().out


def test_github_actions_annotations_and_step_summary(
    tmp_path, server_args, capsys, monkeypatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["downgrade-test", "--versions", str(LEFTOVER), *server_args]) == 1
    out = capsys.readouterr().out
    annotations = [line for line in out.splitlines() if line.startswith("::error ")]
    assert any(
        "b2_lots_with_grade.py,line=24,title=downgrade-test%3A enum-left-behind::" in a
        for a in annotations
    )
    assert "| downgrade-test | ❌ failed |" in summary.read_text()


def test_github_format_prints_annotations_only(server_args, capsys, monkeypatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert (
        main(["downgrade-test", "--versions", str(LEFTOVER), "--format", "github", *server_args])
        == 1
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ")) for line in lines)


def test_module_entry_point_shows_the_documented_options() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "backend.db.guard", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for option in (
        "--versions",
        "--postgres",
        "--format",
        "--output",
        "--contract",
        "--compare-models",
    ):
        assert option in result.stdout
