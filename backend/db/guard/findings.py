"""What a check returns: findings (a problem plus an action) and the result of one check."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"  # fails the check (exit 1)
    WARNING = "warning"  # reported, never fails the check


@dataclass(frozen=True)
class Finding:
    """One problem: which rule, where, the risk in one sentence, and how to fix it."""

    rule: str
    severity: Severity
    path: str
    line: int | None
    message: str
    hint: str
    # Its kind among many alike findings of its rule ("constraints in the database but not
    # expected"): the text report counts a long run of them by kind and shows a few of each.
    group: str | None = None

    @property
    def where(self) -> str:
        """``path:line``, or the path alone when the finding has no line."""
        return f"{self.path}:{self.line}" if self.line else self.path

    def to_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        if self.group is None:
            del data["group"]
        return data


def error(rule: str, path: str, line: int | None, message: str, hint: str) -> Finding:
    return Finding(rule, Severity.ERROR, path, line, message, hint)


def warning(rule: str, path: str, line: int | None, message: str, hint: str) -> Finding:
    return Finding(rule, Severity.WARNING, path, line, message, hint)


@dataclass
class CheckResult:
    """The outcome of one check: its findings, timed steps and notes (e.g. skipped steps)."""

    check: str
    findings: list[Finding] = field(default_factory=list)
    duration_s: float = 0.0
    steps: list[tuple[str, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """How many findings are errors (they fail the check)."""
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def to_dict(self) -> dict:
        return {
            "check": self.check,
            "ok": self.ok,
            "duration_s": round(self.duration_s, 3),
            "findings": [f.to_dict() for f in self.findings],
            "steps": [{"name": n, "duration_s": round(d, 3)} for n, d in self.steps],
            "notes": list(self.notes),
        }
