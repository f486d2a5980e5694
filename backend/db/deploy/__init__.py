"""The deploy runner: pre-flight, connection test, locked migration, verification, audit trail.

``python -m backend.db.deploy`` (see ``cli.py``), ``invoke deploy`` and
``scripts/run_migrations.sh`` all call :func:`backend.db.deploy.runner.run`. Exit codes: 0 success
(nothing to do included), 1 migration or verification failed, 2 environment, pre-flight or
connection failed.
"""
