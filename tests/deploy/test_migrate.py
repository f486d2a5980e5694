"""Migration: apply, nothing to do, a failing revision, unknown revisions, dry run, downgrades,
changed files, and a table locked by live traffic."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from backend.db.migrations_config import alembic_config

from .conftest import (
    CHAINS,
    FAILING_MIDDLE,
    GOOD,
    Deploy,
    audit_rows,
    current_revision,
    scalar,
    table_exists,
)

REVISIONS = ["c1_bales", "c2_lots", "c3_bale_weight"]
DUPLICATE_GRADES = CHAINS / "duplicate_grades"


def test_applies_every_revision_then_has_nothing_to_do(deploy: Deploy, db_url: str) -> None:
    code, out = deploy("--database-url", db_url, "--versions", GOOD)
    assert code == 0, out
    assert "3 revision(s) to apply, base -> c3_bale_weight" in out
    assert all(f"applied    {rev} in" in out for rev in REVISIONS)
    assert current_revision(db_url) == "c3_bale_weight"
    assert audit_rows(db_url) == [(rev, "applied") for rev in REVISIONS]

    code, out = deploy("--database-url", db_url, "--versions", GOOD)
    assert code == 0, out
    assert "nothing to do" in out and "applied " not in out
    assert len(audit_rows(db_url)) == 3


def test_failing_revision_rolls_back_alone(deploy: Deploy, db_url: str) -> None:
    code, out = deploy("--database-url", db_url, "--versions", FAILING_MIDDLE)
    assert code == 1, out
    assert "revision f2_broken failed and was rolled back" in out
    assert 'type "no_such_type" does not exist' in out
    # At the op whose statement failed, not at def upgrade():
    assert "(tests/deploy/chains/failing_middle/f2_broken.py:18: " in out
    assert "the database stays at c1_bales" in out
    assert "[SQL:" not in out and "sqlalche.me" not in out
    assert current_revision(db_url) == "c1_bales"
    assert table_exists(db_url, "bale")
    assert not table_exists(db_url, "lot"), "the failing revision's first statement survived"
    assert not table_exists(db_url, "contract")
    assert audit_rows(db_url) == [("c1_bales", "applied"), ("f2_broken", "failed")]


def test_failure_names_the_op_line_and_postgres_detail(deploy: Deploy, db_url: str) -> None:
    code, out = deploy("--database-url", db_url, "--versions", DUPLICATE_GRADES)
    assert code == 1, out
    assert (
        "revision d3_unique_grade failed and was rolled back "
        "(tests/deploy/chains/duplicate_grades/d3_unique_grade.py:16: "
        'could not create unique index "uq_bale_grade"; DETAIL: Key (grade)=(A) is duplicated.); '
        "the database stays at d2_graded_bales"
    ) in " ".join(out.split()), out
    assert current_revision(db_url) == "d2_graded_bales"
    assert audit_rows(db_url)[-1] == ("d3_unique_grade", "failed")


def test_database_at_an_unknown_revision_is_refused(deploy: Deploy, db_url: str) -> None:
    assert deploy("--database-url", db_url, "--versions", GOOD)[0] == 0
    code, out = deploy("--database-url", db_url, "--versions", FAILING_MIDDLE)
    assert code == 2
    assert "at revision c3_bale_weight, which this code does not know" in out
    assert current_revision(db_url) == "c3_bale_weight"


def test_dry_run_prints_pending_sql_and_applies_nothing(deploy: Deploy, db_url: str) -> None:
    assert deploy("--database-url", db_url, "--versions", GOOD, "--to", "c1_bales")[0] == 0
    code, out = deploy("--database-url", db_url, "--versions", GOOD, "--dry-run")
    assert code == 0, out
    assert "2 revision(s) to apply, c1_bales -> c3_bale_weight" in out
    assert "CREATE TABLE lot" in out and "ALTER TABLE bale ADD COLUMN weight_kg" in out
    assert "CREATE TYPE cotton_grade" not in out  # already applied: not part of the SQL
    assert current_revision(db_url) == "c1_bales"
    assert not table_exists(db_url, "lot")


def test_dry_run_of_a_downgrade_prints_its_sql_and_applies_nothing(
    deploy: Deploy, db_url: str
) -> None:
    assert deploy("--database-url", db_url, "--versions", GOOD)[0] == 0
    code, out = deploy(
        "--database-url", db_url, "--versions", GOOD, "--to", "c1_bales",
        "--allow-downgrade", "--dry-run",
    )  # fmt: skip
    assert code == 0, out
    assert "2 revision(s) to roll back, c3_bale_weight -> c1_bales" in out
    assert "DROP TABLE lot" in out and "ALTER TABLE bale DROP COLUMN weight_kg" in out
    assert "DROP TABLE bale" not in out  # c1_bales stays
    assert current_revision(db_url) == "c3_bale_weight" and table_exists(db_url, "lot")


def test_downgrade_needs_allow_downgrade(deploy: Deploy, db_url: str) -> None:
    assert deploy("--database-url", db_url, "--versions", GOOD)[0] == 0
    code, out = deploy("--database-url", db_url, "--versions", GOOD, "--to", "c1_bales")
    assert code == 2 and "--allow-downgrade" in out
    assert current_revision(db_url) == "c3_bale_weight"

    code, out = deploy(
        "--database-url", db_url, "--versions", GOOD, "--to", "c1_bales", "--allow-downgrade"
    )
    assert code == 0, out
    assert current_revision(db_url) == "c1_bales" and not table_exists(db_url, "lot")
    assert audit_rows(db_url)[-2:] == [
        ("c3_bale_weight", "rolled_back"),
        ("c2_lots", "rolled_back"),
    ]


def test_changed_revision_file_warns_and_strict_fails(
    deploy: Deploy, db_url: str, tmp_path: Path
) -> None:
    chain = tmp_path / "versions"
    shutil.copytree(GOOD, chain)
    assert deploy("--database-url", db_url, "--versions", chain)[0] == 0
    edited = chain / "c2_lots.py"
    edited.write_text(edited.read_text() + "\n# edited after it was applied\n")

    code, out = deploy("--database-url", db_url, "--versions", chain)
    assert code == 0, out
    assert "1 applied revision file(s) changed" in out and "c2_lots: applied" in out

    code, out = deploy("--database-url", db_url, "--versions", chain, "--strict")
    assert code == 1 and "c2_lots" in out


def test_lock_timeout_fails_fast_and_leaves_the_other_session_alone(
    deploy: Deploy, db_url: str
) -> None:
    assert deploy("--database-url", db_url, "--versions", GOOD, "--to", "c1_bales")[0] == 0
    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    with engine.connect() as traffic:
        traffic.execute(sa.text("INSERT INTO bale (grade) VALUES ('A')"))  # uncommitted write
        code, out = deploy(
            "--database-url", db_url, "--versions", GOOD,
            "--lock-timeout", "200ms", "--lock-retries", "2", "--lock-retry-delay", "0.1",
        )  # fmt: skip
        assert code == 1, out
        assert out.count("hit lock_timeout") == 2
        assert "revision c3_bale_weight failed and was rolled back (lock_timeout after 3" in out
        # The live session is unaffected: its transaction still works and commits.
        traffic.execute(sa.text("INSERT INTO bale (grade) VALUES ('B')"))
        traffic.commit()
    engine.dispose()
    assert scalar(db_url, "SELECT count(*) FROM bale") == 2
    assert current_revision(db_url) == "c2_lots"
    assert not scalar(
        db_url,
        "SELECT count(*) FROM information_schema.columns "
        "WHERE table_name = 'bale' AND column_name = 'weight_kg'",
    )


def test_lock_wait_gives_up_with_exit_1(deploy: Deploy, db_url: str) -> None:
    from backend.db.deploy.lock import LOCK_KEY

    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    with engine.connect() as other:
        other.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": LOCK_KEY})
        code, out = deploy("--database-url", db_url, "--versions", GOOD, "--lock-wait", "0.5")
    engine.dispose()
    assert code == 1
    assert "another deploy holds the migration lock" in out and "--lock-wait" in out
    assert current_revision(db_url) is None


def test_waiting_deploy_finds_nothing_left(deploy: Deploy, db_url: str) -> None:
    """A deploy that waited for the lock re-reads the revision under it."""
    from backend.db.deploy.lock import LOCK_KEY

    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    other = engine.connect()
    other.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": LOCK_KEY})
    result: dict = {}
    waiter = threading.Thread(
        target=lambda: result.update(
            out=deploy("--database-url", db_url, "--versions", GOOD, "--lock-wait", "30")
        )
    )
    waiter.start()
    # The waiter must reach the lock before "the other deploy" finishes: wait until its
    # session is connected, then give it a moment to run pre-flight and try the lock.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            backends = conn.execute(
                sa.text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
            ).scalar()
        if backends >= 3:  # `other`, this probe and the waiter's session
            break
        time.sleep(0.05)
    time.sleep(0.5)
    # Meanwhile "the other deploy" (which holds the lock in `other`) migrates to head.
    with engine.connect() as conn:
        command.upgrade(alembic_config(GOOD, connection=conn), "head")
        conn.commit()
    other.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
    other.close()
    waiter.join(60)
    engine.dispose()
    code, out = result["out"]
    assert code == 0, out
    assert "another deploy is migrating" in out
    assert "nothing to do" in out and "applied " not in out


def test_json_logs_are_one_object_per_line(deploy: Deploy, db_url: str) -> None:
    code, out = deploy("--database-url", db_url, "--versions", GOOD, "--json-logs")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    applied = [r for r in records if r["step"] == "applied"]
    assert [r["revision"] for r in applied] == REVISIONS
    assert all(isinstance(r["duration_ms"], int) for r in applied)
    assert {r["severity"] for r in records} <= {"INFO", "NOTICE", "WARNING", "ERROR"}
    assert ":***@" in out or "postgres:" not in out
