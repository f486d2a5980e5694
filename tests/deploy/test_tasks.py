"""The invoke tasks are thin: they pass options through and turn a failure into Exit(code)."""

from __future__ import annotations

import pytest
from invoke import Exit, MockContext

from .conftest import FAILING_MIDDLE, GOOD, current_revision, tasks


def test_deploy_task_migrates_and_fails_with_the_runners_code(db_url: str) -> None:
    tasks.deploy(MockContext(), database_url=db_url, versions=str(GOOD), lock_retries="1")
    assert current_revision(db_url) == "c3_bale_weight"
    with pytest.raises(Exit) as caught:
        tasks.deploy(MockContext(), database_url=db_url, versions=str(FAILING_MIDDLE))
    assert caught.value.code == 2  # the database is at a revision that chain does not know


def test_menu_lists_every_task() -> None:
    names = set(tasks.namespace.task_names)
    assert {"deploy", "migrate", "verify", "current", "history", "revision", "snapshot", "guard",
            "db.up", "db.down", "db.reset"} <= names  # fmt: skip
    assert all(tasks.namespace[n].__doc__ for n in names)
