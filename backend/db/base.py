"""``Base`` with every model imported, so ``Base.metadata`` is complete wherever it is used.

Alembic's env.py, the schema diagrams and the guard's drift check import ``Base`` from here.
A model module missing from ``MODEL_MODULES`` is invisible to autogenerate; a test checks the list
against the modules on disk.
"""

from __future__ import annotations

import importlib

from backend.db.session import NAMING_CONVENTION, Base

MODEL_MODULES: tuple[str, ...] = (
    "backend.modules.core.models",
    "backend.modules.settings.models",
    "backend.modules.partners.models",
    "backend.modules.trade_desk.models",
    "backend.modules.auth.models",
    "backend.modules.notifications.models",
)


def import_all_models() -> None:
    """Import every model module so that its tables register on ``Base.metadata``."""
    for module in MODEL_MODULES:
        importlib.import_module(module)


import_all_models()

__all__ = ["Base", "MODEL_MODULES", "NAMING_CONVENTION", "import_all_models"]
