"""The generator on the project's schema at head: every table full, no warning, hard shapes in
the data (read back from the catalog and the tables, not from the generator's own report)."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from backend.db.rehearsal import DEFAULT_ROWS, fill
from backend.db.rehearsal.catalog import Column, read_schema
from backend.db.rehearsal.report import _probes

BOOKKEEPING = ("alembic_version", "migration_audit")

COLUMNS = sa.text(
    """
    SELECT c.relname AS table_name, a.attname AS column_name, a.attnotnull AS not_null,
           t.typname, t.typtype, format_type(a.atttypid, a.atttypmod) AS sql_type,
           CASE WHEN t.typname IN ('varchar', 'bpchar') AND a.atttypmod > 0
                THEN a.atttypmod - 4 END AS max_length,
           a.attidentity <> '' OR a.attgenerated <> ''
               OR coalesce(pg_get_expr(d.adbin, d.adrelid), '') ~ '^(nextval|gen_random_uuid)\\('
               AS fills_itself,
           EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'c'
                   AND a.attnum = ANY(k.conkey)) AS checked,
           EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique
                   AND (a.attnum = ANY(i.indkey) OR i.indexprs IS NOT NULL)) AS unique_covered,
           EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'f'
                   AND a.attnum = ANY(k.conkey)) AS foreign
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
      AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> ALL(:skip)
    ORDER BY 1, a.attnum
    """
)


def columns(connection: Connection) -> list:
    return connection.execute(COLUMNS, {"skip": list(BOOKKEEPING)}).all()


def table_names(connection: Connection) -> list[str]:
    return sorted({row.table_name for row in columns(connection)})


def scalar(connection: Connection, sql: str) -> object:
    return connection.execute(sa.text(sql)).scalar()


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@pytest.fixture
def head(migrated_db):
    engine = sa.create_engine(migrated_db, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def test_every_table_of_the_project_gets_the_default_rows_and_no_warning(head):
    report = fill(head)

    assert report.warnings == []
    names = table_names(head)
    assert len(names) == 58
    counts = {name: scalar(head, f"SELECT count(*) FROM {q(name)}") for name in names}
    assert counts == {name: DEFAULT_ROWS for name in names}
    assert {t.inserted for t in report.tables.values()} == {DEFAULT_ROWS}
    print(
        f"\nfill: {report.rows} rows in {report.seconds:.2f} s ({report.rows_per_second:.0f} rows/s)"
    )


def test_the_project_data_holds_the_hard_shapes(head):
    report = fill(head)
    assert report.warnings == []
    cols = [c for c in columns(head) if not c.fills_itself]
    missing: list[str] = []

    def expect(column, shape: str, sql: str) -> None:
        if not scalar(head, f"SELECT coalesce(bool_or({sql}), false) FROM {q(column.table_name)}"):
            missing.append(f"{column.table_name}.{column.column_name}: {shape}")

    for c in cols:
        v = q(c.column_name)
        if not c.not_null:
            expect(c, "null", f"{v} IS NULL")
        if not c.unique_covered:
            repeated = (
                f"SELECT count({v}) > count(DISTINCT CAST({v} AS text)) FROM {q(c.table_name)}"
            )
            if not scalar(head, repeated):
                missing.append(f"{c.table_name}.{c.column_name}: repeated")
        if c.checked or c.foreign:
            continue  # the CHECK decides which of the shapes below it allows
        if c.max_length:
            expect(c, "max length", f"char_length({v}) = {c.max_length}")
        if c.typname in ("numeric", "int4", "int8", "int2"):
            expect(c, "zero", f"{v} = 0")
            expect(c, "negative", f"{v} < 0")
        if c.typname in ("timestamptz", "date") and not c.unique_covered:
            expect(c, "past", f"{v} < now()")
            expect(c, "future", f"{v} > now()")
        if c.typname == "jsonb" and not c.unique_covered:
            expect(c, "empty json", f"{v} IN ('{{}}', '[]')")
            expect(c, "nested json", f"jsonb_typeof({v} -> 'a') = 'object'")
        if c.typname == "vector":
            expect(c, "dimension", f"vector_dims({v}) = 1536")
        if c.typname in ("text", "varchar") and not c.unique_covered:
            expect(c, "number-like text", f"{v} = left('36OO02', char_length({v})) AND {v} <> ''")
            expect(c, "plain text", f"{v} = left('plain text', char_length({v})) AND {v} <> ''")
    assert missing == []

    enums = {}
    for c in cols:
        if c.typtype == "e":
            used = head.execute(
                sa.text(
                    f"SELECT array_agg(DISTINCT CAST({q(c.column_name)} AS text)) FROM {q(c.table_name)}"
                )
            ).scalar()
            enums.setdefault(c.typname, set()).update(v for v in used if v is not None)
    labels = dict(
        head.execute(
            sa.text(
                "SELECT t.typname, array_agg(e.enumlabel) FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid GROUP BY 1"
            )
        ).all()
    )
    assert len(enums) == 9
    assert {name: set(used) for name, used in enums.items()} == {
        name: set(labels[name]) for name in enums
    }

    shapes = report.tables["business_partners"].shapes
    assert {"null", "max_length"} <= shapes["trade_name"]
    assert "null" in shapes["gstin"]


def test_a_second_fill_appends_rows_that_keep_every_key_unique(head):
    first = fill(head, shapes=False)
    second = fill(head, shapes=False)

    assert first.warnings == [] and second.warnings == []
    counts = {name: scalar(head, f"SELECT count(*) FROM {q(name)}") for name in table_names(head)}
    assert set(counts.values()) == {2 * DEFAULT_ROWS}


def floor_seconds(connection: Connection, names: list[str], rows: int) -> float:
    """The least a fill can cost: per table one INSERT ... SELECT FROM generate_series of one
    constant row (the first generated one) into a copy without keys, indexes or checks."""
    for name in names:
        connection.execute(
            sa.text(
                f"CREATE TEMP TABLE {q('floor_' + name)} AS SELECT * FROM {q(name)} WITH NO DATA"
            )
        )
    started = time.perf_counter()
    for name in names:
        connection.execute(
            sa.text(
                f"INSERT INTO {q('floor_' + name)} SELECT r.* FROM generate_series(1, :rows), "
                f"(SELECT * FROM {q(name)} LIMIT 1) AS r"
            ),
            {"rows": rows},
        )
    return time.perf_counter() - started


def test_fill_time_against_the_floor(head):
    """Prints figures (run with -s); timings are never asserted (the machine is shared)."""
    report = fill(head, shapes=False)
    names = table_names(head)
    floor = floor_seconds(head, names, DEFAULT_ROWS)
    rows = len(names) * DEFAULT_ROWS
    print(
        f"\nfill: {report.rows} rows in {report.seconds:.3f} s = {report.rows_per_second:.0f} rows/s; "
        f"floor: {rows} rows in {floor:.3f} s = {rows / floor:.0f} rows/s; "
        f"fill/floor = {report.seconds / floor:.1f}x"
    )
    assert report.rows == rows


def test_only_the_named_tables_are_filled_and_the_others_keep_their_rows(head):
    fill(head, 20, shapes=False)
    # trades' foreign key to negotiations is unique: appended trades need new negotiations
    wanted = {"trades"} | {fk.parent for fk in read_schema(head)["trades"].foreign_keys}

    report = fill(head, 20, shapes=False, only=wanted)

    assert set(report.tables) == wanted
    assert report.warnings == []
    counts = {name: scalar(head, f"SELECT count(*) FROM {q(name)}") for name in table_names(head)}
    assert {counts[name] for name in wanted} == {40}
    assert {n for name, n in counts.items() if name not in wanted} == {20}


def test_the_text_shape_probes_that_need_pg_input_is_valid_wait_for_postgresql_16() -> None:
    code = Column(
        "code", "character varying(12)", False, None, False, False, "S", "varchar", 12,
        None, None, False, None, None, None,
    )  # fmt: skip
    on_16 = _probes(code, '"code"', 16)
    on_15 = _probes(code, '"code"', 15)
    assert {"not_number_or_date", "number_like_text"} <= set(on_16)
    assert not {"not_number_or_date", "number_like_text"} & set(on_15)
    assert {"null", "repeated", "max_length", "empty_text"} <= set(on_15)


def test_a_unique_column_bounded_by_another_column_keeps_every_row(engine) -> None:
    # Found by the property test: clamping the unique c0 to LEAST(c0, c1) repeated it with c1;
    # c1 must adjust to the key, not the key to c1.
    with engine.connect() as connection:
        connection.execute(
            sa.text(
                "CREATE TABLE lots (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                "c0 integer NOT NULL UNIQUE, c1 integer NOT NULL, CHECK (c0 <= c1))"
            )
        )
        report = fill(connection, 40)
        assert report.warnings == []
        assert connection.execute(sa.text("SELECT count(DISTINCT c0) FROM lots")).scalar() == 40
