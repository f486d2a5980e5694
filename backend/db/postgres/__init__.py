"""A real, disposable PostgreSQL with pgvector on any machine: explicit URL, Docker, or embedded."""

from backend.db.postgres.provider import (
    POSTGRES_MODES,
    PostgresServer,
    ProviderError,
    postgres_server,
)

__all__ = ["POSTGRES_MODES", "PostgresServer", "ProviderError", "postgres_server"]
