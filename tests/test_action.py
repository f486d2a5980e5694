"""action.yml: every input is an option of ``migration-guard`` (or sets up the step), and the
step passes each one on."""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from backend.db.guard import action, cli

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())


def cli_options() -> dict[str, argparse.Action]:
    parser = cli.parser()
    return {option: act for act in parser._actions for option in act.option_strings}


def guard_step() -> dict:
    [step] = [s for s in ACTION["runs"]["steps"] if "backend.db.guard.action" in s.get("run", "")]
    return step


def test_every_input_maps_onto_a_cli_option_or_the_setup() -> None:
    inputs = set(ACTION["inputs"])
    mapped = {action.CHECK_INPUT, *action.OPTION_INPUTS, *action.FLAG_INPUTS, *action.SETUP_INPUTS}
    assert inputs == mapped
    options = cli_options()
    for name, option in {**action.OPTION_INPUTS, **action.FLAG_INPUTS}.items():
        assert option in options, f"input {name}: {option} is not an option of migration-guard"
    checks = next(a for a in cli.parser()._actions if a.dest == "check")
    assert ACTION["inputs"]["checks"]["default"] in checks.choices
    assert ACTION["inputs"]["postgres"]["default"] in options["--postgres"].choices
    assert ACTION["inputs"]["format"]["default"] in options["--format"].choices


def test_the_step_hands_every_cli_input_to_the_guard() -> None:
    env = guard_step()["env"]
    for name in (action.CHECK_INPUT, *action.OPTION_INPUTS, *action.FLAG_INPUTS):
        assert env[action.env_name(name)] == f"${{{{ inputs.{name} }}}}", name
    assert env["GITHUB_TOKEN"] == "${{ inputs.github-token }}"


def test_inputs_become_arguments_the_cli_parses() -> None:
    environ = {
        "INPUT_CHECKS": "lint",
        "INPUT_VERSIONS": "migrations/versions",
        "INPUT_POSTGRES": "embedded",
        "INPUT_DATABASE_URL": "",
        "INPUT_FORMAT": "markdown",
        "INPUT_OUTPUT": "",
        "INPUT_COMMENT": "true",
        "INPUT_SINCE": "origin/main",
    }
    argv = action.arguments(environ)
    assert argv == [
        "lint",
        "--versions",
        "migrations/versions",
        "--postgres",
        "embedded",
        "--format",
        "markdown",
        "--since",
        "origin/main",
        "--github-comment",
    ]
    parsed = cli.parser().parse_args(argv)
    assert (parsed.check, parsed.since, parsed.github_comment) == ("lint", "origin/main", True)
    assert action.arguments({"INPUT_COMMENT": "false"}) == ["all"]


def test_the_action_installs_the_guard_from_its_own_path() -> None:
    runs = [s["run"] for s in ACTION["runs"]["steps"] if "run" in s]
    assert runs[0] == 'python -m pip install --quiet -e "$GITHUB_ACTION_PATH[guard]"'
    assert ACTION["runs"]["using"] == "composite"
    setup = ACTION["runs"]["steps"][0]
    assert setup["uses"].startswith("actions/setup-python")
    assert setup["with"]["python-version"] == "${{ inputs.python-version }}"
