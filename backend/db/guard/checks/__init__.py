"""The checks, in the order ``all`` runs them, and what passes between them.

Each check module exposes ``run(context, handoff) -> Outcome``: it reads the run's
:class:`~backend.db.guard.context.GuardContext`, and returns its findings plus, when a later
check asked for it (``handoff.wanted``), a value for that check. The runner hands that value to
the check named in :attr:`Check.gives_to` (dry-run's migrated database to downgrade-test):
checks never share a mutable object.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the CLI imports this before Alembic, to start the server sooner
    from backend.db.guard.context import GuardContext
    from backend.db.guard.findings import Finding
    from backend.db.schema_contract import Snapshot


@dataclass(frozen=True)
class Check:
    """One check: its name, its module, whether it needs PostgreSQL, and the check that takes
    what it leaves behind."""

    name: str
    module: str
    needs_database: bool
    gives_to: str | None = None


CHECKS: tuple[Check, ...] = (
    Check("lint", "backend.db.guard.checks.lint", needs_database=False),
    Check("dry-run", "backend.db.guard.checks.dry_run", True, gives_to="downgrade-test"),
    Check("downgrade-test", "backend.db.guard.checks.downgrade_test", needs_database=True),
    Check("security", "backend.db.guard.checks.security", needs_database=False),
    Check("data-test", "backend.db.guard.checks.data_test", needs_database=True),
    Check("lock-test", "backend.db.guard.checks.lock_test", needs_database=True),
)
CHECK_MODULES: dict[str, str] = {check.name: check.module for check in CHECKS}
BY_NAME: dict[str, Check] = {check.name: check for check in CHECKS}


@dataclass(frozen=True)
class Handoff:
    """What the runner gives a check: ``received``, the value an earlier check left for it (or
    None), and ``wanted``, whether a later check of this run takes this one's value."""

    received: Any = None
    wanted: bool = False


# What a check gets when nothing was left for it and nothing later takes its value.
NO_HANDOFF = Handoff()


@dataclass(frozen=True)
class Outcome:
    """What a check returns: its findings, and the value it leaves for the check it gives to."""

    findings: list[Finding] = field(default_factory=list)
    handoff: Any = None


@dataclass(frozen=True)
class HeadDatabase:
    """dry-run's hand-off to downgrade-test: a scratch database migrated to head, with its
    schema at head and when empty, so the full cycle does not migrate a second database."""

    url: object  # sqlalchemy URL (with the password: never printed)
    at_head: Snapshot
    empty: Snapshot


def check_function(name: str) -> Callable[[GuardContext, Handoff], Outcome]:
    """The ``run`` function of the check called ``name``."""
    return importlib.import_module(CHECK_MODULES[name]).run
