"""Judge what each revision would lock in production, and for how long, from two observations.

A statement that did work growing with a table (rewrite, full scan or validation, index build,
rows updated or deleted) while the migration held a lock that blocks writes (SHARE and above) on
an existing table is predicted at the production size of the table it worked on; the lock is
held from the statement that took it to the revision's commit, so the time blocked is the sum of
the predicted times of those statements. Over the budget it is ``lock-blocks-reads`` (ACCESS
EXCLUSIVE) or ``lock-blocks-writes``. Anything else passes; ACCESS EXCLUSIVE on a big table is
still noted, because even a constant-time change queues behind long queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from backend.db.guard.findings import Finding, error
from backend.db.guard.locks.observe import RevisionObservation, StatementObservation
from backend.db.guard.locks.predict import fit, linear, n_log_n
from backend.db.guard.rules import registry

# pg_locks' names, weakest first; the last four conflict with ROW EXCLUSIVE (writes).
MODES = (
    "AccessShareLock",
    "RowShareLock",
    "RowExclusiveLock",
    "ShareUpdateExclusiveLock",
    "ShareLock",
    "ShareRowExclusiveLock",
    "ExclusiveLock",
    "AccessExclusiveLock",
)
BLOCKS_WRITES = frozenset(MODES[4:])
ACCESS_EXCLUSIVE = "AccessExclusiveLock"
# From this many rows a table counts as big: an ACCESS EXCLUSIVE lock on it is noted.
BIG_TABLE_ROWS = 100_000


def mode_name(mode: str) -> str:
    """``ShareRowExclusiveLock`` -> ``SHARE ROW EXCLUSIVE`` (as the docs spell it)."""
    words, word = [], ""
    for char in mode.removesuffix("Lock"):
        if char.isupper() and word:
            words.append(word)
            word = ""
        word += char
    return " ".join([*words, word]).upper()


def strongest(modes: frozenset[str]) -> str | None:
    ranked = [mode for mode in MODES if mode in modes]
    return ranked[-1] if ranked else None


@dataclass(frozen=True)
class Prediction:
    """One statement at production size: the table whose size drives it (None: constant
    time), its times at the two rehearsal sizes and the predicted seconds."""

    table: str | None
    small: tuple[int, float]
    large: tuple[int, float]
    seconds: float


def judge(
    small: list[RevisionObservation],
    large: list[RevisionObservation],
    sizes: Callable[[str], int],
    budget_s: float,
    display_path: Callable[[str], str] = str,
) -> tuple[list[Finding], list[str]]:
    """Findings and notes for each revision observed at both sizes (same order in both lists).
    ``sizes(table)`` is the table's production row count."""
    findings: list[Finding] = []
    notes: list[str] = []
    for first, second in zip(small, large, strict=True):
        failure = first.failure or second.failure
        if failure is not None:
            notes.append(
                f"revision {first.revision}: could not measure its locks: the rehearsal rows make "
                f"it fail ({failure}); data-test judges what rows break it"
            )
            continue
        shape = [(s.line, s.sql) for s in first.statements]
        if shape != [(s.line, s.sql) for s in second.statements]:
            notes.append(
                f"revision {first.revision}: could not measure its locks: it runs different "
                "statements on tables of different sizes"
            )
            continue
        predictions = [
            _predict(a, b, first, second, sizes)
            for a, b in zip(first.statements, second.statements, strict=True)
        ]
        found, flagged = _revision_findings(second, predictions, sizes, budget_s, display_path)
        findings.extend(found)
        notes.extend(_access_exclusive_notes(second, sizes, flagged))
    return findings, notes


def _predict(
    small: StatementObservation,
    large: StatementObservation,
    small_revision: RevisionObservation,
    large_revision: RevisionObservation,
    sizes: Callable[[str], int],
) -> Prediction:
    worked = small.worked_on | large.worked_on
    if not worked:  # constant time: the slower measurement stands for production
        seconds = max(small.duration_s, large.duration_s)
        return Prediction(None, (0, small.duration_s), (0, large.duration_s), seconds)
    table = max(sorted(worked), key=sizes)
    points = (
        (small_revision.rows.get(table, 0), small.duration_s),
        (large_revision.rows.get(table, 0), large.duration_s),
    )
    # A build's sort is n log n; a rewrite, a scan or an update grows with the rows.
    work = n_log_n if table in (small.indexed | large.indexed) else linear
    return Prediction(table, *points, fit(*points, work).at(sizes(table)))


