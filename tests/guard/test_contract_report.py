"""The dry-run's contract comparison as people and programs read it: a long list of differences
is a count by kind and a few of each in text, every one in JSON and SARIF; a contract of another
PostgreSQL major and a server of another major than production's are noted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backend.db import schema_contract
from backend.db.fresh_schema import migrated_snapshot
from backend.db.guard.cli import main
from backend.db.migrations_config import SCHEMA_CONTRACT
from backend.db.postgres import PostgresServer, majors

RULE = "schema-matches-contract"
DROPPED_CHECKS, DROPPED_INDEXES = 25, 3


@pytest.fixture
def thinned_contract(tmp_path: Path) -> Path:
    """The project's contract without 25 check constraints and 3 indexes: 28 differences."""
    contract = schema_contract.load(SCHEMA_CONTRACT)
    checks = [name for name, c in contract["constraints"].items() if c["kind"] == "check"]
    for name in checks[:DROPPED_CHECKS]:
        del contract["constraints"][name]
    for name in sorted(contract["indexes"])[:DROPPED_INDEXES]:
        del contract["indexes"][name]
    path = tmp_path / "contract.json"
    schema_contract.write(contract, path)
    return path


def dry_run(server: PostgresServer, *args: str | Path) -> int:
    url = server.admin_url.render_as_string(hide_password=False)
    return main(["dry-run", "--postgres", "url", "--database-url", url, *map(str, args)])


def test_many_differences_print_as_a_count_by_kind_and_five_of_each(
    pg_server: PostgresServer, thinned_contract: Path, capsys
) -> None:
    assert dry_run(pg_server, "--contract", thinned_contract) == 1
    out = capsys.readouterr().out
    assert (
        f"{RULE} 28 findings: 3 indexes in the database but not expected, 25 constraints in the "
        "database but not expected; the first 5 of each kind (every one with --format json or "
        "sarif)"
    ) in out
    assert out.count("the migrated schema differs from the contract: constraint ") == 5
    assert out.count("the migrated schema differs from the contract: index ") == 3
    assert "... and 20 more constraints in the database but not expected" in out
    assert "dry-run: FAILED (28 error(s)" in out


def test_json_and_sarif_keep_every_difference(
    pg_server: PostgresServer, thinned_contract: Path, tmp_path: Path, capsys
) -> None:
    assert dry_run(pg_server, "--contract", thinned_contract, "--format", "json") == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [f["rule"] for f in findings] == [RULE] * 28
    assert {f["group"] for f in findings} == {
        "constraints in the database but not expected",
        "indexes in the database but not expected",
    }
    sarif = tmp_path / "guard.sarif"
    assert (
        dry_run(pg_server, "--contract", thinned_contract, "--format", "sarif", "--output", sarif)
        == 1
    )
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    assert sum(r["ruleId"] == RULE for r in results) == 28


def test_a_contract_of_the_other_major_passes_with_one_note(
    pg_server: PostgresServer, other_major_server: PostgresServer, tmp_path: Path, capsys
) -> None:
    contract = tmp_path / "contract.json"
    schema_contract.write(migrated_snapshot(other_major_server), contract)
    assert dry_run(pg_server, "--contract", contract, "--format", "json") == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    made, seen = (majors.major_of(s.version) for s in (other_major_server, pg_server))
    assert [n for n in notes if n.startswith("contract made on")] == [
        f"contract made on PostgreSQL {made}, compared on {seen} "
        "(NOT NULL constraints folded into nullability)"
    ]


def test_a_server_of_another_major_than_production_is_noted_with_how_to_test_on_it(
    pg_server: PostgresServer, other_major_server: PostgresServer, capsys
) -> None:
    production = majors.production_major()
    assert production in majors.EMBEDDED_MAJORS  # the project's setting, read from pyproject
    noted = {}
    for server in (pg_server, other_major_server):
        assert dry_run(server) == 0
        out = capsys.readouterr().out
        noted[majors.major_of(server.version)] = "but production runs" in out
        if noted[majors.major_of(server.version)]:
            assert (
                f"note: tested on PostgreSQL {majors.major_of(server.version)} but production "
                f"runs {production} ([tool.migration-guard] production-postgres); to test on "
                f"{production}: GUARD_EMBEDDED_PG_VERSION={production} migration-guard all"
            ) in out
    assert noted == {major: major != production for major in noted}
    assert len(noted) == 2
