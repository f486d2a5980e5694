"""downgrade-test on a real server: leftovers name their creator, the stairway finds what the
full cycle cannot, branches and merges pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.db.guard.checks import downgrade_test

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios" / "downgrade_test"


@pytest.fixture
def run_on(context_for):
    def run(versions: Path | None = None):
        context = context_for(versions)
        with context.recorder.collecting() as record:
            findings = downgrade_test.run(context).findings
        return findings, [name for name, _ in record.steps], record.notes

    return run


def test_leftover_enum_names_the_revision_that_created_it(run_on) -> None:
    findings, _, _ = run_on(SCENARIOS / "fail_enum_left_behind" / "versions")
    [leftover] = [f for f in findings if f.rule == "enum-left-behind"]
    assert "enum cotton_grade" in leftover.message and "created by revision b2" in leftover.message
    assert leftover.path.endswith("b2_lots_with_grade.py")
    assert leftover.line == 24  # def downgrade(): where the fix goes


def test_leftover_table_is_reported_once_not_per_index(run_on) -> None:
    findings, _, _ = run_on(SCENARIOS / "fail_table_left_behind" / "versions")
    messages = [f.message for f in findings]
    assert any(f.rule == "table-left-behind" and "table brokers" in f.message for f in findings)
    assert not any("ix_brokers_name" in m or "pk_brokers" in m for m in messages)


def test_stairway_catches_a_downgrade_that_drops_too_much(run_on) -> None:
    findings, steps, _ = run_on(SCENARIOS / "fail_stairway_broken" / "versions")
    [finding] = findings
    assert finding.rule == "stairway"
    assert "revision b2: upgrade after its own downgrade fails" in finding.message
    assert 'relation "warehouses" does not exist' in finding.message
    assert "downgrade to base" in steps  # the full cycle ran, and passed


def test_branches_and_merge_pass_the_full_cycle_and_the_stairway(run_on) -> None:
    findings, steps, _ = run_on(SCENARIOS / "pass_merge_and_branches" / "versions")
    assert findings == []
    assert "stairway (6 revisions)" in steps


def test_project_baseline_downgrades_to_an_empty_database(run_on) -> None:
    findings, steps, notes = run_on()
    assert findings == []
    assert steps[-1] == "upgrade to head again"
    assert "stairway: one revision, walked by the full cycle itself" in notes
