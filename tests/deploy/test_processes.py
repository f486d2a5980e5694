"""Where a real process is the point: kill -9 mid-revision, two deploys at once, the shell wrapper."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import (
    FAILING_MIDDLE,
    GOOD,
    Deploy,
    audit_rows,
    current_revision,
    scalar,
    table_exists,
)

REPO = Path(__file__).resolve().parents[2]
DEPLOY = [sys.executable, "-m", "backend.db.deploy"]


def start(args: list[str], **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        args, cwd=REPO, env={**os.environ, **env}, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def wait_for(predicate, timeout_s: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


SLEEPING = (
    "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND datname = :db"
)


def test_kill_9_mid_revision_leaves_a_consistent_database(deploy: Deploy, db_url: str) -> None:
    db = db_url.rsplit("/", 1)[1].split("?")[0]
    proc = start(
        [*DEPLOY, "--database-url", db_url, "--versions", str(GOOD)], DEPLOY_TEST_SLEEP="60"
    )
    assert wait_for(lambda: scalar(db_url, SLEEPING, db=db) == 1), "deploy never reached c2_lots"
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    # The revision being applied is not there at all; the one before is.
    assert current_revision(db_url) == "c1_bales"
    assert not table_exists(db_url, "lot")
    assert audit_rows(db_url) == [("c1_bales", "applied")]
    # client_connection_check_interval makes the server end the orphaned statement soon.
    assert wait_for(lambda: scalar(db_url, SLEEPING, db=db) == 0), "orphaned pg_sleep still runs"

    code, out = deploy("--database-url", db_url, "--versions", GOOD)
    assert code == 0, out
    assert current_revision(db_url) == "c3_bale_weight"
    assert audit_rows(db_url) == [
        ("c1_bales", "applied"), ("c2_lots", "applied"), ("c3_bale_weight", "applied")
    ]  # fmt: skip


def test_two_deploys_at_once_apply_each_revision_once(db_url: str) -> None:
    args = [*DEPLOY, "--database-url", db_url, "--versions", str(GOOD), "--lock-wait", "60"]
    first, second = start(args, DEPLOY_TEST_SLEEP="3"), start(args, DEPLOY_TEST_SLEEP="3")
    outputs = [p.communicate(timeout=90)[0] for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert sorted(audit_rows(db_url)) == [
        ("c1_bales", "applied"), ("c2_lots", "applied"), ("c3_bale_weight", "applied")
    ]  # fmt: skip
    waited = [o for o in outputs if "another deploy is migrating" in o]
    assert len(waited) == 1 and "nothing to do" in waited[0]


def test_shell_wrapper_starts_the_app_only_after_success(db_url: str) -> None:
    script = str(REPO / "scripts" / "run_migrations.sh")
    app = ["--", sys.executable, "-c", "print('app started')"]
    ok = subprocess.run(
        [script, "--database-url", db_url, "--versions", str(GOOD), *app],
        env={**os.environ, "PYTHON": sys.executable}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "3 revision(s) applied" in ok.stdout and ok.stdout.rstrip().endswith("app started")

    failed = subprocess.run(
        [script, "--database-url", db_url, "--versions", str(FAILING_MIDDLE), *app],
        env={**os.environ, "PYTHON": sys.executable}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert failed.returncode == 2  # the database is at a revision that chain does not know
    assert "app started" not in failed.stdout
