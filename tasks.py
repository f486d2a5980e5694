"""Invoke tasks: the operator's and developer's menu. Each task wraps one library function.

Run ``invoke --list`` to see them.
"""

from __future__ import annotations

from invoke import Collection, Exit, task


@task(
    help={
        "postgres": "auto | url | docker | embedded (default: auto)",
        "database-url": "a server you run; scratch databases are created and dropped on it",
    }
)
def snapshot(c, postgres="auto", database_url=None):
    """Regenerate backend/db/schema_contract.json from a freshly migrated database."""
    from backend.db.fresh_schema import regenerate_contract
    from backend.db.postgres import ProviderError
    from backend.db.schema_contract import summary

    try:
        snap, server = regenerate_contract(postgres=postgres, database_url=database_url)
    except ProviderError as exc:
        raise Exit(f"snapshot: {exc}", code=2) from None
    print(f"schema contract written from {server}: {summary(snap)}")


namespace = Collection(snapshot)
