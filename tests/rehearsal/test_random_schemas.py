"""Property: on random small schemas the generator fills every table without a warning, and the
data shows every hard shape the schema allows (NULLs, repeats, all enum labels, max lengths)."""

from __future__ import annotations

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.db.rehearsal import fill

ROWS = 40
TYPES = [
    "integer",
    "bigint",
    "numeric(10,2)",
    "text",
    "varchar(12)",
    "boolean",
    "date",
    "timestamptz",
    "jsonb",
    "mood",
]
LABELS = ("sad", "ok", "happy", "ecstatic")


@st.composite
def schemas(draw):
    """Tables t0..tn: columns of random type, nullability, uniqueness and simple CHECKs, and
    foreign keys to earlier tables, to themselves (nullable) or to later ones (nullable: cycles)."""
    count = draw(st.integers(1, 4))
    tables = []
    for number in range(count):
        columns = []
        for index in range(draw(st.integers(1, 5))):
            kind = draw(st.sampled_from(TYPES))
            check = None
            if kind in ("integer", "bigint", "numeric(10,2)"):
                check = draw(
                    st.sampled_from(
                        [None, ">= 0", "> 0", "BETWEEN -5 AND 500", "IN (1, 2, 3, 5, 8)"]
                    )
                )
            elif kind in ("text", "varchar(12)"):
                check = draw(st.sampled_from([None, "IN ('a', 'bb', 'ccc')", "length"]))
            columns.append(
                {
                    "name": f"c{index}",
                    "type": kind,
                    "null": draw(st.booleans()),
                    "unique": draw(st.booleans()) and kind not in ("boolean", "mood", "jsonb"),
                    "check": check,
                }
            )
        fks = []
        for _ in range(draw(st.integers(0, 2))):
            parent = draw(st.integers(0, count - 1))
            nullable = parent >= number or draw(st.booleans())
            fks.append({"parent": parent, "null": nullable})
        pair = None
        numeric = [
            c["name"] for c in columns if c["type"] in ("integer", "bigint") and not c["check"]
        ]
        if len(numeric) >= 2 and draw(st.booleans()):
            pair = (numeric[0], numeric[1])
        tables.append(
            {
                "columns": columns,
                "fks": fks,
                "pair": pair,
                "id": draw(st.sampled_from(["identity", "uuid", "plain"])),
            }
        )
    return tables


def ddl(tables) -> list[str]:
    statements = [f"CREATE TYPE mood AS ENUM {LABELS!r}".replace('"', "'")]
    for number, table in enumerate(tables):
        key = {
            "identity": "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
            "uuid": "id uuid DEFAULT gen_random_uuid() PRIMARY KEY",
            "plain": "id integer PRIMARY KEY",
        }[table["id"]]
        parts = [key]
        for c in table["columns"]:
            part = f"{c['name']} {c['type']}" + ("" if c["null"] else " NOT NULL")
            if c["unique"]:
                part += " UNIQUE"
            if c["check"] == "length":
                part += f" CHECK (length({c['name']}) <= 5)"
            elif c["check"]:
                part += f" CHECK ({c['name']} {c['check']})"
            parts.append(part)
        if table["pair"]:
            parts.append(f"CHECK ({table['pair'][0]} <= {table['pair'][1]})")
        statements.append(f"CREATE TABLE t{number} ({', '.join(parts)})")
    for number, table in enumerate(tables):
        for index, fk in enumerate(table["fks"]):
            parent = tables[fk["parent"]]
            kind = {"identity": "bigint", "uuid": "uuid", "plain": "integer"}[parent["id"]]
            statements.append(
                f"ALTER TABLE t{number} ADD COLUMN f{index} {kind}{'' if fk['null'] else ' NOT NULL'} "
                f"REFERENCES t{fk['parent']} (id)"
            )
    return statements


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tables=schemas())
def test_random_schemas_fill_without_warnings_and_show_their_shapes(engine, tables):
    with engine.connect() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        for statement in ddl(tables):
            connection.execute(sa.text(statement))
        parents_empty = any(
            not fk["null"] and fk["parent"] >= n for n, t in enumerate(tables) for fk in t["fks"]
        )

        report = fill(connection, ROWS)

        if parents_empty:  # a NOT NULL key into a later table of a cycle: a warning, no error
            return
        too_few = {  # unique, yet 3 or 5 values allowed: the table gets that many rows and a warning
            (f"t{n}", f"t{n}_{c['name']}_key", c["check"].count(",") + 1)
            for n, t in enumerate(tables)
            for c in t["columns"]
            if c["unique"] and (c["check"] or "").startswith("IN")
        }
        warned = {(w.table, w.constraint) for w in report.warnings}
        assert warned <= {k[:2] for k in too_few}  # each names a key that allows too few values
        assert {t for t, _ in warned} == {k[0] for k in too_few}
        for name, _, _ in too_few:  # (NULLs do not collide: a nullable column allows more)
            rows = connection.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar()
            assert min(a for n, _, a in too_few if n == name) <= rows < ROWS
            assert rows == report.tables[name].inserted
        for number, table in enumerate(tables):
            name = f"t{number}"
            if any(name == n for n, _, _ in too_few):
                continue
            assert connection.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar() == ROWS
            columns = [
                *table["columns"],
                *(
                    {
                        "name": f"f{i}",
                        "null": fk["null"],
                        "unique": False,
                        "type": "fk",
                        "check": None,
                    }
                    for i, fk in enumerate(table["fks"])
                ),
            ]
            for c in columns:
                col = c["name"]
                nulls, values, distinct, longest = connection.execute(
                    sa.text(
                        f"SELECT count(*) - count({col}), count({col}), count(DISTINCT CAST({col} AS text)), "
                        f"max(char_length(CAST({col} AS text))) FROM {name}"
                    )
                ).one()
                if c["null"]:
                    assert nulls > 0, f"{name}.{col} has no NULL"
                if not c["unique"]:
                    assert distinct < values, f"{name}.{col} repeats no value"
                if c["type"] == "mood":
                    assert distinct == len(LABELS), f"{name}.{col} misses enum labels"
                if c["type"] == "varchar(12)" and not c["check"]:
                    assert longest == 12, f"{name}.{col} has no string of maximum length"
        connection.rollback()
