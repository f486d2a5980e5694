"""The deploy's options are one table (``DeployOptions``): the CLI's flags, the invoke tasks'
flags and ``help={...}``, and the help of ``scripts/run_migrations.sh`` are made from it, so
none of them can lose an option or tell another story about it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from backend.db.deploy.cli import build_parser, parse
from backend.db.deploy.options import OPTIONS, READ_OPTIONS, DeployOptions

from .conftest import REPO, tasks

FULL_TASKS = ("deploy", "migrate")
READ_TASKS = ("verify", "current", "history")


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_the_table_is_every_field_but_the_command() -> None:
    fields = set(vars(DeployOptions()))
    assert {o.field for o in OPTIONS} == fields - {"command"}
    assert {o.flag for o in READ_OPTIONS} == {"database-url", "versions", "contract", "json-logs"}
    # Defaults shown in help come from the value, so they cannot drift from it.
    by_flag = {o.flag: o for o in OPTIONS}
    assert by_flag["lock-wait"].help.endswith("(default: 300)")
    assert by_flag["lock-retries"].help.endswith("(default: 0)")
    assert "$DATABASE_URL" in by_flag["database-url"].help


def test_every_option_is_a_cli_flag_with_the_tables_help_and_default() -> None:
    actions = {a.dest: a for a in build_parser()._actions}
    for option in OPTIONS:
        action = actions[option.field]
        assert action.option_strings == [f"--{option.flag}"]
        assert action.help.replace("%%", "%") == option.help
        assert action.default == (False if option.type is bool else option.default)


@pytest.mark.parametrize(("name", "options"), [(n, OPTIONS) for n in FULL_TASKS]
                         + [(n, READ_OPTIONS) for n in READ_TASKS])  # fmt: skip
def test_every_option_is_an_invoke_flag_with_the_tables_help_and_default(
    name: str, options: tuple
) -> None:
    task = tasks.namespace[name]
    assert task.help == {o.flag: o.help for o in options}
    arguments = {a.names[0]: a for a in task.get_arguments()}
    assert set(arguments) == {o.flag for o in options}
    for option in options:
        assert arguments[option.flag].default == option.default
        if option.default is not None:  # invoke types a flag by its default
            assert arguments[option.flag].kind is option.type


def test_the_shell_scripts_help_lists_every_option_with_the_tables_help() -> None:
    script = REPO / "scripts" / "run_migrations.sh"
    env = {**os.environ, "PYTHON": sys.executable, "COLUMNS": "400"}  # no wrapping
    result = subprocess.run([script, "--help"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    out = one_line(result.stdout)
    for option in OPTIONS:
        assert f"--{option.flag}" in out
        assert one_line(option.help) in out, option.flag


def test_values_are_parsed_into_the_tables_types() -> None:
    options, _ = parse(["--versions", "v", "--lock-retries", "2", "--lock-wait", "1.5"])
    assert (options.versions_dir, options.lock_retries, options.lock_wait) == (Path("v"), 2, 1.5)
    by_flag = {o.flag: o for o in OPTIONS}
    assert by_flag["lock-retries"].parse("2") == 2  # a direct task call may pass text
    assert by_flag["versions"].parse("v") == Path("v")
