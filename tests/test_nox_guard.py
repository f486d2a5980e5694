"""``nox -s migration_guard`` end to end: installs the project, runs every check, exit 0.

The first run builds the session's environment (tens of seconds); later runs reuse it (-R).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def nox_command() -> list[str]:
    beside_python = Path(sys.executable).with_name("nox")
    if beside_python.exists():
        return [str(beside_python)]
    found = shutil.which("nox")
    return [found] if found else [sys.executable, "-m", "nox"]


def test_nox_migration_guard_session_passes_on_the_project(pg_server, tmp_path) -> None:
    reuse = ["-R"] if (ROOT / ".nox" / "migration_guard").is_dir() else []
    report = tmp_path / "guard.json"
    url = pg_server.admin_url.render_as_string(hide_password=False)
    result = subprocess.run(
        [
            *nox_command(),
            *reuse,
            "-f",
            str(ROOT / "noxfile.py"),
            "-s",
            "migration_guard",
            "--",
            "--postgres",
            "url",
            "--database-url",
            url,
            "--format",
            "json",
            "--output",
            str(report),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    results = json.loads(report.read_text())
    assert [r["check"] for r in results] == [
        "lint",
        "dry-run",
        "downgrade-test",
        "security",
        "data-test",
        "lock-test",
    ]
    assert all(r["ok"] for r in results)
    assert "migration-guard: all passed" in result.stdout
