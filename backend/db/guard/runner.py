"""Run checks in one process on one Postgres server, each timed, and collect their results.

The database checks (dry-run, downgrade-test) run one after the other on the main thread; the
static checks (lint, security: ast, ruff, bandit, squawk) run meanwhile in a forked process (a
thread where fork is unavailable), which also makes the offline SQL dry-run checks. When a
database check is asked for, the server starts in the background at once, before Alembic and the
models are imported, so its start-up overlaps them.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor

from backend.db.guard.checks import CHECK_MODULES, check_function
from backend.db.guard.context import GuardContext
from backend.db.guard.errors import GuardError
from backend.db.guard.findings import CheckResult
from backend.db.guard.static_process import CAN_FORK, StaticProcess

DATABASE_CHECKS = ("dry-run", "downgrade-test", "data-test")


def run_check(name: str, context: GuardContext) -> CheckResult:
    """Run one check, timing it and collecting its steps and notes."""
    if name not in CHECK_MODULES:
        raise GuardError(f"unknown check {name!r}; choose from {', '.join(CHECK_MODULES)}")
    started = time.perf_counter()
    with context.collecting() as (steps, notes):
        findings = check_function(name)(context)
    return CheckResult(
        check=name,
        findings=list(findings),
        duration_s=time.perf_counter() - started,
        steps=steps,
        notes=notes,
    )


def run_checks(names: list[str], context: GuardContext) -> list[CheckResult]:
    """Run ``names`` one after the other on the current thread."""
    return [run_check(name, context) for name in names]


def run(names: list[str], context: GuardContext) -> list[CheckResult]:
    """Run ``names`` (in that order in the results) on ``context``; the caller closes it."""
    database = [name for name in names if name in DATABASE_CHECKS]
    static = [name for name in names if name not in DATABASE_CHECKS]
    context.share_head_database = {"dry-run", "downgrade-test"} <= set(database)
    if not database or not static:
        if database:
            context.start_server_in_background()
        return run_checks(names, context)
    if CAN_FORK:
        return _run_beside_process(names, database, static, context)
    return _run_beside_thread(names, database, static, context)


def _run_beside_process(names, database, static, context: GuardContext) -> list[CheckResult]:
    # Fork first: no other thread may exist yet (see static_process).
    child = StaticProcess(run_checks, static, context, with_offline_sql="dry-run" in database)
    try:
        context.use_offline_sql(child.offline_sql)
        context.start_server_in_background()
        results = {name: run_check(name, context) for name in database}
        static_results = child.results()
    finally:
        child.kill()
    if static_results is None:  # the child died: run the static checks here after all
        static_results = run_checks(static, context)
    results.update((result.check, result) for result in static_results)
    return [results[name] for name in names]


def _run_beside_thread(names, database, static, context: GuardContext) -> list[CheckResult]:
    context.start_server_in_background()
    results: dict[str, CheckResult] = {}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="static-checks") as pool:
        pending: Future = pool.submit(run_checks, static, context)
        for name in database:
            results[name] = run_check(name, context)
        for result in pending.result():
            results[result.check] = result
    return [results[name] for name in names]
