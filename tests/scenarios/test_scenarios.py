"""Every scenario folder ``tests/scenarios/<check>/<verdict>_<what>/`` run through the CLI.

Each folder holds ``versions/`` and ``expected.toml``: ``exit_code``, ``rules`` (exactly the rule ids
of the error findings: an error the scenario does not list fails it, so a rule that starts firing
where it should not is caught), optional ``warnings`` (rule ids that must appear among the
warnings; others may, e.g. ruff's unused-import on a file written for another rule) and ``args``
(extra CLI arguments; an argument naming a file in the folder is passed as that file's path).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from backend.db.guard.cli import main

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SCENARIOS = Path(__file__).resolve().parent
CHECK_FOLDERS = {
    "lint": "lint",
    "security": "security",
    "dry_run": "dry-run",
    "downgrade_test": "downgrade-test",
    "data_test": "data-test",
    "lock_test": "lock-test",
}


def discover() -> list[Path]:
    return sorted(
        folder
        for check in CHECK_FOLDERS
        for folder in (SCENARIOS / check).glob("*_*")
        if (folder / "expected.toml").is_file()
    )


@pytest.mark.parametrize("folder", discover(), ids=lambda f: f"{f.parent.name}/{f.name}")
def test_scenario(folder: Path, pg_server, capsys) -> None:
    expected = tomllib.loads((folder / "expected.toml").read_text())
    verdict = folder.name.split("_", 1)[0]
    assert verdict in ("pass", "fail"), f"folder name must start with pass_ or fail_: {folder.name}"
    assert expected["exit_code"] == (0 if verdict == "pass" else 1)
    extra = [
        str(folder / arg) if (folder / arg).exists() else arg for arg in expected.get("args", [])
    ]
    admin_url = pg_server.admin_url.render_as_string(hide_password=False)

    code = main(
        [
            CHECK_FOLDERS[folder.parent.name],
            "--versions",
            str(folder / "versions"),
            "--format",
            "json",
            "--postgres",
            "url",
            "--database-url",
            admin_url,
            *extra,
        ]
    )

    out = capsys.readouterr().out
    report = json.loads(out)
    errors = {f["rule"] for f in report["findings"] if f["severity"] == "error"}
    warnings = {f["rule"] for f in report["findings"] if f["severity"] == "warning"}
    assert code == expected["exit_code"], out
    assert errors == set(expected.get("rules", [])), out
    assert set(expected.get("warnings", [])) <= warnings, out
    if verdict == "pass":
        assert not errors, out
        assert report["ok"] is True
    else:
        assert report["ok"] is False
