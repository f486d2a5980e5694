"""Rows for rehearsing migrations: fill any schema's tables with data its constraints accept,
in hard shapes (NULLs, repeats, every enum label, maximum lengths, zero and negative numbers,
past and future times, empty and nested JSON, vectors), one set-based INSERT per table."""

from backend.db.rehearsal.fill import DEFAULT_ROWS, fill
from backend.db.rehearsal.report import FillReport, FillWarning, TableReport

__all__ = ["DEFAULT_ROWS", "FillReport", "FillWarning", "TableReport", "fill"]
