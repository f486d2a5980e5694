"""Where two checks speak of the same statement, one finding says it: lock-test's measurement
takes in squawk's static warning about the op it measured.

squawk guesses from the SQL alone ("CREATE INDEX without CONCURRENTLY") and knows nothing of
table sizes; lock-test measured the same op on rows and predicted its lock time. A reviewer
who gets both reads the same advice twice, once without the numbers. So when both ran, each
squawk warning on the line of a lock-test finding leaves security's result and is named in the
measured finding instead; squawk's other warnings stay where they are.
"""

from __future__ import annotations

from dataclasses import replace

from backend.db.guard.findings import CheckResult

MEASURING_CHECK, STATIC_CHECK, STATIC_FAMILY = "lock-test", "security", "squawk-"


def fold_measured(results: list[CheckResult]) -> list[CheckResult]:
    """``results`` with squawk's warnings folded into lock-test's findings on the same line (new
    results; the given ones are left as they are)."""
    by_check = {result.check: result for result in results}
    measuring, static = by_check.get(MEASURING_CHECK), by_check.get(STATIC_CHECK)
    if measuring is None or static is None:
        return results
    measured = {(f.path, f.line) for f in measuring.findings if f.line is not None}
    folded: dict[tuple[str, int | None], list[str]] = {}
    kept = []
    for finding in static.findings:
        place = (finding.path, finding.line)
        if finding.rule.startswith(STATIC_FAMILY) and place in measured:
            folded.setdefault(place, []).append(finding.rule)
        else:
            kept.append(finding)
    if not folded:
        return results
    measured_findings = [
        replace(f, message=f"{f.message} (squawk agrees: {', '.join(sorted(folded[key]))})")
        if (key := (f.path, f.line)) in folded
        else f
        for f in measuring.findings
    ]
    changed = {
        STATIC_CHECK: replace(static, findings=kept),
        MEASURING_CHECK: replace(measuring, findings=measured_findings),
    }
    return [changed.get(result.check, result) for result in results]
