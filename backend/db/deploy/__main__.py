"""``python -m backend.db.deploy`` (and ``scripts/run_migrations.sh``, which runs it).

An interpreter without the project's dependencies (a checkout run with the wrong Python) gets
one line and exit 2, an environment failure, instead of an import traceback and exit 1.
"""

import sys

from backend.db.deploy.errors import EXIT_ENVIRONMENT  # the standard library only

try:
    from backend.db.deploy.cli import main
except ModuleNotFoundError as exc:
    if (exc.name or "").partition(".")[0] == "backend":
        raise  # our own module is missing: a broken install or a bug, not the environment
    print(
        f"python -m backend.db.deploy: {exc.name} is not installed for {sys.executable}; "
        "install the project: pip install .",
        file=sys.stderr,
    )
    sys.exit(EXIT_ENVIRONMENT)
sys.exit(main())
