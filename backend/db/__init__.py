"""Database layer: the one declarative Base, Alembic migrations, schema contract, guard and deploy."""
