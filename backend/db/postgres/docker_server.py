"""``pgvector/pgvector:pg15`` in Docker via docker-py, on a random free host port.

Used where a Docker engine answers. The container is removed when the run ends.
"""

from __future__ import annotations

import secrets
import time

import sqlalchemy as sa
from sqlalchemy.engine import URL

from backend.db.postgres.server import PostgresServer

IMAGE = "pgvector/pgvector:pg15"
READY_TIMEOUT_S = 60.0


def _client():
    import docker

    return docker.from_env(timeout=5)


def unavailable_reason(client_factory=_client) -> str | None:
    """Why Docker cannot be used here, or ``None`` when an engine answers."""
    try:
        client = client_factory()
        client.ping()
    except Exception as exc:  # noqa: BLE001 - docker-py raises many types when there is no engine
        return f"no Docker engine answered ({type(exc).__name__})"
    return None


def start(client_factory=_client, ready_timeout_s: float = READY_TIMEOUT_S) -> PostgresServer:
    """Run the pgvector image, wait until it accepts connections, and return the server."""
    client = client_factory()
    password = secrets.token_hex(16)
    container = client.containers.run(
        IMAGE,
        detach=True,
        auto_remove=False,
        environment={"POSTGRES_PASSWORD": password, "POSTGRES_USER": "postgres"},
        ports={"5432/tcp": ("127.0.0.1", None)},
        labels={"cotton-erp": "scratch-postgres"},
    )

    def remove() -> None:
        container.remove(force=True, v=True)

    try:
        container.reload()
        host_port = int(container.ports["5432/tcp"][0]["HostPort"])
        url = URL.create(
            "postgresql+psycopg2",
            username="postgres",
            password=password,
            host="127.0.0.1",
            port=host_port,
            database="postgres",
        )
        _wait_until_ready(url, ready_timeout_s)
        return PostgresServer(kind="docker", admin_url=url, stop=remove, owns_server=True)
    except BaseException:
        remove()
        raise


def _wait_until_ready(url: URL, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args={"connect_timeout": 2})
    try:
        while True:
            try:
                with engine.connect() as conn:
                    conn.execute(sa.text("SELECT 1"))
                return
            except sa.exc.OperationalError:
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"{IMAGE} did not accept connections within {timeout_s:.0f} s"
                    ) from None
                time.sleep(0.25)
    finally:
        engine.dispose()
