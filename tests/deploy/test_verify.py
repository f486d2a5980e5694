"""Verification against a schema contract, and the read-only commands (verify, current, history)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from backend.db import schema_contract
from backend.db.fresh_schema import migrated_snapshot
from backend.db.postgres import PostgresServer

from .conftest import GOOD, Deploy


def test_contract_match_then_drift_is_listed(
    deploy: Deploy, db_url: str, pg_server: PostgresServer, tmp_path: Path
) -> None:
    contract = tmp_path / "contract.json"
    schema_contract.write(migrated_snapshot(pg_server, GOOD), contract)
    code, out = deploy("--database-url", db_url, "--versions", GOOD, "--contract", contract)
    assert code == 0, out
    assert "schema matches the contract (2 tables, 1 enum types" in out

    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:  # a hand-made hotfix in "production"
        conn.execute(sa.text("ALTER TABLE lot ADD COLUMN hotfix text"))
    engine.dispose()
    code, out = deploy(
        "verify", "--database-url", db_url, "--versions", GOOD, "--contract", contract
    )
    assert code == 1
    assert "differs from the contract" in out
    assert "column lot.hotfix is in the database but not expected" in out


def test_verify_refuses_a_database_behind_head(deploy: Deploy, db_url: str) -> None:
    assert (
        deploy("migrate", "--database-url", db_url, "--versions", GOOD, "--to", "c2_lots")[0] == 0
    )
    code, out = deploy("verify", "--database-url", db_url, "--versions", GOOD)
    assert code == 1 and "the database is at c2_lots, expected c3_bale_weight" in out


def test_current_and_history_change_nothing(deploy: Deploy, db_url: str) -> None:
    code, out = deploy("current", "--database-url", db_url, "--versions", GOOD)
    assert code == 0 and "database at base, code head c3_bale_weight" in out
    assert deploy("--database-url", db_url, "--versions", GOOD)[0] == 0
    code, out = deploy("history", "--database-url", db_url, "--versions", GOOD)
    assert code == 0 and "3 audit row(s)" in out and "c3_bale_weight" in out
