"""Fixtures of the rebaseline tests: a tangled history in a copy of the migrations folder, the
old chain's database as a template, and one real rebaseline run shared by the module."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from backend.db.fresh_schema import upgrade_database
from backend.db.migrations_config import MIGRATIONS_DIR
from backend.db.postgres import PostgresServer
from backend.db.rebaseline.squash import Rebaselined, rebaseline

from .tangled import Tangled, write_tangled_history

NEW_REV = "0b5e1ea5e001"


@dataclass(frozen=True)
class Project:
    """A temporary copy of ``backend/db/migrations`` and a contract path beside it."""

    migrations: Path
    contract: Path

    @property
    def versions(self) -> Path:
        return self.migrations / "versions"


def copy_migrations(root: Path, with_versions: bool = True) -> Project:
    target = root / "migrations"
    shutil.copytree(MIGRATIONS_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    if not with_versions:
        shutil.rmtree(target / "versions")
    return Project(target, root / "schema_contract.json")


def tangled_project(root: Path) -> tuple[Project, Tangled]:
    project = copy_migrations(root, with_versions=False)
    return project, write_tangled_history(project.versions)


@pytest.fixture(scope="session")
def tangled(tmp_path_factory) -> tuple[Project, Tangled]:
    """A tangled history nobody rebaselines (read-only for the tests)."""
    return tangled_project(tmp_path_factory.mktemp("tangled"))


@pytest.fixture(scope="session")
def old_chain_template(pg_server: PostgresServer, tangled) -> str:
    """A database upgraded to both heads with the tangled chain, cloned by adoption tests."""
    project, _ = tangled
    url = pg_server.fresh_database("template_tangled")
    upgrade_database(url, "heads", project.versions)
    return url.database


@pytest.fixture
def old_chain_db(pg_server: PostgresServer, old_chain_template: str) -> Iterator[URL]:
    url = pg_server.fresh_database("old_chain", template=old_chain_template)
    yield url
    pg_server.drop_database(url)


@pytest.fixture(scope="session")
def rebaselined(
    pg_server: PostgresServer, tmp_path_factory
) -> tuple[Project, Tangled, Rebaselined]:
    """One real rebaseline of a fresh tangled copy (the files move, so it is its own copy)."""
    project, history = tangled_project(tmp_path_factory.mktemp("rebaselined"))
    result = rebaseline(
        pg_server, project.versions, project.migrations, project.contract, rev_id=NEW_REV
    )
    return project, history, result
