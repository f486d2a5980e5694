"""Connection test: bounded back-off, the driver's first line masked, unreachable servers."""

from __future__ import annotations

import socket

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import ProgrammingError

from backend.db.deploy.connection import backoff_delays, describe_error

from .conftest import GOOD, Deploy


def closed_port() -> int:
    """A port on 127.0.0.1 nobody listens on: bound, then released."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    ("attempts", "total", "expected"),
    [
        (5, 30.0, [0.5, 1.0, 2.0, 4.0]),
        (3, 1.0, [0.5, 0.5]),
        (6, 2.0, [0.5, 1.0, 0.5, 0.0, 0.0]),
        (1, 5.0, []),
    ],
)
def test_backoff_doubles_and_never_exceeds_the_total(
    attempts: int, total: float, expected: list[float]
) -> None:
    delays = backoff_delays(attempts, total)
    assert delays == expected
    assert sum(delays) <= total


def test_describe_error_keeps_the_first_driver_line_masked() -> None:
    orig = Exception('password=hunter2 role "x" is broken\nDETAIL: more')
    exc = ProgrammingError("SELECT 'hunter2'", {}, orig)
    assert "[SQL:" in str(exc) and "sqlalche.me" in str(exc)
    text = describe_error(exc, "postgresql://u:hunter2@h/db")
    assert text == 'password=*** role "x" is broken'


def test_closed_port_gives_up_after_the_attempts(deploy: Deploy) -> None:
    url = f"postgresql://deployer:Pa55-word@127.0.0.1:{closed_port()}/erp"
    code, out = deploy(
        "--database-url",
        url,
        "--versions",
        GOOD,
        "--connect-attempts",
        "3",
        "--connect-timeout",
        "2",
    )
    assert code == 2
    assert out.count("retrying in") == 2
    assert "after 3 attempt(s)" in out and "Connection refused" in out
    assert "Pa55-word" not in out


def test_wrong_password_is_masked(deploy: Deploy, fresh_db: sa.URL) -> None:
    """The embedded server trusts its unix socket (any password is accepted there), so the
    password's path through the error text is checked against a closed TCP port instead, with a
    role that really has a password."""
    engine = sa.create_engine(fresh_db, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("CREATE ROLE deploy_pw LOGIN PASSWORD 'right-one'"))
    engine.dispose()
    url = f"postgresql://deploy_pw:wrong-one-9@127.0.0.1:{closed_port()}/{fresh_db.database}"
    code, out = deploy("--database-url", url, "--versions", GOOD, "--connect-attempts", "1")
    assert code == 2
    assert "wrong-one-9" not in out and "cannot connect to 127.0.0.1" in out


def test_unknown_host_is_exit_2(deploy: Deploy) -> None:
    url = "postgresql://u:topsecret@nonexistent.invalid:5432/erp"
    code, out = deploy(
        "--database-url",
        url,
        "--versions",
        GOOD,
        "--connect-attempts",
        "2",
        "--connect-timeout",
        "1",
    )
    assert code == 2
    assert "nonexistent.invalid" in out and "topsecret" not in out
