"""``python -m backend.db.guard``: the same as the ``migration-guard`` console script."""

from backend.db.guard.entrypoint import console_main

console_main()
