"""Run each revision on tables of a known size and record, after every statement, what it locked
and what work it did on the tables that existed before the revision.

The facts come from the catalog of the migration's own backend, read by the kernel's statement
hooks inside the revision's transaction: ``pg_locks`` (relation locks held by
``pg_backend_pid()``), ``pg_class.relfilenode`` (a new one is a rewrite: of a table, or of an
index, i.e. an index build), new ``pg_index`` rows, and ``pg_stat_xact_user_tables`` (rows read by
sequential scans, rows updated or deleted). The counters are read before and after each statement
and subtracted, so a statement run outside the transaction (``CREATE INDEX CONCURRENTLY`` in an
``autocommit_block``) is simply seen holding no lock.

A walk first runs the chain on an empty database (:func:`plan`) to learn which existing tables each
revision touches; the measured walks (:func:`observe`) then fill only those tables (and the tables
their rows must reference) up to the rehearsal size before each revision, so a revision that
touches one table of 58 costs the rows of that table, not of all 58.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from alembic.script import Script, ScriptDirectory
from sqlalchemy.engine import Connection

from backend.db.migrator.failure import MigrationFailed, first_line
from backend.db.migrator.stepper import Statement, Stepper
from backend.db.rehearsal import fill

# Relations of schema public: tables (with their size counters) and indexes (with their table).
_RELATIONS = sa.text(
    """
    SELECT c.oid, c.relname, c.relkind, c.relfilenode, i.indrelid,
           coalesce(s.seq_tup_read, 0), coalesce(s.n_tup_upd, 0) + coalesce(s.n_tup_del, 0)
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_index i ON i.indexrelid = c.oid
    LEFT JOIN pg_stat_xact_user_tables s ON s.relid = c.oid
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'i')
    """
)
_LOCKS = sa.text(
    """
    SELECT c.relname, l.mode
    FROM pg_locks l
    JOIN pg_class c ON c.oid = l.relation
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted
      AND n.nspname = 'public' AND c.relkind IN ('r', 'p')
    """
)
_FOREIGN_KEYS = sa.text(
    """
    SELECT con.conname, child.relname, parent.relname,
           array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o),
           array(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o)
    FROM pg_constraint con
    JOIN pg_class child ON child.oid = con.conrelid
    JOIN pg_class parent ON parent.oid = con.confrelid
    WHERE con.contype = 'f' AND child.relnamespace = 'public'::regnamespace
    """
)
_COLUMNS = sa.text(
    """
    SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
      AND a.attnum > 0 AND NOT a.attisdropped
    """
)
VERSION_TABLE = "alembic_version"


@dataclass(frozen=True)
class StatementObservation:
    """One statement of a revision: how long it took, the locks its backend held on the tables
    that existed before the revision once it had run, and the work it did on them."""

    line: int | None
    sql: str
    duration_s: float
    locks: dict[str, frozenset[str]]  # table -> modes (pg_locks names, e.g. ShareLock)
    rewritten: frozenset[str] = frozenset()
    scanned: frozenset[str] = frozenset()  # read in full by a sequential scan (or validated)
    indexed: frozenset[str] = frozenset()  # an index built on it
    changed: frozenset[str] = frozenset()  # rows updated or deleted

    @property
    def worked_on(self) -> frozenset[str]:
        """The tables on which this statement did work that grows with their size."""
        return self.rewritten | self.scanned | self.indexed | self.changed


@dataclass
class RevisionObservation:
    """One revision's statements at one size; ``rows`` of each table that existed before it;
    ``failure`` the reason it could not be measured (the statements then say nothing)."""

    revision: str
    path: str
    rows: dict[str, int] = field(default_factory=dict)
    statements: list[StatementObservation] = field(default_factory=list)
    failure: str | None = None

    @property
    def touched(self) -> set[str]:
        """The existing tables any statement locked or worked on."""
        found: set[str] = set()
        for statement in self.statements:
            found |= set(statement.locks) | statement.worked_on
        return found


class Observer:
    """The kernel hooks that record one revision's :class:`StatementObservation` s."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.current: RevisionObservation | None = None
        self._existing: set[str] = set()
        self._before: dict[int, tuple] = {}

    def start(self, observation: RevisionObservation) -> None:
        self.current = observation
        self._existing = {name for name in self._tables() if name != VERSION_TABLE}

    def before_statement(self, statement: Statement) -> None:
        self._before = self._relations()

    def after_statement(self, statement: Statement) -> None:
        if self.current is None or statement.source is None:
            return  # Alembic's version update
        after = self._relations()
        before = self._before
        names = {oid: row[1] for oid, row in after.items()}
        rewritten, scanned, indexed, changed = set(), set(), set(), set()
        for oid, (_, name, kind, filenode, table_oid, read, touched) in after.items():
            old = before.get(oid)
            if kind == "i":
                table = names.get(table_oid)
                if table in self._existing and (old is None or old[3] != filenode):
                    indexed.add(table)
                continue
            if name not in self._existing or old is None:
                continue
            if old[3] != filenode:
                rewritten.add(name)
            if read > old[5]:
                scanned.add(name)
            if touched > old[6]:
                changed.add(name)
        locks: dict[str, set[str]] = {}
        for table, mode in self.connection.execute(_LOCKS):
            if table in self._existing:
                locks.setdefault(table, set()).add(mode)
        self.current.statements.append(
            StatementObservation(
                statement.line,
                statement.sql,
                statement.duration_s or 0.0,
                {table: frozenset(modes) for table, modes in locks.items()},
                frozenset(rewritten - {VERSION_TABLE}),
                frozenset(scanned - {VERSION_TABLE}),
                frozenset(indexed - {VERSION_TABLE}),
                frozenset(changed - {VERSION_TABLE}),
            )
        )
        self._before = after

    def _relations(self) -> dict[int, tuple]:
        return {row[0]: tuple(row) for row in self.connection.execute(_RELATIONS)}

    def _tables(self) -> list[str]:
        return [row[1] for row in self._relations().values() if row[2] in ("r", "p")]


