"""``deploy --adopt-baseline`` after a rebaseline: a database migrated with the old chain is
stamped; one behind, one with an extra column, or one at an unknown revision is refused with
what differs, and left untouched."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from deploy.conftest import audit_rows, clean_env, rows, run_cli  # noqa: F401 - clean_env: autouse
from sqlalchemy.engine import URL

from backend.db.deploy import audit
from backend.db.deploy.adopt import AdoptionRefused, adopt
from backend.db.fresh_schema import upgrade_database
from backend.db.migrations_config import script_directory

from .conftest import NEW_REV


def deploy(url: URL, project, *extra: str) -> tuple[int, str]:
    return run_cli(
        "--database-url",
        url.render_as_string(hide_password=False),
        "--versions",
        project.versions,
        "--contract",
        project.contract,
        "--connect-attempts",
        "1",
        *extra,
    )


def versions(url: URL) -> list[str]:
    return sorted(row[0] for row in rows(url, "SELECT version_num FROM alembic_version"))


def test_a_database_at_the_old_heads_is_adopted_with_an_audit_row(rebaselined, old_chain_db):
    project, history, _ = rebaselined
    assert versions(old_chain_db) == list(history.heads)
    code, output = deploy(old_chain_db, project, "--adopt-baseline")
    assert code == 0, output
    assert versions(old_chain_db) == [NEW_REV]
    assert audit_rows(old_chain_db) == [(NEW_REV, "stamped")]
    assert "stamped" in output and "verified" in output
    # Adopting again is a no-op, and a plain deploy now finds nothing to do.
    code, output = deploy(old_chain_db, project, "--adopt-baseline")
    assert code == 0 and "already at the baseline" in output
    code, output = deploy(old_chain_db, project)
    assert code == 0, output


def test_dry_run_checks_the_adoption_and_stamps_nothing(rebaselined, old_chain_db):
    project, history, _ = rebaselined
    code, output = deploy(old_chain_db, project, "--adopt-baseline", "--dry-run")
    assert code == 0, output
    assert "would stamp" in output and "nothing applied" in output
    assert versions(old_chain_db) == list(history.heads)


def test_without_the_flag_the_old_heads_are_unknown_to_the_new_code(rebaselined, old_chain_db):
    project, _, _ = rebaselined
    code, _ = deploy(old_chain_db, project)
    assert code != 0
    assert versions(old_chain_db) != [NEW_REV]


def test_a_database_one_revision_behind_is_told_to_catch_up_first(rebaselined, tangled, fresh_db):
    project, history, _ = rebaselined
    old_project, _ = tangled  # the rebaselined copy's old files were archived
    upgrade_database(fresh_db, history.heads[0], old_project.versions)  # one head not applied
    code, output = deploy(fresh_db, project, "--adopt-baseline")
    assert code == 1
    assert "upgrade it with the code of the release before the rebaseline" in output
    assert f"old head {history.heads[1]} is not applied" in output
    assert "never just stamp" in output
    assert versions(fresh_db) == [history.heads[0]]


def test_a_database_with_an_extra_column_is_refused_naming_it(rebaselined, old_chain_db):
    project, history, _ = rebaselined
    engine = sa.create_engine(old_chain_db, poolclass=sa.pool.NullPool)
    with engine.begin() as connection:
        connection.execute(sa.text("ALTER TABLE trades ADD COLUMN hotfix_flag boolean"))
    engine.dispose()
    code, output = deploy(old_chain_db, project, "--adopt-baseline")
    assert code == 1
    assert "trades.hotfix_flag" in output
    assert versions(old_chain_db) == list(history.heads)


def test_an_unknown_revision_is_refused(rebaselined, old_chain_db):
    project, _, _ = rebaselined
    engine = sa.create_engine(old_chain_db, poolclass=sa.pool.NullPool)
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM alembic_version"))
        connection.execute(sa.text("INSERT INTO alembic_version VALUES ('feedfacecafe')"))
    engine.dispose()
    with engine.connect() as connection, pytest.raises(AdoptionRefused) as refused:
        adopt(
            connection,
            script_directory(project.versions),
            project.contract,
            audit.Deployer(None, None, None),
        )
    engine.dispose()
    assert refused.value.exit_code == 1 and "feedfacecafe" in str(refused.value)
    assert "neither the baseline" in str(refused.value)
