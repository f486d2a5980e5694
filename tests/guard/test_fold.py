"""lock-test's measured finding takes in squawk's warning about the same op; squawk's other
warnings, and everything when lock-test did not run, stay as they are."""

from __future__ import annotations

from backend.db.guard.findings import CheckResult, error, warning
from backend.db.guard.fold import fold_measured

PATH = "migrations/versions/b2_index_trades.py"


def squawk(rule: str, line: int):
    return warning(f"squawk-{rule}", PATH, line, f"{rule} at {line}", "see squawk")


def lock(line: int):
    return error("lock-blocks-writes", PATH, line, "blocks writes on trades for 12.9 s", "fix")


def test_squawk_on_a_measured_line_folds_into_the_lock_finding() -> None:
    security = CheckResult(
        "security",
        [squawk("require-concurrent-index-creation", 17), squawk("prefer-bigint-over-int", 21)],
    )
    lock_test = CheckResult("lock-test", [lock(17)])

    security, lock_test = fold_measured([security, lock_test])

    assert [f.rule for f in security.findings] == ["squawk-prefer-bigint-over-int"]
    [measured] = lock_test.findings
    assert measured.message.endswith("(squawk agrees: squawk-require-concurrent-index-creation)")
    assert lock_test.errors == 1


def test_nothing_folds_without_lock_test_or_on_other_lines() -> None:
    alone = CheckResult("security", [squawk("require-concurrent-index-creation", 17)])
    [alone] = fold_measured([alone])
    assert len(alone.findings) == 1

    security = CheckResult("security", [squawk("require-concurrent-index-creation", 17)])
    lock_test = CheckResult("lock-test", [lock(30)])
    security, lock_test = fold_measured([security, lock_test])
    assert len(security.findings) == 1
    assert "squawk agrees" not in lock_test.findings[0].message
