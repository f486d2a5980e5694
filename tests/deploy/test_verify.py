"""Verification against a schema contract, and the read-only commands (verify, current, history)."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from backend.db import schema_contract
from backend.db.fresh_schema import migrated_snapshot
from backend.db.postgres import PostgresServer, majors

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


def test_many_differences_print_as_a_count_by_kind_and_json_logs_keep_all(
    deploy: Deploy, db_url: str, pg_server: PostgresServer, tmp_path: Path
) -> None:
    contract = tmp_path / "contract.json"
    schema_contract.write(migrated_snapshot(pg_server, GOOD), contract)
    assert deploy("--database-url", db_url, "--versions", GOOD, "--contract", contract)[0] == 0
    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    columns = ", ".join(f"ADD COLUMN hotfix_{n:02} text" for n in range(25))
    with engine.begin() as conn:  # 25 hand-made hotfix columns
        conn.execute(sa.text(f"ALTER TABLE lot {columns}"))
    engine.dispose()
    args = ("verify", "--database-url", db_url, "--versions", GOOD, "--contract", contract)

    code, out = deploy(*args)
    assert code == 1
    assert "differs from the contract" in out and "in 25 place(s)" in out
    assert (
        "25 differences: 25 columns in the database but not expected; the first 5 of each kind "
        "(every one with --json-logs)"
    ) in out
    assert out.count("column lot.hotfix_") == 5
    assert "... and 20 more columns in the database but not expected" in out

    code, out = deploy(*args, "--json-logs")
    assert code == 1
    records = [json.loads(line) for line in out.splitlines()]
    hotfixes = [r for r in records if r["message"].startswith("column lot.hotfix_")]
    assert len(hotfixes) == 25 and {r["severity"] for r in hotfixes} == {"ERROR"}


def test_a_contract_of_the_other_major_verifies_with_a_note(
    deploy: Deploy,
    db_url: str,
    pg_server: PostgresServer,
    other_major_server: PostgresServer,
    tmp_path: Path,
) -> None:
    contract = tmp_path / "contract.json"
    schema_contract.write(migrated_snapshot(other_major_server, GOOD), contract)
    code, out = deploy("--database-url", db_url, "--versions", GOOD, "--contract", contract)
    assert code == 0, out
    made, seen = (majors.major_of(s.version) for s in (other_major_server, pg_server))
    assert (
        f"verify     contract made on PostgreSQL {made}, compared on {seen} "
        "(NOT NULL constraints folded into nullability)"
    ) in out


def test_the_servers_major_is_reported_against_production(
    deploy: Deploy, pg_server: PostgresServer, other_major_server: PostgresServer
) -> None:
    production = majors.production_major()
    for server in (pg_server, other_major_server):
        major = majors.major_of(server.version)
        url = server.fresh_database("major")
        try:
            text = url.render_as_string(hide_password=False)
            code, out = deploy("current", "--database-url", text, "--versions", GOOD)
        finally:
            server.drop_database(url)
        assert code == 0, out
        line = next(line for line in out.splitlines() if " postgres " in line)
        if major == production:
            assert line == (
                f"✓ postgres   PostgreSQL {major}, production's major ([tool.migration-guard] "
                "production-postgres)"
            )
        else:
            assert line.startswith(
                f"! postgres   the server runs PostgreSQL {major} but [tool.migration-guard] "
                f"production-postgres = {production}, "
            )
            assert line.endswith(f"GUARD_EMBEDDED_PG_VERSION={major} migration-guard all")
