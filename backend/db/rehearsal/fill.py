"""Fill every table of ``public`` with rows the schema accepts, made on the server.

One ``INSERT ... SELECT ... FROM generate_series`` per table, parents before children. A foreign
key that closes a cycle (or points at its own table) is inserted NULL and set by one UPDATE once
every table has rows. Each statement runs in a savepoint: when PostgreSQL refuses it, the table
is filled one class of rows at a time, then without NULLs, and what failed becomes a
``FillWarning`` with PostgreSQL's message; nothing raises out of ``fill`` for a valid schema.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from backend.db.rehearsal.catalog import ForeignKey, Table, read_schema
from backend.db.rehearsal.plan import FK_SPREAD, INSERTION_ORDER, TablePlan, plan_table
from backend.db.rehearsal.report import FillReport, FillWarning, TableReport, survey

DEFAULT_ROWS = 200
KEEP_NULL_EVERY = 5  # a deferred foreign key stays NULL in one row of five


def insertion_order(tables: dict[str, Table]) -> tuple[list[str], set[str]]:
    """Tables parents first, and the foreign keys (by name) to set after all inserts."""
    deferred: set[str] = set()
    waiting: dict[str, set[str]] = {}
    for table in tables.values():
        waiting[table.name] = set()
        for fk in table.foreign_keys:
            if fk.parent == table.name or fk.parent not in tables:
                if fk.parent == table.name and _nullable(table, fk):
                    deferred.add(fk.name)
                continue
            waiting[table.name].add(fk.parent)
    order: list[str] = []
    while waiting:
        ready = sorted(name for name, parents in waiting.items() if not parents)
        if not ready:
            ready = [_break_cycle(tables, waiting, deferred)]
        for name in ready:
            order.append(name)
            del waiting[name]
            for parents in waiting.values():
                parents.discard(name)
    return order, deferred


def _nullable(table: Table, fk: ForeignKey) -> bool:
    return all(not table.columns[n].not_null for n in fk.columns)


def _break_cycle(tables: dict[str, Table], waiting: dict[str, set[str]], deferred: set[str]) -> str:
    """Defer the nullable foreign keys of one table in the cycle, so it can go first."""
    for name in sorted(waiting):
        table = tables[name]
        blocking = [fk for fk in table.foreign_keys if fk.parent in waiting[name]]
        if all(_nullable(table, fk) for fk in blocking):
            deferred.update(fk.name for fk in blocking)
            waiting[name].clear()
            return name
    name = sorted(waiting)[0]  # no way round: its NOT NULL keys will find no parent (warning)
    waiting[name].clear()
    return name


def _quote(connection: Connection):
    return connection.dialect.identifier_preparer.quote


def _count(connection: Connection, quote, table: str, columns: tuple[str, ...] = ()) -> int:
    where = " AND ".join(f"{quote(c)} IS NOT NULL" for c in columns) or "true"
    return connection.execute(
        sa.text(f"SELECT count(*) FROM {quote(table)} WHERE {where}")
    ).scalar_one()


def _attempt(connection: Connection, sql: str, params: dict) -> tuple[int, Exception | None]:
    savepoint = connection.begin_nested()
    try:
        inserted = connection.execute(sa.text(sql), params).rowcount
    except sa.exc.DBAPIError as error:
        savepoint.rollback()
        return 0, error
    savepoint.commit()
    return inserted, None


def _warning(table: str, error: Exception) -> FillWarning:
    original = getattr(error, "orig", None)
    diag = getattr(original, "diag", None)
    constraint = getattr(diag, "constraint_name", None)
    message = (getattr(diag, "message_primary", None) or str(original or error)).strip()
    return FillWarning(table, constraint, message)


def _insert(connection: Connection, plan: TablePlan, rows: int) -> tuple[int, list[FillWarning]]:
    """Rows inserted and warnings: the whole plan, else one class at a time."""
    statement = plan.select_sql
    if statement.endswith("DEFAULT VALUES"):
        total = 0
        for _ in range(rows):
            inserted, error = _attempt(connection, statement, {})
            if error:
                return total, [_warning(plan.table, error)]
            total += inserted
        return total, []
    inserted, error = _attempt(connection, statement + " ON CONFLICT DO NOTHING", plan.params)
    if error is None:
        return inserted, []
    warnings = [_warning(plan.table, error)]
    total = 0
    for j in range(plan.classes):
        sql = f"{statement} WHERE s.g % {plan.classes} = {j} ON CONFLICT DO NOTHING"
        inserted, error = _attempt(connection, sql, plan.params)
        total += inserted
        if error is not None and _warning(plan.table, error) not in warnings:
            warnings.append(_warning(plan.table, error))
    return total, warnings


def _set_deferred(
    connection: Connection, quote, table: Table, fk: ForeignKey
) -> FillWarning | None:
    """Point the rows whose key is NULL (but one in five) at rows of the parent."""
    count = _count(connection, quote, fk.parent, fk.parent_columns)
    if count == 0:
        return None
    targets = ", ".join(quote(c) for c in fk.columns)
    keys = ", ".join(f"p.k{i}" for i in range(len(fk.columns)))
    parent_keys = ", ".join(f"{quote(c)} AS k{i}" for i, c in enumerate(fk.parent_columns))
    all_null = " AND ".join(f"{quote(c)} IS NULL" for c in fk.columns)
    present = " AND ".join(f"{quote(c)} IS NOT NULL" for c in fk.parent_columns)
    assignment = f"({targets}) = ROW({keys})" if len(fk.columns) > 1 else f"{targets} = {keys}"
    sql = (
        f"UPDATE {quote(table.name)} AS t SET {assignment} "
        f"FROM (SELECT ctid AS tid, row_number() OVER (ORDER BY {INSERTION_ORDER}) AS rn "
        f"FROM {quote(table.name)} WHERE {all_null}) AS n "
        f"JOIN (SELECT row_number() OVER (ORDER BY {INSERTION_ORDER}) - 1 AS rn, {parent_keys} "
        f"FROM {quote(fk.parent)} WHERE {present}) AS p ON p.rn = (n.rn + 1) % :count "
        f"WHERE t.ctid = n.tid AND n.rn % {KEEP_NULL_EVERY} <> 0"
    )
    # fewer parents than rows to point at, so the key repeats like any non-unique column
    spread = max(1, min(count, FK_SPREAD, count // 2))
    _, error = _attempt(connection, sql, {"count": spread})
    return _warning(table.name, error) if error else None


def fill(
    connection: Connection,
    rows_per_table: int | Mapping[str, int] = DEFAULT_ROWS,
    *,
    shapes: bool = True,
    nulls: bool = True,
    only: Collection[str] | None = None,
) -> FillReport:
    """Add ``rows_per_table`` rows to every table of ``public`` inside the caller's transaction.

    Calling it again appends: the row numbers continue after the rows already there, so unique
    keys stay unique. A mapping gives each table its own count (a table it leaves out gets no
    rows), e.g. to top tables up to a size. ``nulls=False`` leaves no nullable column NULL (rows
    a later ``SET NOT NULL`` accepts). ``shapes=False`` skips reading the hard shapes back (for
    timing). ``only`` names the tables to fill (the others keep their rows and serve as
    parents): a migration rehearsal tops up the tables a revision created or changed, not all of
    them. A table whose foreign key is unique needs parents no row uses yet: name its parents
    too."""
    started = time.perf_counter()
    quote = _quote(connection)
    tables = read_schema(connection)
    order, deferred = insertion_order(tables)
    if only is not None:
        order = [name for name in order if name in only]
    report = FillReport()
    for name in order:
        table = tables[name]
        wanted = rows_per_table if isinstance(rows_per_table, int) else rows_per_table.get(name, 0)
        if wanted <= 0:
            continue
        counts = {
            fk.parent: _count(connection, quote, fk.parent, fk.parent_columns)
            for fk in table.foreign_keys
            if fk.name not in deferred
        }
        base = _count(connection, quote, name)
        plan = plan_table(table, counts, base, wanted, deferred, quote, with_nulls=nulls)
        inserted, warnings = _insert(connection, plan, wanted)
        if inserted < wanted and not warnings:
            plain = plan_table(table, counts, base, wanted, deferred, quote, with_nulls=False)
            more, warnings = _insert(connection, plain, wanted - inserted)
            inserted += more
        if inserted < wanted and not warnings:
            key = plan.capacity_key
            message = f"only {inserted} of {wanted} rows are unique under the key"
            warnings = [FillWarning(name, key, message)]
        report.warnings.extend(warnings)
        report.tables[name] = TableReport(
            name, wanted, inserted, unplanned_checks=tuple(c for c, _ in plan.unplanned)
        )
    for name in order:
        table = tables[name]
        for fk in table.foreign_keys:
            if fk.name in deferred:
                warning = _set_deferred(connection, quote, table, fk)
                if warning:
                    report.warnings.append(warning)
    report.seconds = time.perf_counter() - started
    if shapes:
        for name in report.tables:
            found, labels = survey(connection, tables[name], quote)
            report.tables[name].shapes, report.tables[name].labels = found, labels
    return report
