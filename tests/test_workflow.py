"""The CI workflow runs the guard's checks through action.yml, one nox session's check per job,
and uploads their reports."""

from __future__ import annotations

import ast
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
    "migration-lock-test": "migration_lock_test",
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


def guard_sessions() -> dict[str, str]:
    """Session name -> the check it runs: the ``guard(session, "<check>")`` call in its body."""
    tree = ast.parse((ROOT / "noxfile.py").read_text())
    found = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in nox_sessions():
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and ast.unparse(call.func) == "guard":
                    found[node.name] = call.args[1].value
    return found


def run_commands(job: dict) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def guard_step(job: dict) -> dict:
    """The job's one step that uses the repository's own action (action.yml)."""
    [step] = [step for step in job["steps"] if step.get("uses") == "./"]
    return step


def test_jobs_are_the_four_guard_checks() -> None:
    assert set(workflow()["jobs"]) == set(JOB_SESSIONS)


def test_each_job_runs_exactly_its_nox_sessions_check_through_the_action() -> None:
    sessions = guard_sessions()
    for name, job in workflow()["jobs"].items():
        assert JOB_SESSIONS[name] in sessions, f"{JOB_SESSIONS[name]} is not a guard session"
        assert guard_step(job)["with"]["checks"] == sessions[JOB_SESSIONS[name]], name


def test_no_job_runs_commands_of_its_own() -> None:
    for name, job in workflow()["jobs"].items():
        assert run_commands(job) == [], f"{name}: no logic in YAML, only the action"


def test_each_job_judges_what_is_new_since_the_target_branch_and_comments() -> None:
    for name, job in workflow()["jobs"].items():
        inputs = guard_step(job)["with"]
        assert inputs["since"] == "origin/${{ github.base_ref }}", name
        assert inputs["comment"] == "true", name
        checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout"))
        assert checkout["with"]["fetch-depth"] == 0, f"{name}: --since needs the target branch"
    assert workflow()["permissions"]["pull-requests"] == "write"


def test_reports_are_uploaded_from_the_file_the_session_writes() -> None:
    for name, job in workflow()["jobs"].items():
        inputs = guard_step(job)["with"]
        fmt, output = inputs["format"], inputs["output"]
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
