"""Pre-flight: which URL is used, how DB_* and the Cloud SQL socket become one, what is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.db import schema_contract
from backend.db.deploy import preflight
from backend.db.deploy.connection import server_info
from backend.db.deploy.errors import PreflightError
from backend.db.deploy.preflight import ExtensionNeed
from backend.db.fresh_schema import migrated_snapshot
from backend.db.migrations_config import SCHEMA_CONTRACT
from backend.db.postgres import PostgresServer
from backend.db.session import scratch_connection
from backend.db.urls import render_url

from .conftest import GOOD, Deploy, current_revision, table_exists

PARTS = {
    "DB_HOST": "10.0.0.5",
    "DB_PORT": "5433",
    "DB_USER": "erp",
    "DB_PASSWORD": "s3cr3t-pw",
    "DB_NAME": "commodity_erp",
}


def test_url_from_db_parts() -> None:
    url = preflight.database_url(None, PARTS)
    assert (url.drivername, url.host, url.port, url.username, url.database) == (
        "postgresql+psycopg2",
        "10.0.0.5",
        5433,
        "erp",
        "commodity_erp",
    )
    assert url.password == "s3cr3t-pw"
    assert "s3cr3t-pw" not in render_url(url)


def test_cloud_sql_socket_goes_to_the_host_query() -> None:
    env = {**PARTS, "DB_HOST": "/cloudsql/proj:europe-west1:erp-db"}
    del env["DB_PORT"]
    url = preflight.database_url(None, env)
    assert url.host is None
    assert url.query["host"] == "/cloudsql/proj:europe-west1:erp-db"
    assert url.render_as_string(hide_password=True) == (
        "postgresql+psycopg2://erp:***@/commodity_erp?host=%2Fcloudsql%2Fproj%3Aeurope-west1%3Aerp-db"
    )


def test_database_url_wins_over_parts_and_explicit_over_both() -> None:
    env = {**PARTS, "DATABASE_URL": "postgresql://a:b@envhost/envdb"}
    assert preflight.database_url(None, env).host == "envhost"
    assert preflight.database_url("postgresql://c@clihost/clidb", env).host == "clihost"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "no database configured"),
        ({"DB_HOST": "h", "DB_USER": "u"}, "DB_NAME not set"),
        ({**PARTS, "DB_PORT": "54x"}, "DB_PORT is not a port number"),
        ({"DATABASE_URL": ""}, "DATABASE_URL: the database URL is empty"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL: the database URL is malformed"),
        ({"DATABASE_URL": "mysql://u:pw@h/db"}, "not PostgreSQL"),
    ],
)
def test_bad_settings_name_the_problem(env: dict, expected: str) -> None:
    with pytest.raises(PreflightError, match=expected) as caught:
        preflight.database_url(None, env)
    assert caught.value.exit_code == 2


def test_missing_versions_folder(tmp_path: Path) -> None:
    with pytest.raises(PreflightError, match="versions folder not found"):
        preflight.check("postgresql://u@h/db", {}, tmp_path / "nope")


def test_two_heads_are_refused(tmp_path: Path) -> None:
    for name in ("c1_bales.py", "c2_lots.py"):
        (tmp_path / name).write_text((GOOD / name).read_text())
    side = (GOOD / "c2_lots.py").read_text().replace('"c2_lots"', '"c2_side"')
    (tmp_path / "c2_side.py").write_text(side)
    with pytest.raises(PreflightError, match="2 heads"):
        preflight.check("postgresql://u@h/db", {}, tmp_path)


def test_contract_is_the_projects_only_for_its_own_folder(tmp_path: Path) -> None:
    foreign = preflight.check("postgresql://u@h/db", {}, GOOD)
    assert foreign.contract is None and foreign.head == "c3_bale_weight"
    with pytest.raises(PreflightError, match="schema contract not found"):
        preflight.check("postgresql://u@h/db", {}, GOOD, tmp_path / "missing.json")
    if SCHEMA_CONTRACT.is_file():
        assert preflight.check("postgresql://u@h/db", {}).contract == SCHEMA_CONTRACT


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        ("0.4.4", "0.5.0"),
        ("0.5.0", "0.5.1"),
        ("0.9.0", "0.10.0"),
        ("0.5.0-rc1", "0.5.0"),
        ("1.2beta1", "1.2"),
        ("0.8.5", "1.0"),
    ],
)
def test_extension_versions_compare_as_numbers(older: str, newer: str) -> None:
    assert preflight.version_key(older) < preflight.version_key(newer)


def test_trailing_zeros_do_not_count() -> None:
    assert preflight.version_key("0.5") == preflight.version_key("0.5.0")


def test_the_projects_schema_needs_pgvector_with_hnsw() -> None:
    checked = preflight.check("postgresql://u@h/db", {})
    assert checked.extensions == (ExtensionNeed("vector", "0.5.0", "HNSW indexes"),)
    assert preflight.check("postgresql://u@h/db", {}, GOOD).extensions == ()


def test_extensions_are_checked_against_what_the_server_has(fresh_db) -> None:
    with scratch_connection(fresh_db) as connection:
        before = server_info(connection).extensions
        connection.exec_driver_sql("CREATE EXTENSION vector")
        connection.commit()
        after = server_info(connection).extensions
    offered = before["vector"].default
    assert before["vector"].installed is None and offered in before["vector"].versions
    hnsw = ExtensionNeed("vector", "0.5.0", "HNSW indexes")
    assert preflight.check_extensions((hnsw,), before) == [
        f"vector {offered} available (>= 0.5.0 for HNSW indexes)"
    ]
    assert preflight.check_extensions((hnsw,), after) == [
        f"vector {offered} installed (>= 0.5.0 for HNSW indexes)"
    ]
    future = ExtensionNeed("vector", "99.0", "time travel")
    with pytest.raises(PreflightError) as caught:
        preflight.check_extensions((future,), before)
    assert str(caught.value) == (
        f"CREATE EXTENSION vector would install {offered}; the schema needs vector >= 99.0 "
        "for time travel; nothing was applied"
    )
    with pytest.raises(PreflightError, match=f"vector {offered} is installed; the schema needs "):
        preflight.check_extensions((future,), after)
    with pytest.raises(PreflightError, match="extension cotton_gin is not available"):
        preflight.check_extensions((ExtensionNeed("cotton_gin"), hnsw), after)


def test_an_unavailable_extension_stops_the_deploy_before_any_revision(
    deploy: Deploy, db_url: str, pg_server: PostgresServer, tmp_path: Path
) -> None:
    contract = migrated_snapshot(pg_server, GOOD)
    contract["extensions"] = [*contract["extensions"], "cotton_gin"]
    schema_contract.write(contract, tmp_path / "contract.json")
    code, out = deploy(
        "--database-url", db_url, "--versions", GOOD, "--contract", tmp_path / "contract.json"
    )
    assert code == 2, out
    failed = [line for line in out.splitlines() if "failed" in line]
    assert failed == [
        "✗ failed     extension cotton_gin is not available on this server; nothing was applied"
    ]
    assert current_revision(db_url) is None and not table_exists(db_url, "bale")