def plan(scripts: ScriptDirectory, connection: Connection) -> tuple[list[Script], dict[str, set]]:
    """Walk the chain on the empty database ``connection``: the revisions in upgrade order and,
    per revision, the existing tables it touches. A revision that fails here is dry-run's
    finding: :class:`MigrationFailed` propagates."""
    observer = Observer(connection)
    stepper = _stepper(scripts, connection, observer)
    order = stepper.upgrade_plan("heads")
    touched: dict[str, set] = {}
    for script in order:
        observation = RevisionObservation(script.revision, script.path)
        observer.start(observation)
        _end(connection)
        stepper.apply(script, is_upgrade=True)
        touched[script.revision] = observation.touched
    return order, touched


def head_foreign_keys(connection: Connection) -> list[tuple]:
    """(name, child, parent, child columns, parent columns) of every foreign key of public."""
    rows = [tuple(row) for row in connection.execute(_FOREIGN_KEYS)]
    _end(connection)
    return rows


def observe(
    scripts: ScriptDirectory,
    connection: Connection,
    order: list[Script],
    touched: dict[str, set],
    rows: int,
    foreign_keys: list[tuple],
    progress: Callable[[str], None] = lambda message: None,
) -> list[RevisionObservation]:
    """Upgrade the empty database ``connection`` along ``order``, measuring each revision that
    touches existing tables with those tables (and their parents) at ``rows`` rows.

    Rehearsal rows are made to satisfy what the revisions add: no NULLs in nullable columns (a
    later ``SET NOT NULL``), and the rows of a table point at rows of the parent of every foreign
    key the chain adds later (``foreign_keys``: those at head). A revision the rows still make
    fail (a CHECK, a cast) is data-test's finding: it gets ``failure`` and is applied again on
    emptied tables, so the walk goes on."""
    observer = Observer(connection)
    stepper = _stepper(scripts, connection, observer)
    observations = []
    for script in order:
        wanted = touched.get(script.revision, set())
        observation = RevisionObservation(script.revision, script.path)
        if wanted:
            progress(f"revision {script.revision} at {rows:,} rows")
            observation.rows = _prepare(connection, wanted, rows, foreign_keys)
        observer.start(observation)
        try:
            stepper.apply(script, is_upgrade=True)
        except MigrationFailed as failure:
            observation.failure = first_line(failure.error)
            observation.statements.clear()
            _empty_tables(connection)
            observer.current = None
            stepper.apply(script, is_upgrade=True)  # empty: fails only where dry-run does
        observer.current = None
        if wanted:
            observations.append(observation)
    return observations


def _stepper(scripts: ScriptDirectory, connection: Connection, observer: Observer) -> Stepper:
    return Stepper(
        scripts,
        connection,
        before_statement=[observer.before_statement],
        after_statement=[observer.after_statement],
    )


