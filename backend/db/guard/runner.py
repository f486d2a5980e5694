"""Run checks in one process on one Postgres server, each timed, and collect their results.

The database checks run one after the other on the main thread; the static checks (lint,
security: ast, ruff, bandit, squawk) run meanwhile in a forked process (a thread where fork is
unavailable), which also makes the offline SQL dry-run checks. When a database check is asked
for, the server starts in the background at once, before Alembic and the models are imported,
so its start-up overlaps them.

What a check leaves for a later one (``Check.gives_to``: dry-run's database at head for
downgrade-test) is handed on here, from one check's :class:`Outcome` to the next one's
:class:`Handoff`, and only when both run.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor

from backend.db.guard.checks import BY_NAME, CHECK_MODULES, NO_HANDOFF, Handoff, check_function
from backend.db.guard.context import GuardContext
from backend.db.guard.errors import GuardError
from backend.db.guard.findings import CheckResult
from backend.db.guard.fold import fold_measured
from backend.db.guard.static_process import CAN_FORK, StaticProcess

DATABASE_CHECKS = tuple(check.name for check in BY_NAME.values() if check.needs_database)


def run_check(
    name: str, context: GuardContext, handoff: Handoff = NO_HANDOFF
) -> tuple[CheckResult, object]:
    """Run one check, timing it and collecting its steps and notes; its result, and what it
    leaves for the check it gives to."""
    if name not in CHECK_MODULES:
        raise GuardError(f"unknown check {name!r}; choose from {', '.join(CHECK_MODULES)}")
    started = time.perf_counter()
    with context.recorder.collecting() as record:
        outcome = check_function(name)(context, handoff)
    result = CheckResult(
        check=name,
        findings=list(outcome.findings),
        duration_s=time.perf_counter() - started,
        steps=record.steps,
        notes=record.notes,
        tables=record.tables,
    )
    return result, outcome.handoff


def run_checks(names: list[str], context: GuardContext) -> list[CheckResult]:
    """Run ``names`` one after the other on the current thread, handing each check what the
    check before it left for it."""
    results: list[CheckResult] = []
    left: dict[str, object] = {}  # check name -> what an earlier check left for it
    for name in names:
        giver = BY_NAME[name].gives_to if name in BY_NAME else None
        handoff = Handoff(received=left.pop(name, None), wanted=giver in names)
        result, value = run_check(name, context, handoff)
        results.append(result)
        if giver is not None and value is not None:
            left[giver] = value
    return results


def run(names: list[str], context: GuardContext) -> list[CheckResult]:
    """Run ``names`` (in that order in the results) on ``context``; the caller closes it.
    Findings two checks make about the same statement are folded into one (``guard/fold.py``)."""
    return fold_measured(_run(names, context))


def _run(names: list[str], context: GuardContext) -> list[CheckResult]:
    database = [name for name in names if name in DATABASE_CHECKS]
    static = [name for name in names if name not in DATABASE_CHECKS]
    if not database or not static:
        if database:
            context.postgres.start_in_background()
        return run_checks(names, context)
    if CAN_FORK:
        return _run_beside_process(names, database, static, context)
    return _run_beside_thread(names, database, static, context)


def _run_beside_process(names, database, static, context: GuardContext) -> list[CheckResult]:
    # Fork first: no other thread may exist yet (see static_process).
    child = StaticProcess(run_checks, static, context, with_offline_sql="dry-run" in database)
    try:
        context.folder.use_offline_sql(child.offline_sql)
        context.postgres.start_in_background()
        results = {result.check: result for result in run_checks(database, context)}
        static_results = child.results()
    finally:
        child.kill()
    if static_results is None:  # the child died: run the static checks here after all
        static_results = run_checks(static, context)
    results.update((result.check, result) for result in static_results)
    return [results[name] for name in names]


def _run_beside_thread(names, database, static, context: GuardContext) -> list[CheckResult]:
    context.postgres.start_in_background()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="static-checks") as pool:
        pending: Future = pool.submit(run_checks, static, context)
        results = {result.check: result for result in run_checks(database, context)}
        for result in pending.result():
            results[result.check] = result
    return [results[name] for name in names]
