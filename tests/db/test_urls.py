"""URLs are parsed strictly and never show their password."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from backend.db.urls import UrlError, mask_text, parse_url, render_url


def test_parse_pins_psycopg2_and_keeps_the_socket_host():
    url = parse_url("postgresql://app:s3cret@/erp?host=/cloudsql/p:r:i")
    assert url.drivername == "postgresql+psycopg2"
    assert url.query["host"] == "/cloudsql/p:r:i"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("not a url", "malformed"),
        ("mysql://u:p@h/db", "not PostgreSQL"),
    ],
)
def test_bad_urls_are_refused_with_the_reason(raw, reason):
    with pytest.raises(UrlError, match=reason):
        parse_url(raw)


def test_render_hides_the_password():
    assert "s3cret" not in render_url(make_url("postgresql://app:s3cret@db:5432/erp"))


def test_mask_text_hides_passwords_in_driver_errors():
    url = make_url("postgresql://app:hunter2@db/erp")
    text = (
        'connection to "db" failed: password=hunter2 user=app; dsn postgresql://app:hunter2@db/erp'
    )
    masked = mask_text(text, url)
    assert "hunter2" not in masked
    assert masked.count("***") >= 2
