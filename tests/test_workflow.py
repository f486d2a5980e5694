"""The CI workflow runs exactly the guard's nox sessions, one per job, and uploads their reports."""

from __future__ import annotations

import ast
import shlex
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "migration-guard.yml"
JOB_SESSIONS = {
    "migration-lint": "migration_lint",
    "migration-dry-run": "migration_dry_run",
    "migration-downgrade-test": "migration_downgrade_test",
    "security-check": "security_check",
    "migration-data-test": "migration_data_test",
}


@cache
def workflow() -> dict:
    """The workflow, parsed once (tests only read it)."""
    return yaml.safe_load(WORKFLOW.read_text())


def nox_sessions() -> set[str]:
    """Session names in noxfile.py: functions decorated with ``@nox.session``."""
    tree = ast.parse((ROOT / "noxfile.py").read_text())
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(ast.unparse(d).startswith("nox.session") for d in node.decorator_list)
    }


def run_commands(job: dict) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def test_jobs_are_the_four_guard_checks() -> None:
    assert set(workflow()["jobs"]) == set(JOB_SESSIONS)


def test_each_job_runs_exactly_its_nox_session() -> None:
    sessions = nox_sessions()
    for name, job in workflow()["jobs"].items():
        nox_runs = [shlex.split(c) for c in run_commands(job) if c.startswith("nox ")]
        assert len(nox_runs) == 1, name
        argv = nox_runs[0]
        assert argv[:3] == ["nox", "-s", JOB_SESSIONS[name]], name
        assert argv[2] in sessions, f"{argv[2]} is not a session of noxfile.py"
        assert argv[3] == "--", name  # anything after goes to migration-guard


def test_every_job_installs_nox_and_nothing_else_runs() -> None:
    for name, job in workflow()["jobs"].items():
        commands = run_commands(job)
        assert commands[0] == 'pip install "nox[uv]"', name
        assert len(commands) == 2, f"{name}: no logic in YAML, only install and the session"


def test_reports_are_uploaded_from_the_file_the_session_writes() -> None:
    for name, job in workflow()["jobs"].items():
        argv = shlex.split(next(c for c in run_commands(job) if c.startswith("nox ")))
        fmt, output = argv[argv.index("--format") + 1], argv[argv.index("--output") + 1]
        uploads = [step for step in job["steps"] if "upload" in step.get("uses", "")]
        assert len(uploads) == 1, name
        upload = uploads[0]
        if name == "security-check":
            assert fmt == "sarif"
            assert upload["uses"].startswith("github/codeql-action/upload-sarif")
            assert upload["with"]["sarif_file"] == output
            assert job["permissions"]["security-events"] == "write"
        else:
            assert fmt == "junit"
            assert upload["uses"].startswith("actions/upload-artifact")
            assert upload["with"]["path"] == output
        assert upload["if"] == "always()", f"{name}: a failing check must still upload its report"


def test_triggered_by_pull_requests_touching_migrations_models_guard_and_itself() -> None:
    # PyYAML reads the key `on` as True (YAML 1.1 boolean).
    triggers = workflow().get("on") or workflow()[True]
    paths = triggers["pull_request"]["paths"]
    for needed in (
        "backend/db/migrations/**",
        "backend/modules/**/models.py",
        "backend/db/guard/**",
        ".github/workflows/migration-guard.yml",
    ):
        assert needed in paths
