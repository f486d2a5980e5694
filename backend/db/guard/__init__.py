"""The migration guard: lint, dry-run, downgrade test and security check over a versions folder.

Each check is a plain function ``run(context) -> list[Finding]`` in ``guard/checks/``; the
runner times them and the reporters in ``guard/report/`` render the results. Nothing here prints
or exits: the CLI (``guard/cli.py``) is the only edge.
"""
