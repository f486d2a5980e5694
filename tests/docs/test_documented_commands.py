"""Every shell command in README.md and DATABASE_MIGRATION_GUIDE.md works as documented.

Marking convention (also at the top of each document): each ```bash block is preceded by
marker comments on the lines right before its fence.

- ``<!-- runnable: NAME [exit=N] [expect="TEXT"] -->``: run here, in document order, each block
  in its own ``bash -eo pipefail`` from the root of a temporary copy of the repository (the files
  ``git ls-files -co --exclude-standard`` lists, so uncommitted work is tested too), with
  ``DATABASE_URL`` a fresh database and ``GUARD_DATABASE_URL`` the session's server (fixture
  ``pg_server``), ``PATH`` starting with this interpreter's bin directory and ``PYTHONPATH`` the
  copy (the copy's code, not the installed one, runs). It must exit N (default 0) and print TEXT.
- ``<!-- needs: docker -->`` / ``<!-- needs: gcloud -->`` before ``runnable``: skipped, with the
  reason, when that tool is absent (the only skips allowed here).
- ``<!-- same-as: FILE -->``: not run here because FILE runs the same command (the README's
  ``nox -s tests`` would run this suite inside itself); the test asserts FILE holds it.
- ``<!-- not-run: REASON -->``: for reading only (placeholders); the reason is required.

A block that silently rots (a renamed task, a changed exit code, a wrong path) fails here.
"""

from __future__ import annotations

import ast
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from backend.db.postgres import PostgresServer
from backend.db.urls import mask_text

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ("README.md", "DATABASE_MIGRATION_GUIDE.md")
MARKER = re.compile(r"^<!--\s*(runnable|needs|same-as|not-run):\s*(.*?)\s*-->$")
KINDS = ("runnable", "same-as", "not-run")
TOOLS = {"docker": ("docker", "info"), "gcloud": ("gcloud", "--version")}
BLOCK_TIMEOUT_S = 180


@dataclass
class Block:
    document: str
    line: int
    code: str
    markers: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        kinds = [k for k in KINDS if k in self.markers]
        assert len(kinds) == 1, f"{self.where}: needs exactly one of {KINDS}, has {kinds}"
        return kinds[0]

    @property
    def where(self) -> str:
        return f"{self.document}:{self.line}"

    def run_options(self) -> tuple[str, int, str | None]:
        """(name, expected exit code, expected text) of a runnable block."""
        words = shlex.split(self.markers["runnable"])
        name, options = words[0], dict(w.split("=", 1) for w in words[1:])
        return name, int(options.get("exit", 0)), options.get("expect")


def bash_blocks(document: str) -> list[Block]:
    """The ```bash blocks of a document with the marker comments right above each fence."""
    lines = (ROOT / document).read_text(encoding="utf-8").splitlines()
    blocks = []
    index = 0
    while index < len(lines):
        if lines[index].strip() == "```bash":
            markers: dict[str, str] = {}
            above = index - 1
            while above >= 0 and (match := MARKER.match(lines[above].strip())):
                markers[match.group(1)] = match.group(2)
                above -= 1
            end = index + 1
            while lines[end].strip() != "```":
                end += 1
            indent = len(lines[index]) - len(lines[index].lstrip())
            code = "\n".join(line[indent:] for line in lines[index + 1 : end])
            blocks.append(Block(document, index + 1, code + "\n", markers))
            index = end
        index += 1
    return blocks


def runnable_blocks() -> list[Block]:
    return [b for d in DOCUMENTS for b in bash_blocks(d) if "runnable" in b.markers]


def tool_missing(tool: str) -> str | None:
    """Why ``tool`` cannot be used here, or None when it answers.

    gcloud blocks also need ``CLOUDSQL_INSTANCE`` (the instance they talk to); whether gcloud
    holds credentials is deliberately not probed.
    """
    if tool == "gcloud" and not os.environ.get("CLOUDSQL_INSTANCE"):
        return "gcloud: CLOUDSQL_INSTANCE is not set (no Cloud SQL instance to talk to)"
    command = TOOLS[tool]
    if shutil.which(command[0]) is None:
        return f"{tool} is not installed"
    try:
        result = subprocess.run(command, capture_output=True, timeout=20)
    except subprocess.TimeoutExpired:
        return f"{tool} does not answer"
    return None if result.returncode == 0 else f"{tool} does not answer ({' '.join(command)})"


