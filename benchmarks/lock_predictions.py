"""lock-test's predictions against a measurement at ten times the larger rehearsal size.

For each statement kind of ``lock_chain.PREDICTED`` (CREATE INDEX, ALTER TYPE int -> bigint, SET
NOT NULL): observe the prediction chain with lock-test's own library (``observe.plan`` and
``observe.observe``) at the two rehearsal sizes and at ten times the larger, fit and predict with
lock-test's own prediction of a statement (``judge._predict``: the line through the two
rehearsal points, n log n for an index build) at the measured size, and set it beside the
measured time. Runs on the bench's server, in this process; each size ``repeats`` times, the run
with the median time of the statement kept (as tests/guard/test_lock_test.py does).
"""

from __future__ import annotations

from pathlib import Path

from lock_chain import PREDICTED

from backend.db.guard.locks import observe
from backend.db.guard.locks.judge import _predict
from backend.db.migrations_config import script_directory
from backend.db.session import scratch_connection


def _observe(server, scripts, order, touched, keys, rows: int) -> list[observe.RevisionObservation]:
    url = server.fresh_database("lockpred")
    try:
        with scratch_connection(url) as connection:
            return observe.observe(scripts, connection, order, touched, rows, keys)
    finally:
        server.drop_database(url)


def _worker(revision: observe.RevisionObservation) -> int:
    """The index of the revision's statement that worked on its table (one per revision here)."""
    return next(i for i, s in enumerate(revision.statements) if s.worked_on)


def _median_run(
    revisions: list[observe.RevisionObservation],
) -> tuple[observe.RevisionObservation, observe.StatementObservation]:
    """The run (of one revision at one size) whose working statement took the median time."""
    timed = sorted(revisions, key=lambda r: r.statements[_worker(r)].duration_s)
    revision = timed[len(timed) // 2]
    return revision, revision.statements[_worker(revision)]


def predictions(
    server, versions: Path, sizes: tuple[int, int, int], repeats: int = 1
) -> list[dict]:
    """Per kind: its times at ``sizes`` (median of ``repeats`` runs), the prediction at the third
    size from the first two, and predicted / measured."""
    scripts = script_directory(versions.resolve())
    url = server.fresh_database("lockpred_plan")
    try:
        with scratch_connection(url) as connection:
            order, touched = observe.plan(scripts, connection)
            keys = observe.head_foreign_keys(connection)
    finally:
        server.drop_database(url)
    runs = {
        rows: [_observe(server, scripts, order, touched, keys, rows) for _ in range(repeats)]
        for rows in sizes
    }
    results = []
    for i, (kind, table, _) in enumerate(PREDICTED):
        (small_rev, small), (large_rev, large), (target_rev, target) = (
            _median_run([run[i] for run in runs[rows]]) for rows in sizes
        )
        measured_rows = target_rev.rows[table]
        prediction = _predict(
            small, large, small_rev, large_rev, lambda name, rows=measured_rows: rows
        )
        results.append(
            {
                "kind": kind,
                "table": prediction.table,
                "times_s": {
                    str(rows): statement.duration_s
                    for rows, statement in zip(sizes, (small, large, target), strict=True)
                },
                "rows": measured_rows,
                "predicted_s": prediction.seconds,
                "measured_s": target.duration_s,
                "ratio": prediction.seconds / target.duration_s,
            }
        )
    return results
