"""Database URLs that never show their password: parse, render, and mask error text."""

from __future__ import annotations

import re

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

MASK = "***"


class UrlError(ValueError):
    """A database URL that cannot be used; the message never contains the password."""


def parse_url(raw: str | URL) -> URL:
    """Parse a PostgreSQL URL and pin the psycopg2 driver; raise :class:`UrlError` otherwise."""
    if isinstance(raw, URL):
        url = raw
    else:
        text = (raw or "").strip()
        if not text:
            raise UrlError("the database URL is empty")
        try:
            url = make_url(text)
        except (ArgumentError, ValueError) as exc:
            raise UrlError(f"the database URL is malformed: {mask_text(str(exc), text)}") from None
    backend = url.get_backend_name()
    if backend not in ("postgresql", "postgres"):
        raise UrlError(f"the database URL is not PostgreSQL (scheme {backend!r})")
    if url.get_driver_name() != "psycopg2":
        url = url.set(drivername="postgresql+psycopg2")
    return url


def render_url(url: URL) -> str:
    """The URL as text with the password replaced by ``***``."""
    return url.render_as_string(hide_password=True)


def mask_text(text: str, *secrets: str | URL | None) -> str:
    """``text`` with every password we know of replaced by ``***``.

    Driver errors quote the DSN they were given (psycopg2 shows ``password=...``), so both the
    secrets passed in and any ``password=`` / ``user:pass@`` form are masked.
    """
    for secret in secrets:
        password = secret.password if isinstance(secret, URL) else _password_of(secret)
        if password:
            text = text.replace(str(password), MASK)
    text = re.sub(r"(password\s*=\s*)('[^']*'|\S+)", rf"\1{MASK}", text, flags=re.IGNORECASE)
    return re.sub(r"(://[^:/@\s]+:)([^@\s]+)@", rf"\1{MASK}@", text)


def _password_of(secret: str | None) -> str | None:
    if not secret:
        return None
    try:
        return make_url(secret).password
    except (ArgumentError, ValueError):
        return secret


def error_line(error: BaseException, *secrets: str | URL | None, with_type: bool = False) -> str:
    """The first meaningful line of ``error``, masked.

    For a driver error it is the driver's own message: SQLAlchemy appends ``[SQL: ...]`` (which
    may quote parameters) and a "Background on this error" link, neither of use in one line.
    ``with_type`` prefixes other errors with their type (``SyntaxError: ...``).
    """
    original = getattr(error, "orig", None)
    text = str(original if original is not None else error)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    line = lines[0] if lines else type(error).__name__
    if with_type and original is None and lines:
        line = f"{type(error).__name__}: {line}"
    return mask_text(line, *secrets)
