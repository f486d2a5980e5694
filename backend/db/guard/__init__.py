"""The migration guard: lint, dry-run, downgrade-test, security, data-test and lock-test over a
versions folder.

Each check is a function ``run(context, handoff) -> Outcome`` in ``guard/checks/`` (the table of
checks is ``guard/checks/__init__.py``); its rules are values in ``guard/rules/registry.py``;
the runner times the checks and hands one's result to the next, and the reporters in
``guard/report/`` render the results. Other code calls ``guard/api.py``. Nothing here prints or
exits: the CLI (``guard/cli.py``) is the only edge.
"""
