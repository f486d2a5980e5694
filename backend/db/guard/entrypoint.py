"""The ``migration-guard`` console script and ``python -m backend.db.guard``: the guard's CLI,
or one line saying how to install it when the ``guard`` extra is missing (exit 2).

The deploy's install (``pip install .``) has the console script but not the guard's tools; a
run there would otherwise stop midway on a ``ModuleNotFoundError``.
"""

from __future__ import annotations

import sys

from backend.db import extras
from backend.db.guard.errors import EXIT_COULD_NOT_RUN


def main() -> int:
    absent = extras.missing("guard")
    if absent:
        print(
            f"migration-guard: {extras.GUARD_INSTALL} (missing {', '.join(absent)})",
            file=sys.stderr,
        )
        return EXIT_COULD_NOT_RUN
    # Imported only now: the CLI's modules may import the extra's packages (pglast, bandit).
    from backend.db.guard.cli import main as guard_main

    return guard_main()


def console_main() -> None:
    sys.exit(main())