def test_every_bash_block_is_marked() -> None:
    blocks = [b for d in DOCUMENTS for b in bash_blocks(d)]
    assert len(blocks) >= 15
    for block in blocks:
        kind = block.kind
        if kind == "not-run":
            assert block.markers["not-run"], f"{block.where}: not-run needs a reason"
        if "needs" in block.markers:
            assert block.markers["needs"] in TOOLS and kind == "runnable", block.where
    names = [b.run_options()[0] for b in runnable_blocks()]
    assert len(names) == len(set(names)), "runnable block names must be unique"


def _python_word_lists(path: Path) -> list[list[str]]:
    tree = ast.parse(path.read_text())
    return [
        [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        for node in ast.walk(tree)
        if isinstance(node, ast.List)
    ]


def test_commands_run_elsewhere_are_the_same_commands() -> None:
    """README's quick start: ``nox -s tests`` is exactly what .ci/run runs; ``nox -s
    migration_guard`` is the session tests/test_nox_guard.py runs end to end."""
    checked = [b for d in DOCUMENTS for b in bash_blocks(d) if "same-as" in b.markers]
    assert {b.markers["same-as"] for b in checked} == {".ci/run", "tests/test_nox_guard.py"}
    for block in checked:
        command = block.code.strip()
        target = ROOT / block.markers["same-as"]
        if target.suffix == ".py":
            words = shlex.split(command.split("&&")[-1])
            assert words[0] == "nox"
            assert any(
                words[1:] == found[i : i + len(words) - 1]
                for found in _python_word_lists(target)
                for i in range(len(found))
            ), f"{target} does not run {words}"
        else:
            assert command in target.read_text().splitlines(), f"{target} does not run {command}"


# Session-scoped: under pytest-xdist a worker may run another file's tests between two blocks,
# and a module fixture would then be torn down, losing what the earlier blocks did.
@pytest.fixture(scope="session")
def workspaces(pg_server: PostgresServer) -> Iterator[dict[str, dict]]:
    """One temporary copy of the repository and one fresh database per document, made lazily."""
    made: dict[str, dict] = {}
    home = Path(tempfile.mkdtemp(prefix="docs-home-"))
    home.chmod(0o755)  # the embedded server may run as another user and must reach its folder

    def make(document: str) -> dict:
        if document not in made:
            copy = Path(tempfile.mkdtemp(prefix="docs-repo-"))
            listed = subprocess.run(
                ["git", "ls-files", "-co", "--exclude-standard", "-z"],
                cwd=ROOT,
                capture_output=True,
                check=True,
            ).stdout.decode()
            for name in filter(None, listed.split("\0")):
                source = ROOT / name
                if source.is_file():
                    (copy / name).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, copy / name)
            url = pg_server.fresh_database("docs")
            env = dict(os.environ)
            env.pop("GITHUB_ACTIONS", None)
            env.update(
                PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
                PYTHONPATH=str(copy),
                HOME=str(home),
                DATABASE_URL=url.render_as_string(hide_password=False),
                GUARD_DATABASE_URL=pg_server.admin_url.render_as_string(hide_password=False),
            )
            made[document] = {"copy": copy, "env": env, "url": url}
        return made[document]

    yield {"make": make}  # type: ignore[dict-item]
    pidfile = home / ".cotton-erp-pgdata" / "postmaster.pid"
    if pidfile.is_file():  # the guide's stop block did not run: stop the server it started
        os.kill(int(pidfile.read_text().splitlines()[0]), signal.SIGTERM)
    for workspace in made.values():
        pg_server.drop_database(workspace["url"])
        shutil.rmtree(workspace["copy"], ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)


# The blocks build on each other (edit a model, autogenerate, snapshot) in one copy of the
# repository: under pytest-xdist they all run on one worker, in order.
@pytest.mark.xdist_group("documented-commands")
@pytest.mark.parametrize("block", runnable_blocks(), ids=lambda b: b.run_options()[0])
def test_documented_command(block: Block, workspaces, pg_server: PostgresServer) -> None:
    if "needs" in block.markers:
        reason = tool_missing(block.markers["needs"])
        if reason:
            pytest.skip(f"{block.where}: {reason}")
    name, exit_code, expect = block.run_options()
    workspace = workspaces["make"](block.document)
    result = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", block.code],
        cwd=workspace["copy"],
        env=workspace["env"],
        capture_output=True,
        text=True,
        timeout=BLOCK_TIMEOUT_S,
    )
    output = mask_text(result.stdout + result.stderr, workspace["env"]["GUARD_DATABASE_URL"])
    assert result.returncode == exit_code, f"{block.where} ({name}):\n{output[-4000:]}"
    if expect is not None:
        assert expect in output, (
            f"{block.where} ({name}) did not print {expect!r}:\n{output[-4000:]}"
        )
