"""The baseline d5fd7286d60e builds the contracted schema, and takes it all back on downgrade."""

from __future__ import annotations

import os
import subprocess
import sys

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from backend.db import schema_contract
from backend.db.base import Base
from backend.db.fresh_schema import upgrade_database as upgrade
from backend.db.migrations_config import (
    BACKEND_DIR,
    SCHEMA_CONTRACT,
    alembic_config,
    script_directory,
)
from backend.db.migrator.offline import offline_sql
from backend.db.session import scratch_connection

BASELINE = "d5fd7286d60e"


def snapshot(url) -> schema_contract.Snapshot:
    with scratch_connection(url) as conn:
        return schema_contract.snapshot(conn)


def downgrade_base(url) -> None:
    with scratch_connection(url) as connection:
        command.downgrade(alembic_config(connection=connection), "base")
        connection.commit()


def test_the_project_has_exactly_one_revision_the_baseline():
    scripts = script_directory()
    assert [s.revision for s in scripts.walk_revisions()] == [BASELINE]
    assert scripts.get_revision(BASELINE).path.endswith(
        "versions/d5fd7286d60e_initial_baseline_all_58_tables.py"
    )


def test_baseline_builds_exactly_the_contract(migrated_db):
    live = snapshot(migrated_db)
    assert schema_contract.compare(live, schema_contract.load(SCHEMA_CONTRACT)) == []


def test_counts_58_tables_9_enums_215_indexes_and_vector(migrated_db):
    with scratch_connection(migrated_db) as conn:
        tables = conn.execute(
            sa.text(
                "SELECT count(*) FROM pg_tables WHERE schemaname='public' "
                "AND tablename <> 'alembic_version'"
            )
        ).scalar()
        enums = conn.execute(
            sa.text(
                "SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                "WHERE t.typtype = 'e' AND n.nspname = 'public'"
            )
        ).scalar()
        indexes = conn.execute(
            sa.text(
                "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
        ).scalar()
        hnsw = conn.execute(
            sa.text(
                "SELECT count(*) FROM pg_indexes WHERE indexdef LIKE '%USING hnsw%vector_cosine_ops%'"
            )
        ).scalar()
        vector = conn.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname='vector'")).scalar()
    assert (tables, enums, indexes, hnsw, vector) == (58, 9, 215, 2, 1)


def test_upgrade_downgrade_upgrade_is_identical_and_downgrade_leaves_nothing(fresh_db):
    empty = snapshot(fresh_db)
    upgrade(fresh_db)
    first = snapshot(fresh_db)
    downgrade_base(fresh_db)
    assert schema_contract.compare(snapshot(fresh_db), empty) == []
    upgrade(fresh_db)
    assert schema_contract.compare(snapshot(fresh_db), first) == []


def test_downgrade_keeps_a_vector_extension_that_existed_before(fresh_db):
    with scratch_connection(fresh_db) as conn:
        conn.execute(sa.text("CREATE EXTENSION vector"))
        conn.commit()
    upgrade(fresh_db)
    downgrade_base(fresh_db)
    with scratch_connection(fresh_db) as conn:
        assert conn.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname='vector'")).scalar()
        assert (
            conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'"
                )
            ).scalar()
            == 0
        )


def test_autogenerate_finds_no_difference_between_models_and_baseline(migrated_db):
    with scratch_connection(migrated_db) as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        diff = [
            d for d in compare_metadata(context, Base.metadata) if "alembic_version" not in str(d)
        ]
    assert diff == []


def test_alembic_cli_from_backend_dir_upgrades_and_downgrades(fresh_db):
    """The guide's commands: `cd backend && alembic upgrade head` with DATABASE_URL."""
    env = {**os.environ, "DATABASE_URL": fresh_db.render_as_string(hide_password=False)}
    alembic = [sys.executable, "-m", "alembic"]
    subprocess.run([*alembic, "upgrade", "head"], cwd=BACKEND_DIR, env=env, check=True)
    current = subprocess.run(
        [*alembic, "current"], cwd=BACKEND_DIR, env=env, check=True, capture_output=True, text=True
    )
    assert BASELINE in current.stdout
    assert len(snapshot(fresh_db)["tables"]) == 58
    subprocess.run([*alembic, "downgrade", "base"], cwd=BACKEND_DIR, env=env, check=True)
    after = snapshot(fresh_db)
    assert (after["tables"], after["enums"]) == ({}, {})


def test_offline_sql_generates_for_the_whole_chain():
    sql = offline_sql(script_directory())
    assert sql.count("CREATE TABLE") - sql.count("CREATE TABLE alembic_version") == 58
    assert "CREATE EXTENSION IF NOT EXISTS vector" in sql
