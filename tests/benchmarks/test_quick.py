"""``benchmarks/run.py --quick`` runs end to end and writes a JSON document of the right shape.

Times are never asserted (they depend on the machine); what is asserted is that every measure was
taken, every number is positive, the ratios and scaling figures exist, and the peer is either
timed or explicitly skipped with the reason.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
MEASURES = (
    "floor",
    "floor (initdb)",
    "guard all",
    "guard lint",
    "guard dry-run",
    "guard downgrade-test",
    "guard security",
    "guard data-test",
    "guard lock-test",
    "lock-test chain",
    "lock-test chain floor",
    "generator fill (SQL)",
    "generator floor (SQL)",
    "upgrade SQL floor",
    "downgrade SQL floor",
    "alembic upgrade head",
    "alembic downgrade base",
)


def test_quick_run_writes_every_measure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--quick", "--json", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    data = json.loads(out.read_text())

    assert data["quick"] is True and data["rounds"] == 1 and data["chain"] == [0, 10]
    assert data["machine"]["cpu_count"] >= 1 and data["machine"]["python"]
    assert data["postgres"]["kind"] == "embedded" and data["postgres"]["version"][0].isdigit()
    assert data["postgres"]["settings"]["fsync"] == "off"

    chain_measures = [f"chain {n} {k}" for n in (0, 10) for k in ("guard all", "stairway", "floor")]
    for name in (*MEASURES, *chain_measures):
        measure = data["measures"][name]
        assert len(measure["times_s"]) == 1, name
        assert 0 < measure["min_s"] <= measure["median_s"] <= measure["max_s"], name
        if measure["floor"] is not None:
            assert measure["ratio_to_floor"] > 0, name
    for name in ("guard all", "chain 10 guard all", "chain 10 stairway"):
        assert data["measures"][name]["peak_rss_mb"] > 0, name
    assert set(data["measures"]["floor"]["phases_s"]) >= {"start", "upgrade SQL", "stop"}

    peer = data["peer"]
    if "skipped" in peer:
        assert peer["skipped"] == "pytest-alembic not installed"
        assert "pytest-alembic" not in data["measures"]
    else:
        assert data["measures"]["pytest-alembic"]["median_s"] > 0
        assert peer["ratio_to_guard_all"] > 0

    assert data["dry_run_upgrade"]["ratio_to_floor"] > 0
    assert data["generator"]["rows"] > 0 and data["generator"]["rate_to_floor"] > 0
    assert data["generator"]["rows_per_s"] > 0 and data["generator"]["floor_rows_per_s"] > 0
    assert data["data_test"]["ratio_to_dry_run_plus_downgrade_test"] > 0
    lock = data["lock_test"]
    assert lock["revisions"] == 5 and lock["rehearsal_rows"] == [5_000, 50_000]
    assert lock["ratio_to_floor"] > 0 and lock["floor_median_s"] > 0
    assert any(name.startswith("observe at") for name in lock["steps_s"])
    assert {p["kind"] for p in lock["predictions"]} == {
        "CREATE INDEX",
        "ALTER TYPE int -> bigint",
        "SET NOT NULL",
    }
    for prediction in lock["predictions"]:
        assert prediction["rows"] == 500_000, prediction
        assert prediction["predicted_s"] > 0 and prediction["measured_s"] > 0, prediction
        assert prediction["ratio"] > 0, prediction
    assert lock["worst_prediction_factor"] >= 1
    for kind in ("guard all", "stairway", "floor"):
        assert set(data["scaling"][kind]["ms_per_revision"]) == {"10"}
    assert {t["measure"] for t in data["targets"]} >= {
        "migration-guard all / floor",
        "pytest-alembic / migration-guard all",
        "generator rows/s / floor rows/s",
        "data-test / (dry-run + downgrade-test)",
        "lock-test (chain of 5) / its floor",
        "lock-test prediction at 10x the size, worst factor off",
    }
    assert "guard all" in done.stdout and "Targets" in done.stdout
    assert "lock-test's prediction at ten times" in done.stdout