def _prepare(
    connection: Connection, tables: set[str], rows: int, foreign_keys: list[tuple]
) -> dict[str, int]:
    """Top ``tables`` and the tables they reference up to ``rows`` rows, point their foreign-key
    columns of keys to come at parent rows, commit; the row count of every table touched."""
    quote = connection.dialect.identifier_preparer.quote
    present = {(name, kind) for name, kind in connection.execute(_FOREIGN_KEYS_NOW)}
    existing = {table for table, _ in connection.execute(_COLUMNS)}
    parents: dict[str, set[str]] = {}
    # Today's keys and those the chain adds later (at head), between tables that exist now.
    for _, child, parent, _, _ in [*connection.execute(_FOREIGN_KEYS), *foreign_keys]:
        if child in existing and parent in existing:
            parents.setdefault(child, set()).add(parent)
    needed, queue = set(), list(tables)
    while queue:  # a table's rows need rows in the tables it references
        table = queue.pop()
        if table not in needed:
            needed.add(table)
            queue.extend(parents.get(table, ()))
    counts = _counts(connection, needed, quote)
    # The referenced tables at full size too: a unique foreign key (one row per parent) caps a
    # table at its parent's row count.
    missing = {table: rows - count for table, count in counts.items() if count < rows}
    if missing:
        fill(connection, missing, shapes=False, nulls=False)
    columns = {(t, c) for t, c in connection.execute(_COLUMNS)}
    updated = set()
    for name, child, parent, child_columns, parent_columns in foreign_keys:
        if (name, child) in present or child not in needed or parent not in counts:
            continue
        if not all((child, c) in columns for c in child_columns) or not all(
            (parent, c) in columns for c in parent_columns
        ):
            continue
        # One parent row for all: the later ADD FOREIGN KEY validates, and its scan is measured.
        # Rows that already point there are left alone, so a table prepared for an earlier
        # revision is not rewritten (and vacuumed) again for every later one.
        pairs = list(zip(child_columns, parent_columns, strict=True))
        assign = ", ".join(f"{quote(c)} = p.{quote(pc)}" for c, pc in pairs)
        differs = " OR ".join(f"c.{quote(c)} IS DISTINCT FROM p.{quote(pc)}" for c, pc in pairs)
        sources = ", ".join(quote(pc) for pc in parent_columns)
        result = connection.execute(
            sa.text(
                f"UPDATE {quote(child)} AS c SET {assign} "
                f"FROM (SELECT {sources} FROM {quote(parent)} ORDER BY 1 LIMIT 1) AS p "
                f"WHERE {differs}"
            )
        )
        if result.rowcount:
            updated.add(child)
    _end(connection)
    if updated:
        # The UPDATE left a dead copy of every row: vacuum so scans read the table's real size.
        # (VACUUM runs outside a transaction; execution_options changes this very connection.)
        connection.execution_options(isolation_level="AUTOCOMMIT")
        try:
            for table in sorted(updated):
                connection.execute(sa.text(f"VACUUM {quote(table)}"))
        finally:
            _end(connection)
            connection.execution_options(isolation_level=connection.default_isolation_level)
    result = _counts(connection, needed, quote)
    _end(connection)
    return result


_FOREIGN_KEYS_NOW = sa.text(
    "SELECT conname, conrelid::regclass::text FROM pg_constraint "
    "WHERE contype = 'f' AND connamespace = 'public'::regnamespace"
)


def _counts(connection: Connection, tables: set[str], quote) -> dict[str, int]:
    return {
        table: connection.execute(sa.text(f"SELECT count(*) FROM {quote(table)}")).scalar_one()
        for table in sorted(tables)
    }


def _empty_tables(connection: Connection) -> None:
    quote = connection.dialect.identifier_preparer.quote
    _end(connection)
    tables = [
        name
        for name, kind in connection.execute(
            sa.text(
                "SELECT relname, relkind FROM pg_class WHERE relkind IN ('r', 'p') "
                "AND relnamespace = 'public'::regnamespace"
            )
        )
        if name != VERSION_TABLE
    ]
    if tables:
        connection.execute(sa.text(f"TRUNCATE {', '.join(quote(t) for t in tables)}"))
    _end(connection)


def _end(connection: Connection) -> None:
    if connection.in_transaction():
        connection.commit()
