"""How reports show paths: the project's relative to its root, another repository's relative to
where the guard runs (an action or pre-commit hook in that repository), anything else absolute."""

from __future__ import annotations

from pathlib import Path

from backend.db.migrations_config import REPO_ROOT, VERSIONS_DIR, repo_relative


def test_a_project_file_is_shown_relative_to_the_project() -> None:
    assert repo_relative(VERSIONS_DIR) == "backend/db/migrations/versions"


def test_another_repositorys_file_is_shown_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch
) -> None:
    revision = tmp_path / "migrations" / "versions" / "a1_bales.py"
    monkeypatch.chdir(tmp_path)
    assert repo_relative(revision) == "migrations/versions/a1_bales.py"


def test_a_file_outside_both_is_shown_absolute(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    outside = tmp_path / "a1_bales.py"
    assert repo_relative(outside) == str(outside.resolve())
