"""Run checks in one process on one Postgres server, each timed, and collect their results.

The database checks (dry-run, downgrade-test) run one after the other on the main thread; the
static checks (lint, security: ast, ruff, bandit, squawk) run in a thread meanwhile, since they
mostly wait on subprocesses. When a database check is asked for, the server starts in the
background at once, so its start-up overlaps the static checks too.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor

from backend.db.guard.checks import CHECK_MODULES, check_function
from backend.db.guard.context import GuardContext
from backend.db.guard.errors import GuardError
from backend.db.guard.findings import CheckResult

DATABASE_CHECKS = ("dry-run", "downgrade-test")


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


def run(names: list[str], context: GuardContext) -> list[CheckResult]:
    """Run ``names`` (in that order in the results) on ``context``; the caller closes it."""
    database = [name for name in names if name in DATABASE_CHECKS]
    static = [name for name in names if name not in DATABASE_CHECKS]
    if not database or not static:
        if database:
            context.start_server_in_background()
        return [run_check(name, context) for name in names]

    context.start_server_in_background()
    results: dict[str, CheckResult] = {}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="static-checks") as pool:
        pending: Future = pool.submit(lambda: [run_check(name, context) for name in static])
        for name in database:
            results[name] = run_check(name, context)
        for result in pending.result():
            results[result.check] = result
    return [results[name] for name in names]
