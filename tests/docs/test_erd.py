"""The schema diagrams in docs/schema/ are current, complete and strict Mermaid.

Stale diagrams teach newcomers a schema that no longer exists; a table missing from every module
file, or drawn twice, is a schema nobody can find. Mermaid on GitHub rejects a whole diagram for
one bad token, so every line of every erDiagram block must be of the strict subset we emit.
"""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

from backend.db import erd
from backend.db.base import MODEL_MODULES, Base

MODULES = [m.split(".")[-2] for m in MODEL_MODULES]
ENTITY = re.compile(r"^    (\w+) \{$")
ATTRIBUTE = re.compile(
    r'^        (\w+) (\w+)(?: ((?:PK|FK|UK)(?:, (?:PK|FK|UK))*))?(?: "([^"]*)")?$'
)
RELATIONSHIP = re.compile(r'^    (\w+) (\|\||\|o)--(o\{|o\|) (\w+) : "([^"]*)"$')


def mermaid_blocks(text: str) -> list[list[str]]:
    return [b.splitlines() for b in re.findall(r"```mermaid\n(.*?)```", text, flags=re.S)]


def parse_er(lines: list[str]) -> tuple[dict[str, list[re.Match]], list[re.Match]]:
    """Entities with their attribute matches, and relationships; fails on any other line."""
    assert lines[0] == "erDiagram"
    entities: dict[str, list[re.Match]] = {}
    relationships = []
    current = None
    for line in lines[1:]:
        if current is not None:
            if line == "    }":
                current = None
                continue
            match = ATTRIBUTE.match(line)
            assert match, f"not strict Mermaid attribute syntax: {line!r}"
            entities[current].append(match)
        elif entity := ENTITY.match(line):
            current = entity.group(1)
            assert current not in entities, f"entity {current} drawn twice in one diagram"
            entities[current] = []
        else:
            relationship = RELATIONSHIP.match(line)
            assert relationship, f"not strict Mermaid relationship syntax: {line!r}"
            relationships.append(relationship)
    assert current is None, "an entity block is not closed"
    return entities, relationships


def committed() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in erd.SCHEMA_DOCS_DIR.glob("*.md")}


def test_committed_diagrams_are_current(tmp_path: Path) -> None:
    """Regenerating into a temporary folder gives exactly the committed files."""
    erd.write(tmp_path)
    fresh = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.md")}
    assert sorted(fresh) == sorted(["README.md", *(f"{m}.md" for m in MODULES)])
    stale = sorted(name for name in fresh if committed().get(name) != fresh[name])
    assert not stale, f"docs/schema/ is stale ({', '.join(stale)}): run `invoke erd` and commit"
    assert erd.stale() == []


def test_stale_names_edited_and_missing_files(tmp_path: Path) -> None:
    erd.write(tmp_path)
    assert erd.stale(tmp_path) == []
    (tmp_path / "partners.md").write_text("old diagram\n")
    (tmp_path / "auth.md").unlink()
    assert sorted(erd.stale(tmp_path)) == ["auth.md", "partners.md"]
    assert sorted(erd.write(tmp_path)) == ["auth.md", "partners.md"]
    assert erd.stale(tmp_path) == []


def test_every_table_appears_exactly_once_across_module_files() -> None:
    files = committed()
    seen: dict[str, list[str]] = {}
    for module in MODULES:
        (block,) = mermaid_blocks(files[f"{module}.md"])
        entities, _ = parse_er(block)
        for name in entities:
            seen.setdefault(name, []).append(module)
    assert len(Base.metadata.tables) == 58
    assert sorted(seen) == sorted(Base.metadata.tables)
    assert {t: m for t, m in seen.items() if len(m) > 1} == {}


def test_columns_types_and_keys_match_the_models() -> None:
    files = committed()
    for module in MODULES:
        entities, _ = parse_er(mermaid_blocks(files[f"{module}.md"])[0])
        for name, attributes in entities.items():
            table = Base.metadata.tables[name]
            assert [a.group(2) for a in attributes] == [c.name for c in table.columns]
            for attribute, column in zip(attributes, table.columns, strict=True):
                assert attribute.group(1) == erd.type_token(column.type)
                keys = (attribute.group(3) or "").split(", ")
                assert ("PK" in keys) == column.primary_key, (name, column.name)
                assert ("FK" in keys) == bool(column.foreign_keys), (name, column.name)


def test_type_tokens_are_mermaid_words() -> None:
    from pgvector.sqlalchemy import Vector
    from sqlalchemy.dialects.postgresql import JSONB, UUID

    assert erd.type_token(UUID()) == "uuid"
    assert erd.type_token(sa.String(100)) == "varchar_100"
    assert erd.type_token(sa.Numeric(18, 4)) == "numeric_18_4"
    assert erd.type_token(sa.DateTime(timezone=True)) == "timestamptz"
    assert erd.type_token(sa.Enum("a", "b", name="trade_status")) == "enum_trade_status"
    assert erd.type_token(Vector(1536)) == "vector_1536"
    assert erd.type_token(JSONB()) == "jsonb"


def test_relationships_have_the_cardinality_of_their_foreign_keys() -> None:
    """Within a module every FK is drawn once: ``|o`` when nullable, ``||`` when required."""
    files = committed()
    tables_module = erd.module_of_table(Base.metadata)
    drawn = []
    for module in MODULES:
        _, relationships = parse_er(mermaid_blocks(files[f"{module}.md"])[0])
        drawn += [(r.group(1), r.group(2), r.group(4), r.group(5)) for r in relationships]
    expected = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_key_constraints:
            parent = fk.referred_table.name
            if tables_module[parent] != tables_module[table.name]:
                continue
            side = "|o" if any(c.nullable for c in fk.columns) else "||"
            expected.append((parent, side, table.name, ", ".join(c.name for c in fk.columns)))
    assert sorted(drawn) == sorted(expected)
    assert any(side == "|o" for _, side, _, _ in expected)
    assert any(side == "||" for _, side, _, _ in expected)


def test_cross_module_foreign_keys_are_in_the_overview_and_both_module_files() -> None:
    files = committed()
    tables_module = erd.module_of_table(Base.metadata)
    overview = files["README.md"]
    entities, relationships = parse_er(mermaid_blocks(overview)[0])
    assert list(entities) == MODULES
    pairs = {(r.group(1), r.group(4)) for r in relationships}
    crossing = 0
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_key_constraints:
            child, parent = tables_module[table.name], tables_module[fk.referred_table.name]
            if child == parent:
                continue
            crossing += 1
            column = f"`{table.name}.{', '.join(c.name for c in fk.columns)}`"
            assert (parent, child) in pairs
            assert column in overview
            assert (
                column in files[f"{child}.md"]
                and f"`{fk.referred_table.name}`" in files[f"{child}.md"]
            )
            assert f"`{table.name}." in files[f"{parent}.md"]
    assert crossing > 0
    for module in MODULES:
        assert f"]({module}.md)" in overview


def test_every_enum_is_listed_with_its_labels_in_the_module_defining_it() -> None:
    files = committed()
    enums = erd.enums_of(Base.metadata)
    assert len(enums) == 9
    for name, enum_type in enums.items():
        rows = [
            (module, line)
            for module in MODULES
            for line in files[f"{module}.md"].splitlines()
            if line.startswith(f"| `enum_{name}` ")
        ]
        assert len(rows) == 1, f"enum {name} listed {len(rows)} times"
        _, row = rows[0]
        for label in enum_type.enums:
            assert f"`{label}`" in row
