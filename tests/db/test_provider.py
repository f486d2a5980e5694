"""The Postgres provider: embedded by default here, an explicit URL wins, Docker via docker-py."""

from __future__ import annotations

import socket

import pytest
import sqlalchemy as sa

from backend.db.postgres import ProviderError, docker_server, postgres_server
from backend.db.postgres.provider import start_server
from backend.db.session import scratch_connection


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_fresh_databases_come_from_one_server_and_have_pgvector(pg_server):
    first, second = pg_server.fresh_database("a"), pg_server.fresh_database("b")
    try:
        assert first.database != second.database
        assert (first.host, first.query) == (second.host, second.query)
        with scratch_connection(first) as conn:
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS vector"))
            assert conn.execute(sa.text("SELECT '[1,2]'::vector(2)")).scalar() is not None
    finally:
        pg_server.drop_database(first)
        pg_server.drop_database(second)


def test_describe_names_the_kind_and_version(pg_server):
    line = pg_server.describe()
    assert pg_server.kind in line and pg_server.version.split()[0] in line


def test_an_explicit_url_wins_and_its_scratch_databases_are_dropped(pg_server):
    url = pg_server.admin_url.render_as_string(hide_password=False)
    with postgres_server("auto", url) as server:
        assert server.kind == "url"
        scratch = server.fresh_database("explicit")
    with pg_server._admin.connect() as conn:
        names = conn.execute(sa.text("SELECT datname FROM pg_database")).scalars().all()
    assert scratch.database not in names


def test_an_unreachable_url_is_a_one_line_error_without_password():
    url = f"postgresql://app:topsecret@127.0.0.1:{closed_port()}/erp"
    with pytest.raises(ProviderError) as caught:
        start_server("url", url)
    message = str(caught.value)
    assert "topsecret" not in message and "\n" not in message
    assert "cannot connect" in message


def test_url_mode_without_a_url_says_how_to_give_one(monkeypatch):
    monkeypatch.delenv("GUARD_DATABASE_URL", raising=False)
    with pytest.raises(ProviderError, match="--database-url"):
        start_server("url")


def test_unknown_mode_is_refused():
    with pytest.raises(ProviderError, match="unknown --postgres"):
        start_server("podman")


def test_cleanup_runs_when_the_body_raises(monkeypatch):
    stopped = []
    with pytest.raises(KeyboardInterrupt):
        with postgres_server("embedded") as server:
            original = server.stop
            server.stop = lambda: (stopped.append(True), original())
            raise KeyboardInterrupt
    assert stopped == [True]


class StandInContainer:
    def __init__(self, host_port: int):
        self.ports = {"5432/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(host_port)}]}
        self.removed = False

    def reload(self):
        pass

    def remove(self, force=False, v=False):
        self.removed = force and v


class StandInDockerClient:
    """A stand-in for docker-py's client: records the calls docker_server makes."""

    def __init__(self, host_port: int, answers: bool = True):
        self.answers = answers
        self.container = StandInContainer(host_port)
        self.run_kwargs: dict = {}
        outer = self

        class Containers:
            def run(self, image, **kwargs):
                outer.run_kwargs = {"image": image, **kwargs}
                return outer.container

        self.containers = Containers()

    def ping(self):
        if not self.answers:
            raise ConnectionError("no engine")
        return True


def test_docker_path_against_a_stand_in_client_runs_pgvector_and_removes_the_container():
    """Docker is absent on these machines: this drives docker_server through docker-py's API
    with a stand-in client whose 'container' publishes a closed port, so the readiness wait
    times out and the container must still be removed."""
    client = StandInDockerClient(closed_port())
    assert docker_server.unavailable_reason(lambda: client) is None
    with pytest.raises(TimeoutError):
        docker_server.start(lambda: client, ready_timeout_s=0.5)
    assert client.run_kwargs["image"] == "pgvector/pgvector:pg15"
    assert client.run_kwargs["ports"] == {"5432/tcp": ("127.0.0.1", None)}
    assert client.run_kwargs["detach"] is True
    assert client.container.removed


def test_docker_without_an_engine_gives_the_reason():
    reason = docker_server.unavailable_reason(lambda: StandInDockerClient(1, answers=False))
    assert reason is not None and "no Docker engine" in reason


def test_docker_forced_without_engine_is_a_provider_error(monkeypatch):
    monkeypatch.setattr(docker_server, "unavailable_reason", lambda: "no Docker engine answered")
    with pytest.raises(ProviderError, match="Docker was asked for"):
        start_server("docker")


def test_embedded_clusters_go_to_ram_only_when_it_has_room(monkeypatch, tmp_path):
    from backend.db.postgres import embedded_server

    monkeypatch.setattr(embedded_server, "RAM_DIRS", (str(tmp_path),))
    monkeypatch.setattr(embedded_server, "MIN_RAM_DIR_FREE", 1)
    assert embedded_server.datadir_parent() == str(tmp_path)
    monkeypatch.setattr(embedded_server, "MIN_RAM_DIR_FREE", 1 << 62)  # a tiny /dev/shm
    assert embedded_server.datadir_parent() != str(tmp_path)
