"""``--since REF`` and revision files given: the old revisions are the base, the new are judged.

Each test builds a git repository: ``main`` holds the old revisions, a branch adds new ones.
The old revisions carry problems of their own (a ``pass`` downgrade, a TRUNCATE, an enum left
behind), so a check that judged them would report them.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from backend.db.guard import since
from backend.db.guard.cli import main
from backend.db.guard.errors import GuardError

HEADER = '''"""{rid}

Revision ID: {rid}
Revises: {down}
"""

import sqlalchemy as sa
from alembic import op

revision = "{rid}"
down_revision = {down!r}
branch_labels = None
depends_on = None

'''
# Old: a downgrade that is `pass` (lint), a TRUNCATE (security), an enum left behind.
OLD_A1 = """
def upgrade() -> None:
    op.create_table(
        "bales",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("grade", sa.Enum("s6", "m1", name="old_grade"), nullable=True),
    )
    op.execute("TRUNCATE bales")


def downgrade() -> None:
    op.drop_table("bales")  # old_grade stays behind
"""
NEW_B2_BAD = """
def upgrade() -> None:
    op.add_column("bales", sa.Column("lot", sa.String(20), nullable=True))
    op.execute("TRUNCATE bales")


def downgrade() -> None:
    pass
"""
NEW_B2_GOOD = """
def upgrade() -> None:
    op.add_column("bales", sa.Column("lot", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("bales", "lot")
"""
NEW_C3_ENUM = """
def upgrade() -> None:
    state = sa.Enum("open", "shut", name="bale_state")
    state.create(op.get_bind())
    op.add_column("bales", sa.Column("state", state, nullable=True))


def downgrade() -> None:
    op.drop_column("bales", "state")  # bale_state stays behind
"""
NEW_B2_FAILS = """
def upgrade() -> None:
    op.add_column("no_such_table", sa.Column("lot", sa.String(20), nullable=True))


def downgrade() -> None:
    op.drop_column("no_such_table", "lot")
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def write(versions: Path, name: str, rid: str, down: str | None, body: str) -> Path:
    path = versions / f"{name}.py"
    path.write_text(HEADER.format(rid=rid, down=down) + body)
    return path


def repository(tmp_path: Path, old: dict[str, tuple], new: dict[str, tuple]) -> Path:
    """A repository whose ``main`` holds ``old`` and whose checked-out branch adds ``new``
    (name -> (revision, down revision, body)); returns the versions folder."""
    repo = tmp_path / "repo"
    versions = repo / "migrations" / "versions"
    versions.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "guard@example.com")
    git(repo, "config", "user.name", "guard")
    for name, (rid, down, body) in old.items():
        write(versions, name, rid, down, body)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "old revisions")
    git(repo, "checkout", "-q", "-b", "feature")
    for name, (rid, down, body) in new.items():
        write(versions, name, rid, down, body)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", "new revisions")
    return versions


