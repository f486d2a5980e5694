"""Lint rules: each revision file on its own (``FILE_RULES``) and the folder as a graph
(``FOLDER_RULES``). The graph is Alembic's own ``ScriptDirectory``; its loading errors
(cycles, missing down revisions, unloadable files) become findings, never crashes.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from alembic.script.revision import CycleDetected, ResolutionError

from backend.db.guard.context import GuardContext
from backend.db.guard.findings import Finding, error, warning
from backend.db.guard.revision_source import IRREVERSIBLE, RevisionSource
from backend.db.guard.revisions import caused_by_revisions, guard_failure
from backend.db.guard.rules.upgrade_operations import describe, upgrade_operations

APP_PACKAGES = frozenset({"backend", "app"})

FileRule = Callable[[RevisionSource, str], Iterable[Finding]]


@dataclass
class RevisionGraph:
    """What Alembic made of the folder: the heads, or why it could not build the graph."""

    heads: list[str] = field(default_factory=list)
    cycle: list[str] | None = None
    missing: str | None = None
    load_error: str | None = None
    loaded: bool = False


FolderRule = Callable[[list[RevisionSource], RevisionGraph, GuardContext], Iterable[Finding]]


def read_graph(context: GuardContext, revisions: list[RevisionSource]) -> RevisionGraph:
    """Load the folder with Alembic's ScriptDirectory and keep the outcome, good or bad.

    Files that do not compile are left to ``revision-compiles``: Alembic cannot load the folder
    then, and the graph rules are skipped (with a note) rather than reported twice.
    """
    if any(r.syntax_error for r in revisions):
        context.notes.append("revision graph not checked: a revision file does not compile")
        return RevisionGraph()
    try:
        with warnings.catch_warnings():
            # Alembic only warns about duplicate ids and missing down revisions; rules report them.
            warnings.simplefilter("ignore")
            heads = context.scripts().get_heads()
    except CycleDetected as exc:
        return RevisionGraph(cycle=list(exc.revisions))
    except ResolutionError as exc:
        return RevisionGraph(missing=str(exc.argument))
    except KeyError as exc:
        return RevisionGraph(missing=str(exc.args[0]))
    except Exception as exc:  # noqa: BLE001 - judged by its cause below
        # An import error or a bad header in a revision is reported; the guard's own bug is not
        # a finding about the user's files: it stops the run (exit 2).
        if not caused_by_revisions(exc, context.versions_dir, while_loading=True):
            raise guard_failure("reading the revision graph", exc) from exc
        return RevisionGraph(load_error=f"{type(exc).__name__}: {exc}")
    return RevisionGraph(heads=sorted(set(heads)), loaded=True)


def _files_of(revisions: list[RevisionSource], revision_id: str) -> list[RevisionSource]:
    return [r for r in revisions if r.revision == revision_id]


def _is_trivial(function: ast.FunctionDef) -> bool:
    """A body that does nothing: docstring, ``pass``, ``...``, ``return``, NotImplementedError."""
    for statement in function.body:
        if isinstance(statement, ast.Pass):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # docstring or ``...``
        if isinstance(statement, ast.Return) and (
            statement.value is None
            or (isinstance(statement.value, ast.Constant) and statement.value.value is None)
        ):
            continue
        if isinstance(statement, ast.Raise) and statement.exc is not None:
            raised = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
            if isinstance(raised, ast.Name) and raised.id == "NotImplementedError":
                continue
        return False
    return True


def revision_compiles(revision: RevisionSource, path: str) -> Iterator[Finding]:
    """The file is valid Python: otherwise Alembic cannot even load the folder at deploy."""
    exc = revision.syntax_error
    if exc is not None:
        yield error(
            "revision-compiles",
            path,
            exc.lineno,
            f"the revision does not compile ({exc.msg}); Alembic fails to load every revision",
            "Fix the syntax error at this line.",
        )


def _downgrade_does(downgrade: ast.FunctionDef) -> str:
    """How a trivial downgrade() reads: it raises NotImplementedError, or it is ``pass``."""
    if any(isinstance(statement, ast.Raise) for statement in downgrade.body):
        return "raises NotImplementedError"
    return "is `pass`"


def require_real_downgrade(revision: RevisionSource, path: str) -> Iterator[Finding]:
    """upgrade() and downgrade() exist, and downgrade() undoes what upgrade() does.

    A ``pass`` downgrade makes a rollback "succeed" while leaving the new schema behind. A data
    migration (rows only) whose old values cannot come back may say so with
    ``# guard: irreversible <reason>`` in downgrade(); the reason is echoed as the warning
    ``declared-irreversible``. The marker never excuses a schema change left in place.
    """
    if revision.tree is None:
        return
    upgrade, downgrade = revision.function("upgrade"), revision.function("downgrade")
    for name, function in (("upgrade", upgrade), ("downgrade", downgrade)):
        if function is None:
            yield error(
                "require-real-downgrade",
                path,
                1,
                f"the revision defines no {name}(); Alembic fails when it reaches this revision",
                f"Define {name}() at module level.",
            )
    if upgrade is None or downgrade is None:
        return
    marker = revision.irreversible_marker()
    marker_line, reason = marker if marker else (downgrade.lineno, None)
    if reason == "":
        yield error(
            "require-real-downgrade",
            path,
            marker_line,
            "the irreversible marker in downgrade() gives no reason, so nobody can tell why "
            "a rollback may keep the changed data",
            f"Write why the old data cannot come back: `# {IRREVERSIBLE} <reason>`.",
        )
        return
    if _is_trivial(upgrade):
        return
    downgrade_is_trivial = _is_trivial(downgrade)
    if not downgrade_is_trivial and not reason:
        return
    # Only a downgrade that does nothing (or a declared one) needs to know what upgrade() does:
    # reading every op of a large baseline is the costly part of lint.
    operations = upgrade_operations(revision) if downgrade_is_trivial else []
    data_only = bool(operations) and all(op.data_only for op in operations)
    if reason and (data_only or not downgrade_is_trivial):
        yield warning(
            "declared-irreversible",
            path,
            marker_line,
            f"downgrade() is declared irreversible: {reason}; a rollback past this revision "
            "keeps the data upgrade() changed",
            "Make sure the release before it can run with the changed data.",
        )
        return
    does = describe(operations) or "does work"
    undo = _downgrade_does(downgrade)
    if data_only:
        yield error(
            "require-real-downgrade",
            path,
            downgrade.lineno,
            f"upgrade() only changes data ({does}); downgrade() {undo}, so a rollback reports "
            "success and leaves the changed rows as they are, unannounced",
            f"Declare it irreversible with `# {IRREVERSIBLE} <reason>` in downgrade(), or "
            "write the statements that put the old values back.",
        )
    else:
        declared = " although it is declared irreversible" if reason else ""
        yield error(
            "require-real-downgrade",
            path,
            downgrade.lineno,
            f"upgrade() {does}; downgrade() {undo}{declared}, so a rollback reports success and "
            "leaves the new schema behind",
            "Write the downgrade that reverses upgrade() step by step, in reverse order; "
            f"`# {IRREVERSIBLE} <reason>` covers data that cannot come back, not schema left "
            "in place.",
        )


def no_app_import(revision: RevisionSource, path: str) -> Iterator[Finding]:
    """Migrations are self-contained: application code changes, history must not."""
    if revision.tree is None:
        return
    for node in ast.walk(revision.tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        for module in modules:
            if module.split(".")[0] in APP_PACKAGES:
                yield error(
                    "no-app-import",
                    path,
                    node.lineno,
                    f"the revision imports application code ({module}); when that code changes, "
                    "this old revision changes meaning or stops importing",
                    "Copy the few definitions the migration needs (table, enum values) into it.",
                )


def filename_matches_revision(revision: RevisionSource, path: str) -> Iterator[Finding]:
    """The file name starts with the revision id, so the id is findable from a listing."""
    if revision.tree is None:
        return
    if revision.revision is None:
        yield error(
            "filename-matches-revision",
            path,
            1,
            "the file declares no literal `revision` id; Alembic refuses to load the folder",
            'Declare `revision = "<id>"` at module level.',
        )
    elif not revision.path.name.startswith(revision.revision):
        yield error(
            "filename-matches-revision",
            path,
            1,
            f"the file name does not start with its revision id {revision.revision!r}, so the "
            "file for a revision in a log or alembic_version cannot be found",
            f"Rename the file to {revision.revision}_<slug>.py.",
        )


def unique_revision_id(
    revisions: list[RevisionSource], graph: RevisionGraph, context: GuardContext
) -> Iterator[Finding]:
    """No two files share a revision id: Alembic silently keeps one and ignores the other."""
    by_id: dict[str, list[RevisionSource]] = {}
    for revision in revisions:
        if revision.revision is not None:
            by_id.setdefault(revision.revision, []).append(revision)
    for revision_id, files in sorted(by_id.items()):
        if len(files) < 2:
            continue
        names = ", ".join(f.path.name for f in files)
        for duplicate in files[1:]:
            yield error(
                "unique-revision-id",
                context.display_path(duplicate.path),
                1,
                f"revision id {revision_id!r} is declared by {names}; Alembic runs only one "
                "of them and silently skips the other",
                "Give the newer file a fresh id (alembic revision generates one).",
            )


def single_head(
    revisions: list[RevisionSource], graph: RevisionGraph, context: GuardContext
) -> Iterator[Finding]:
    """Exactly one head: with two, `alembic upgrade head` refuses to run at deploy."""
    if not graph.loaded or len(graph.heads) <= 1:
        return
    for head in graph.heads:
        for revision in _files_of(revisions, head)[:1]:
            yield error(
                "single-head",
                context.display_path(revision.path),
                1,
                f"the folder has {len(graph.heads)} heads ({', '.join(graph.heads)}); "
                "`alembic upgrade head` fails at deploy",
                "Join them with `alembic merge heads`, or rebase one branch onto the other.",
            )


def missing_down_revision(
    revisions: list[RevisionSource], graph: RevisionGraph, context: GuardContext
) -> Iterator[Finding]:
    """Every down_revision names a revision in the folder; otherwise the chain is cut."""
    if graph.missing is None:
        return
    known = {r.revision for r in revisions}
    reported = False
    for revision in revisions:
        for down in revision.down_revisions:
            if down not in known:
                reported = True
                yield error(
                    "missing-down-revision",
                    context.display_path(revision.path),
                    1,
                    f"down_revision {down!r} is not in the folder; Alembic cannot build the chain",
                    "Point down_revision at an existing revision (the previous head).",
                )
    if not reported:
        yield error(
            "missing-down-revision",
            context.display_path(context.versions_dir),
            None,
            f"Alembic cannot find revision {graph.missing!r} referenced in the folder",
            "Point every down_revision and depends_on at an existing revision.",
        )


def no_cycle(
    revisions: list[RevisionSource], graph: RevisionGraph, context: GuardContext
) -> Iterator[Finding]:
    """The down_revision links form no loop; a loop leaves no base to start from."""
    if graph.cycle is None:
        return
    involved = [r for r in revisions if r.revision in graph.cycle] or revisions[:1]
    for revision in involved:
        yield error(
            "no-cycle",
            context.display_path(revision.path),
            1,
            f"revisions {', '.join(graph.cycle)} form a cycle; Alembic cannot order them",
            "Point the down_revision of the cycle's first revision at the revision before it.",
        )


def revision_loads(
    revisions: list[RevisionSource], graph: RevisionGraph, context: GuardContext
) -> Iterator[Finding]:
    """Alembic can import every revision (no missing module, no error at import time)."""
    if graph.load_error is not None:
        yield error(
            "revision-loads",
            context.display_path(context.versions_dir),
            None,
            f"Alembic cannot load the folder ({graph.load_error}); every deploy would fail",
            "Fix the revision named in the error so it imports without side effects.",
        )


FILE_RULES: list[FileRule] = [
    revision_compiles,
    require_real_downgrade,
    no_app_import,
    filename_matches_revision,
]

FOLDER_RULES: list[FolderRule] = [
    unique_revision_id,
    single_head,
    missing_down_revision,
    no_cycle,
    revision_loads,
]
