"""Exit codes: 1 for a failed migration or verification (a lock given up included), 2 for the
environment, the pre-flight or the connection; usage errors of the CLI are environment errors."""

from __future__ import annotations

import pytest

from backend.db.deploy import errors
from backend.db.deploy.cli import parse

from .conftest import Deploy


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (errors.PreflightError, 2),
        (errors.ConnectionFailed, 2),
        (errors.UnknownRevision, 2),
        (errors.RefusedDowngrade, 2),
        (errors.LockNotAcquired, 1),
        (errors.MigrationFailed, 1),
        (errors.ChecksumMismatch, 1),
        (errors.VerificationFailed, 1),
    ],
)
def test_exit_code_of_each_error(error: type[errors.DeployError], code: int) -> None:
    assert issubclass(error, errors.DeployError)
    assert error("x").exit_code == code


def test_usage_error_is_exit_2(deploy: Deploy) -> None:
    assert deploy("--no-such-option")[0] == 2
    assert deploy("--help")[0] == 0


def test_no_database_configured_is_one_line_exit_2(deploy: Deploy) -> None:
    code, out = deploy()
    assert code == 2
    assert out.strip().count("\n") == 0 and "no database configured" in out


def test_words_after_double_dash_are_the_command_to_run() -> None:
    options, then = parse(["migrate", "--dry-run", "--", "uvicorn", "--port", "8080"])
    assert (options.command, options.dry_run, then) == (
        "migrate",
        True,
        ["uvicorn", "--port", "8080"],
    )