def _revision_findings(
    observation: RevisionObservation,
    predictions: list[Prediction],
    sizes: Callable[[str], int],
    budget_s: float,
    display_path: Callable[[str], str],
) -> tuple[list[Finding], set[str]]:
    """The findings, and the tables they name."""
    statements = observation.statements
    findings, flagged = [], set()
    for table in sorted(observation.rows):
        held = [strongest(s.locks.get(table, frozenset())) for s in statements]
        for start, end in _blocking_runs(held):
            blocked_s = sum(p.seconds for p in predictions[start : end + 1])
            if blocked_s <= budget_s:
                continue
            for i in range(start, end + 1):
                statement, prediction = statements[i], predictions[i]
                if prediction.table is None:
                    continue
                mode = held[i]
                flagged.add(table)
                findings.append(
                    error(
                        registry.LOCK_BLOCKS_READS
                        if mode == ACCESS_EXCLUSIVE
                        else registry.LOCK_BLOCKS_WRITES,
                        display_path(observation.path),
                        statement.line,
                        _message(
                            observation,
                            statement,
                            prediction,
                            table,
                            mode,
                            blocked_s,
                            sizes,
                            budget_s,
                            taken_at=statements[start].line,
                        ),
                        _hint(statement, prediction.table, mode),
                    )
                )
    return findings, flagged


def _blocking_runs(held: list[str | None]) -> list[tuple[int, int]]:
    """(first, last) statement index of each stretch during which a write-blocking lock is held
    (a lock ends early only where an autocommit_block commits the transaction)."""
    runs, start = [], None
    for i, mode in enumerate([*held, None]):
        if mode in BLOCKS_WRITES and start is None:
            start = i
        elif mode not in BLOCKS_WRITES and start is not None:
            runs.append((start, i - 1))
            start = None
    return runs


def _evidence(statement: StatementObservation, table: str) -> str:
    if table in statement.changed:
        return f"updates or deletes every row of {table}"
    if table in statement.rewritten:
        return f"rewrites {table}"
    if table in statement.indexed:
        return f"builds an index on {table}"
    return f"scans all of {table} (validation)"


def _message(
    observation: RevisionObservation,
    statement: StatementObservation,
    prediction: Prediction,
    table: str,
    mode: str,
    blocked_s: float,
    sizes: Callable[[str], int],
    budget_s: float,
    taken_at: int | None,
) -> str:
    blocks = "reads and writes" if mode == ACCESS_EXCLUSIVE else "writes"
    (n1, t1), (n2, t2) = prediction.small, prediction.large
    since = f" (taken at line {taken_at})" if taken_at != statement.line else ""
    return (
        f"revision {observation.revision} {_evidence(statement, prediction.table)} while holding "
        f"{mode_name(mode)}{since} on {table}, which blocks {blocks} on {table} for about "
        f"{blocked_s:,.1f} s at {sizes(prediction.table):,} rows of {prediction.table} "
        f"(budget {budget_s:g} s; measured {t1 * 1000:.1f} ms at {n1:,} rows, "
        f"{t2 * 1000:.1f} ms at {n2:,} rows; this statement {prediction.seconds:,.1f} s)"
    )


def _hint(statement: StatementObservation, table: str, mode: str) -> str:
    if table in statement.changed:
        return (
            "add the column in one revision, backfill it in batches (UPDATE ... WHERE id "
            "BETWEEN ... of a few thousand rows, committed each) in a revision of its own, then "
            "add the constraint in a third"
        )
    if table in statement.rewritten:
        return (
            "avoid the rewrite: add a new nullable column without a volatile default, backfill it "
            "in batches in a revision of its own, then switch to it (a type change: new column, "
            "backfill, swap in a short revision)"
        )
    if table in statement.indexed:
        return (
            "build it concurrently outside the transaction: `with "
            "op.get_context().autocommit_block(): op.create_index(..., "
            "postgresql_concurrently=True)`"
        )
    if mode == ACCESS_EXCLUSIVE and "NOT NULL" in statement.sql.upper():
        return (
            "add `CHECK (col IS NOT NULL) NOT VALID`, VALIDATE CONSTRAINT it in a later revision, "
            "then SET NOT NULL (PostgreSQL 12+ skips the scan) and drop the CHECK"
        )
    return (
        "add the constraint NOT VALID (`postgresql_not_valid=True`, or NOT VALID in SQL), then "
        "VALIDATE CONSTRAINT in a later revision: it takes SHARE UPDATE EXCLUSIVE, which blocks "
        "neither reads nor writes"
    )


def _access_exclusive_notes(
    observation: RevisionObservation, sizes: Callable[[str], int], flagged: set[str]
) -> list[str]:
    notes = []
    for table in sorted(observation.rows):
        if sizes(table) < BIG_TABLE_ROWS or table in flagged:
            continue
        taking = next(
            (s for s in observation.statements if ACCESS_EXCLUSIVE in s.locks.get(table, ())),
            None,
        )
        if taking is not None:
            notes.append(
                f"revision {observation.revision} line {taking.line}: ACCESS EXCLUSIVE on {table} "
                f"({sizes(table):,} rows in production) for a constant-time change: it waits "
                f"behind running queries on {table} and every query queues behind it; the "
                "deploy's lock_timeout keeps that wait short"
            )
    return notes
