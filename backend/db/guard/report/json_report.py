"""JSON: one object per check (``check``, ``ok``, ``duration_s``, ``findings``, steps, notes)."""

from __future__ import annotations

import json

from backend.db.guard.findings import CheckResult


def render(results: list[CheckResult], as_list: bool) -> str:
    data = [result.to_dict() for result in results]
    return json.dumps(data if as_list or len(data) != 1 else data[0], indent=2) + "\n"
