"""lock-test on real PostgreSQL: the prediction against a measurement at ten times the size, the
ERP's own schema with production sizes, and the sizes file, budget and table-sizes library.
The rules' verdicts are the scenario folders tests/scenarios/lock_test/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from backend.db import table_sizes
from backend.db.guard.checks.lock_test import lock_budget, production_sizes
from backend.db.guard.cli import main
from backend.db.guard.errors import GuardError
from backend.db.guard.locks import observe
from backend.db.guard.locks.judge import _predict
from backend.db.guard.locks.predict import fit, n_log_n
from backend.db.migrations_config import VERSIONS_DIR, script_directory
from backend.db.session import scratch_connection

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios" / "lock_test"
INDEX_REVISION = '''"""index trades by trade date

Revision ID: {rev}
Revises: {down}
"""

import sqlalchemy as sa
from alembic import op

revision = "{rev}"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
{body}


def downgrade() -> None:
    op.drop_index("ix_trades_lock_test", table_name="trades")
'''
PLAIN = '    op.create_index("ix_trades_lock_test", "trades", ["trade_date", "id"])'
CONCURRENT = """    with op.get_context().autocommit_block():
        op.create_index(
            "ix_trades_lock_test", "trades", ["trade_date", "id"], postgresql_concurrently=True
        )"""


def _measure(server, versions: Path, rows: int) -> list[observe.RevisionObservation]:
    scripts = script_directory(versions.resolve())
    with scratch_connection(server.fresh_database("lt_plan")) as connection:
        order, touched = observe.plan(scripts, connection)
        keys = observe.head_foreign_keys(connection)
    with scratch_connection(server.fresh_database("lt")) as connection:
        return observe.observe(scripts, connection, order, touched, rows, keys)


@pytest.mark.parametrize("scenario", ["fail_create_index", "fail_alter_type_bigint"])
def test_prediction_at_ten_times_the_size_agrees_within_a_factor_of_2(pg_server, scenario):
    """Fit at 5,000 and 50,000 rows, predict 500,000, measure 500,000 (medians of 3 runs)."""
    versions = SCENARIOS / scenario / "versions"
    sizes = (5_000, 50_000, 500_000)
    runs = {rows: [_measure(pg_server, versions, rows)[0] for _ in range(3)] for rows in sizes}

    def median_run(rows):
        ordered = sorted(runs[rows], key=lambda r: r.statements[0].duration_s)
        return ordered[1]

    small, large, target = (median_run(rows) for rows in sizes)
    prediction = _predict(
        small.statements[0], large.statements[0], small, large, lambda table: 500_000
    )
    measured = target.statements[0].duration_s
    print(
        f"\n{scenario}: {small.statements[0].duration_s * 1000:.1f} ms at 5,000 rows, "
        f"{large.statements[0].duration_s * 1000:.1f} ms at 50,000; predicted "
        f"{prediction.seconds * 1000:.1f} ms at 500,000, measured {measured * 1000:.1f} ms "
        f"(ratio {prediction.seconds / measured:.2f})"
    )
    assert target.rows["trades"] == 500_000
    assert prediction.table == "trades"
    assert 0.5 <= prediction.seconds / measured <= 2.0


def _erp_versions(tmp_path: Path, body: str) -> Path:
    versions = tmp_path / "versions"
    shutil.copytree(VERSIONS_DIR, versions, ignore=shutil.ignore_patterns("__pycache__"))
    head = script_directory(VERSIONS_DIR).get_current_head()
    (versions / "e1a2b3c4d5f6_index_trades.py").write_text(
        INDEX_REVISION.format(rev="e1a2b3c4d5f6", down=head, body=body)
    )
    return versions


def _sizes(tmp_path: Path, trades: int) -> Path:
    path = tmp_path / "sizes.json"
    path.write_text(
        json.dumps({"trades": trades, "requirements": 4_000_000, "availabilities": 3_000_000})
    )
    return path


def _run(versions: Path, sizes: Path, admin_url_text: str, capsys) -> tuple[int, dict]:
    code = main(
        [
            "lock-test", "--versions", str(versions), "--table-sizes", str(sizes),
            "--postgres", "url", "--database-url", admin_url_text, "--format", "json",
        ]
    )  # fmt: skip
    return code, json.loads(capsys.readouterr().out)


def test_erp_index_on_trades_blocks_writes_for_seconds(tmp_path, admin_url_text, capsys):
    versions = _erp_versions(tmp_path, PLAIN)
    code, report = _run(versions, _sizes(tmp_path, 12_000_000), admin_url_text, capsys)
    print(json.dumps(report["findings"], indent=2))
    assert code == 1
    [finding] = report["findings"]
    assert finding["rule"] == "lock-blocks-writes"
    assert finding["path"].endswith("e1a2b3c4d5f6_index_trades.py")
    assert finding["line"] == 17  # the op.create_index line
    assert "SHARE on trades" in finding["message"]
    assert "12,000,000 rows of trades" in finding["message"]
    assert "CONCURRENTLY" in finding["hint"].upper()
    assert "autocommit_block" in finding["hint"]


def test_erp_index_built_concurrently_passes(tmp_path, admin_url_text, capsys):
    versions = _erp_versions(tmp_path, CONCURRENT)
    code, report = _run(versions, _sizes(tmp_path, 12_000_000), admin_url_text, capsys)
    assert code == 0, report["findings"]


def test_erp_index_on_a_small_trades_table_passes(tmp_path, admin_url_text, capsys):
    versions = _erp_versions(tmp_path, PLAIN)
    code, report = _run(versions, _sizes(tmp_path, 500), admin_url_text, capsys)
    assert code == 0, report["findings"]


def test_a_sizes_file_that_is_not_an_object_of_counts_cannot_run(tmp_path):
    bad = tmp_path / "sizes.json"
    bad.write_text('{"trades": "many"}')
    with pytest.raises(GuardError, match="table name -> row count"):
        production_sizes(bad, is_project=False)


def test_without_a_sizes_file_every_table_has_a_million_rows():
    sizes = production_sizes(None, is_project=False)
    assert sizes("trades") == sizes("anything") == 1_000_000
    assert "1,000,000 rows assumed" in sizes.source


def test_budget_from_the_option_else_pyproject_else_one_second(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    assert lock_budget(None, pyproject) == 1.0  # no file
    pyproject.write_text("[tool.migration-guard]\nlock-budget = 2.5\n")
    assert lock_budget(None, pyproject) == 2.5
    assert lock_budget(0.3, pyproject) == 0.3
    pyproject.write_text('[tool.migration-guard]\nlock-budget = "soon"\n')
    with pytest.raises(GuardError, match="lock-budget"):
        lock_budget(None, pyproject)


def test_table_sizes_reads_estimates_without_reading_rows(migrated_db, tmp_path):
    with scratch_connection(migrated_db) as connection:
        connection.execute(sa.text("CREATE TABLE sized (id int)"))
        connection.execute(sa.text("INSERT INTO sized SELECT generate_series(1, 1234)"))
        connection.commit()
        connection.execute(sa.text("ANALYZE sized"))
        connection.commit()
        found = table_sizes.estimates(connection)
    assert found["sized"] == 1234
    assert "alembic_version" not in found
    assert "trades" in found
    path = tmp_path / "table_sizes.json"
    table_sizes.write(path, found)
    assert table_sizes.load(path) == found


def test_invoke_table_sizes_writes_the_file_from_database_url(migrated_db, tmp_path, monkeypatch):
    from invoke import Context

    import tasks

    monkeypatch.setenv("DATABASE_URL", migrated_db.render_as_string(hide_password=False))
    output = tmp_path / "sizes.json"
    tasks.table_sizes(Context(), output=str(output))
    found = table_sizes.load(output)
    assert "trades" in found and all(rows >= 0 for rows in found.values())


def test_invoke_table_sizes_on_a_closed_port_exits_2_without_the_password(tmp_path):
    from invoke import Context, Exit

    import tasks

    url = "postgresql://guard:s3cret-pw@127.0.0.1:9/erp"
    with pytest.raises(Exit) as raised:
        tasks.table_sizes(Context(), database_url=url, output=str(tmp_path / "s.json"))
    assert raised.value.code == 2
    assert "s3cret-pw" not in str(raised.value.message)
    assert "cannot read table sizes" in str(raised.value.message)


def test_since_measures_only_the_new_revisions(admin_url_text, capsys) -> None:
    folder = SCENARIOS / "fail_create_index"
    args = ["lock-test", "--versions", str(folder / "versions"), "--table-sizes"]
    args += [str(folder / "sizes.json"), "--postgres", "url", "--database-url", admin_url_text]

    judged = main([*args, "--since", "a1", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert judged == 1 and {f["rule"] for f in report["findings"]} == {"lock-blocks-writes"}

    # The index revision is old now: applied, never measured, nothing to blame.
    assert main([*args, "--since", "b2", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["findings"] == []
    assert "since b2: 0 new revision(s) judged, 2 old" in report["notes"]


def test_a_fit_through_noise_still_grows_with_the_work() -> None:
    # Measured growth: the line through both points.
    line = fit((5_000, 0.001), (50_000, 0.010))
    assert line.at(500_000) == pytest.approx(0.1, rel=0.01)
    # A busy machine made the small measurement the slower one: the statement did work that
    # grows (the caller saw it), so the line goes through the origin and the larger point.
    noisy = fit((5_000, 0.012), (50_000, 0.010))
    assert noisy.at(500_000) == pytest.approx(0.1, rel=0.01)
    # An index build's sort: more than linear.
    assert fit((5_000, 0.001), (50_000, 0.010), n_log_n).at(500_000) > line.at(500_000)
