"""The schema contract sees every kind of difference and names it."""

from __future__ import annotations

from backend.db import schema_contract

SCHEMA = """
CREATE TYPE trade_status AS ENUM ('draft', 'confirmed');
CREATE TABLE trades (
    id bigserial PRIMARY KEY,
    status trade_status NOT NULL DEFAULT 'draft',
    quantity numeric(18, 4) NOT NULL CHECK (quantity > 0)
);
CREATE INDEX ix_trades_status ON trades (status);
"""


def build(engine, extra: str = "") -> schema_contract.Snapshot:
    with engine.begin() as conn:
        conn.exec_driver_sql(SCHEMA + extra)
        snap = schema_contract.snapshot(conn)
        conn.exec_driver_sql("DROP TABLE trades; DROP TYPE trade_status;")
    return snap


def test_snapshot_reads_tables_enums_indexes_constraints(engine):
    snap = build(engine)
    assert snap["enums"] == {"trade_status": ["draft", "confirmed"]}
    assert snap["tables"]["trades"]["quantity"] == {
        "type": "numeric(18,4)",
        "nullable": False,
        "default": None,
    }
    assert "ix_trades_status" in snap["indexes"]
    assert snap["sequences"] == ["trades_id_seq"]
    kinds = {c["kind"] for c in snap["constraints"].values()}
    assert kinds == {"primary key", "check"}
    assert schema_contract.compare(snap, snap) == []


def test_every_difference_is_named(engine):
    expected = build(engine)
    live = build(
        engine,
        "ALTER TYPE trade_status ADD VALUE 'settled';"
        "ALTER TABLE trades ALTER COLUMN quantity TYPE numeric(18, 2);"
        "ALTER TABLE trades ADD COLUMN grade text;"
        "DROP INDEX ix_trades_status;",
    )
    messages = [d.message for d in schema_contract.compare(live, expected)]
    assert any("enum trade_status" in m and "settled" in m for m in messages)
    assert any("column trades.quantity differs in type" in m for m in messages)
    assert "column trades.grade is in the database but not expected" in messages
    assert "index ix_trades_status is missing from the database" in messages


def test_enum_label_order_matters(engine):
    expected = build(engine)
    live = {**expected, "enums": {"trade_status": ["confirmed", "draft"]}}
    assert [d.kind for d in schema_contract.compare(live, expected)] == ["enum"]


def test_write_and_load_round_trip(tmp_path, engine):
    snap = build(engine)
    schema_contract.write(snap, tmp_path / "contract.json")
    assert schema_contract.load(tmp_path / "contract.json") == snap
    assert schema_contract.summary(snap).startswith("1 tables, 1 enum types, 2 indexes")


def test_each_difference_names_its_kind_in_plural_words(engine):
    expected = build(engine)
    live = build(engine, "ALTER TABLE trades ADD COLUMN grade text; DROP INDEX ix_trades_status;")
    groups = {d.name: d.group for d in schema_contract.compare(live, expected)}
    assert groups == {
        "trades.grade": "columns in the database but not expected",
        "ix_trades_status": "indexes missing from the database",
    }


def test_a_long_list_prints_as_a_count_by_kind_and_the_first_five_of_each():
    groups = ["constraints in the database but not expected"] * 490 + [
        "indexes missing from the database"
    ] * 5
    layout = schema_contract.abridge(groups, every_one="every one with --format json")
    assert layout[0] == (
        "495 differences: 490 constraints in the database but not expected, 5 indexes missing "
        "from the database; the first 5 of each kind (every one with --format json)"
    )
    assert layout[1:] == [
        0,
        1,
        2,
        3,
        4,
        "... and 485 more constraints in the database but not expected",
        490,
        491,
        492,
        493,
        494,
    ]


def test_up_to_twenty_differences_print_in_full():
    assert schema_contract.abridge(["columns that differ"] * 20) == list(range(20))
