"""infra/docker/postgres/init.sql gives commodity_user least privilege and pgvector."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

INIT_SQL = Path(__file__).resolve().parents[2] / "infra" / "docker" / "postgres" / "init.sql"


def run_init_sql(engine: sa.Engine) -> None:
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cursor:
            cursor.execute(INIT_SQL.read_text())
        raw.commit()
    finally:
        raw.close()


def test_init_sql_creates_vector_and_least_privilege_grants(engine):
    run_init_sql(engine)
    run_init_sql(engine)  # docker may re-run it on a kept volume: it must be idempotent
    with engine.begin() as conn:
        assert conn.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname='vector'")).scalar()
        role = conn.execute(
            sa.text(
                "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles "
                "WHERE rolname = 'commodity_user'"
            )
        ).one()
        assert tuple(role) == (True, False, False, False)
        privilege = sa.text(
            "SELECT has_database_privilege('commodity_user', current_database(), :p)"
        )
        assert conn.execute(privilege, {"p": "CONNECT"}).scalar()
        assert not conn.execute(privilege, {"p": "CREATE"}).scalar()
        assert conn.execute(
            sa.text("SELECT has_schema_privilege('commodity_user','public','USAGE')")
        ).scalar()
        # A table created after init.sql (as the migrations do) gets the default privileges.
        conn.execute(sa.text("CREATE TABLE later_table (id serial PRIMARY KEY)"))
        table_privilege = sa.text("SELECT has_table_privilege('commodity_user', 'later_table', :p)")
        for granted in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            assert conn.execute(table_privilege, {"p": granted}).scalar(), granted
        for refused in ("TRUNCATE", "REFERENCES", "TRIGGER"):
            assert not conn.execute(table_privilege, {"p": refused}).scalar(), refused
        assert conn.execute(
            sa.text(
                "SELECT has_sequence_privilege('commodity_user', 'later_table_id_seq', 'USAGE')"
            )
        ).scalar()
    # The role is cluster-wide and stays; its grants vanish with this test's database.
