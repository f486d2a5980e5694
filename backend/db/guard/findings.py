"""What a check returns: findings (a problem plus an action) and the result of one check.

Every finding is made from a rule of the registry (``rules/registry.py``): ``error(rule, ...)``
and ``warning(rule, ...)`` take the rule (or its id) and refuse a rule the registry does not hold
or whose default severity is the other one; ``finding(..., severity=...)`` is the explicit
override (ruff's unused-import warnings in an error family).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from backend.db.guard.rules.registry import Rule, Severity, UnknownRule, resolve

__all__ = [
    "CheckResult",
    "Table",
    "Finding",
    "Severity",
    "UnknownRule",
    "WrongSeverity",
    "error",
    "finding",
    "warning",
]


class WrongSeverity(ValueError):
    """A rule made with the severity it does not have by default, without saying so."""


@dataclass(frozen=True)
class Finding:
    """One problem: which rule, where, the risk in one sentence, and how to fix it.

    ``rule`` is the reported id (a tool's own id, e.g. ``bandit-B602``, within its family); it
    must resolve in the registry, so a finding of an unregistered rule cannot exist.
    """

    rule: str
    severity: Severity
    path: str
    line: int | None
    message: str
    hint: str
    # Its kind among many alike findings of its rule ("constraints in the database but not
    # expected"): the text report counts a long run of them by kind and shows a few of each.
    group: str | None = None

    def __post_init__(self) -> None:
        resolve(self.rule)

    @property
    def registered(self) -> Rule:
        """The registry's entry for this finding's rule (its family for a tool's id)."""
        return resolve(self.rule)

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


def finding(
    rule: Rule | str,
    path: str,
    line: int | None,
    message: str,
    hint: str,
    *,
    severity: Severity | None = None,
) -> Finding:
    """A finding of ``rule`` at its default severity, or at ``severity`` (an explicit override).

    ``rule`` is a registry entry, or an id (a tool's id such as ``ruff-F821`` for a family);
    UnknownRule when the registry does not hold it.
    """
    if isinstance(rule, Rule):
        if rule.family:
            raise UnknownRule(f"{rule.label} is a family: make its finding with the tool's id")
        if resolve(rule.id) != rule:
            raise UnknownRule(f"rule {rule.id!r} is not the registry's entry of that id")
        rule_id = rule.id
    else:
        rule_id = rule
    return Finding(rule_id, severity or resolve(rule_id).severity, path, line, message, hint)


def error(rule: Rule | str, path: str, line: int | None, message: str, hint: str) -> Finding:
    """A finding of an error rule; WrongSeverity for a rule that is a warning by default."""
    return _as(Severity.ERROR, rule, path, line, message, hint)


def warning(rule: Rule | str, path: str, line: int | None, message: str, hint: str) -> Finding:
    """A finding of a warning rule; WrongSeverity for a rule that is an error by default."""
    return _as(Severity.WARNING, rule, path, line, message, hint)


def _as(
    severity: Severity, rule: Rule | str, path: str, line: int | None, message: str, hint: str
) -> Finding:
    made = finding(rule, path, line, message, hint)
    if made.severity is not severity:
        raise WrongSeverity(
            f"rule {made.rule!r} is {made.severity.value} by default but made as "
            f"{severity.value}; pass severity= to finding() to override it on purpose"
        )
    return made


@dataclass(frozen=True)
class Table:
    """A table a check adds to its result (e.g. one row per revision with its timings).

    Reports show it as it is: ``title`` above, ``header`` the column names, each row one cell per
    column, already formatted as text. A check appends it to ``context.tables`` while it runs.
    """

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "header": list(self.header),
            "rows": [list(r) for r in self.rows],
        }


@dataclass
class CheckResult:
    """The outcome of one check: its findings, timed steps, notes (e.g. skipped steps) and
    tables (details the check wants a reader to see, such as per-revision figures)."""

    check: str
    findings: list[Finding] = field(default_factory=list)
    duration_s: float = 0.0
    steps: list[tuple[str, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

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
            "tables": [t.to_dict() for t in self.tables],
        }