def rules_of(capsys, argv: list[str]) -> tuple[int, list[tuple[str, str]]]:
    code = main([*argv, "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    results = document if isinstance(document, list) else [document]
    found = [(Path(f["path"]).name, f["rule"]) for r in results for f in r["findings"]]
    return code, found


def test_a_git_ref_makes_the_files_existing_there_old(tmp_path: Path) -> None:
    versions = repository(
        tmp_path,
        {"a1_bales": ("a1", None, OLD_A1)},
        {"b2_lot": ("b2", "a1", NEW_B2_GOOD), "c3_state": ("c3", "b2", NEW_C3_ENUM)},
    )
    split = since.resolve("main", versions)
    assert (split.old, split.new) == ({"a1"}, {"b2", "c3"})
    assert {path.name for path in split.new_files} == {"b2_lot.py", "c3_state.py"}
    assert split.is_new_file(versions / "c3_state.py")
    assert not split.is_new_file(versions / "a1_bales.py")


def test_a_revision_id_makes_it_and_its_ancestors_old(tmp_path: Path) -> None:
    versions = repository(
        tmp_path,
        {"a1_bales": ("a1", None, OLD_A1)},
        {"b2_lot": ("b2", "a1", NEW_B2_GOOD), "c3_state": ("c3", "b2", NEW_C3_ENUM)},
    )
    split = since.resolve("b2", versions)
    assert (split.old, split.new) == ({"a1", "b2"}, {"c3"})


def test_an_old_file_moved_under_a_new_revision_is_new(tmp_path: Path) -> None:
    versions = repository(
        tmp_path,
        {"a1_bales": ("a1", None, OLD_A1), "c3_state": ("c3", "a1", NEW_C3_ENUM)},
        {"b2_lot": ("b2", "a1", NEW_B2_GOOD)},
    )
    write(versions, "c3_state", "c3", "b2", NEW_C3_ENUM)  # now on top of the new b2
    split = since.resolve("main", versions)
    assert (split.old, split.new) == ({"a1"}, {"b2", "c3"})


def test_an_unknown_ref_cannot_run(tmp_path: Path, capsys) -> None:
    versions = repository(tmp_path, {"a1_bales": ("a1", None, OLD_A1)}, {})
    with pytest.raises(GuardError, match="neither a revision of the folder nor a git ref"):
        since.resolve("origin/nowhere", versions)
    assert main(["lint", "--versions", str(versions), "--since", "origin/nowhere"]) == 2
    assert "fetch-depth: 0" in capsys.readouterr().err


def test_lint_and_security_report_only_the_new_files(tmp_path: Path, capsys) -> None:
    versions = repository(
        tmp_path, {"a1_bales": ("a1", None, OLD_A1)}, {"b2_lot": ("b2", "a1", NEW_B2_BAD)}
    )
    whole = rules_of(capsys, ["security", "--versions", str(versions)])
    assert ("a1_bales.py", "ban-truncate") in whole[1]
    code, found = rules_of(capsys, ["security", "--versions", str(versions), "--since", "main"])
    assert code == 1 and ("b2_lot.py", "ban-truncate") in found
    assert all(name == "b2_lot.py" for name, _ in found), found
    code, found = rules_of(capsys, ["lint", "--versions", str(versions), "--since", "main"])
    assert code == 1 and found == [("b2_lot.py", "require-real-downgrade")]


def test_files_given_are_judged_like_since(tmp_path: Path, capsys) -> None:
    versions = repository(
        tmp_path, {"a1_bales": ("a1", None, OLD_A1)}, {"b2_lot": ("b2", "a1", NEW_B2_GOOD)}
    )
    code, found = rules_of(capsys, ["security", str(versions / "b2_lot.py")])
    assert (code, found) == (0, [])  # a1's TRUNCATE is not one of the files given
    code, found = rules_of(capsys, ["security", str(versions / "a1_bales.py")])
    assert code == 1 and ("a1_bales.py", "ban-truncate") in found


def test_graph_rules_still_read_the_whole_folder(tmp_path: Path, capsys) -> None:
    versions = repository(
        tmp_path,
        {"a1_bales": ("a1", None, OLD_A1), "b2_lot": ("b2", "a1", NEW_B2_GOOD)},
        {"c3_state": ("c3", "a1", NEW_C3_ENUM)},  # a second head beside the old b2
    )
    code, found = rules_of(capsys, ["lint", "--versions", str(versions), "--since", "main"])
    assert code == 1 and {rule for _, rule in found} == {"single-head"}


def test_downgrade_test_judges_the_new_revisions_on_the_old_heads(
    tmp_path: Path, capsys, admin_url_text: str
) -> None:
    server = ["--postgres", "url", "--database-url", admin_url_text]
    versions = repository(
        tmp_path,
        {"a1_bales": ("a1", None, OLD_A1)},
        {"b2_lot": ("b2", "a1", NEW_B2_GOOD), "c3_state": ("c3", "b2", NEW_C3_ENUM)},
    )
    argv = ["downgrade-test", "--versions", str(versions), *server]
    code, found = rules_of(capsys, argv)
    assert code == 1 and {("a1_bales.py", "enum-left-behind")} <= set(found)
    code, found = rules_of(capsys, [*argv, "--since", "main"])
    # old_grade (a1's) is not judged; bale_state (c3's) is, found by downgrading to a1 only.
    assert code == 1 and ("c3_state.py", "enum-left-behind") in found
    assert {name for name, _ in found} == {"c3_state.py"}, found
    code, found = rules_of(capsys, [*argv, "--since", "c3"])
    assert (code, found) == (0, [])


def test_dry_run_upgrades_the_old_ones_unjudged_and_an_old_failure_cannot_run(
    tmp_path: Path, capsys, admin_url_text: str
) -> None:
    server = ["--postgres", "url", "--database-url", admin_url_text]
    versions = repository(
        tmp_path, {"a1_bales": ("a1", None, OLD_A1)}, {"b2_lot": ("b2", "a1", NEW_B2_FAILS)}
    )
    argv = ["dry-run", "--versions", str(versions), *server]
    code, found = rules_of(capsys, [*argv, "--since", "main"])
    assert (code, found) == (1, [("b2_lot.py", "upgrade-fails")])
    assert main([*argv, "--since", "b2"]) == 2  # the base itself does not build
    assert "old revision b2 does not upgrade" in capsys.readouterr().err
