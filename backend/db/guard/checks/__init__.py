"""The checks, in the order ``all`` runs them. Each module exposes ``run(context)``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports this before Alembic, to start the server sooner
    from backend.db.guard.context import GuardContext
    from backend.db.guard.findings import Finding

CHECK_MODULES: dict[str, str] = {
    "lint": "backend.db.guard.checks.lint",
    "dry-run": "backend.db.guard.checks.dry_run",
    "downgrade-test": "backend.db.guard.checks.downgrade_test",
    "security": "backend.db.guard.checks.security",
    "data-test": "backend.db.guard.checks.data_test",
}


def check_function(name: str) -> Callable[[GuardContext], list[Finding]]:
    """The ``run`` function of the check called ``name``."""
    return importlib.import_module(CHECK_MODULES[name]).run
