"""What the operator sees: one screen for people (rich), or one JSON object per line.

The JSON lines carry ``severity`` and ``message`` as Cloud Logging reads them, plus ``step``,
``revision`` and ``duration_ms`` when known. Every message passes through ``mask_text`` with the
run's URL, so a password that slipped into an error text is still never printed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import IO, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy.engine import URL

from backend.db.schema_contract import abridge
from backend.db.urls import mask_text

_MARKS = {
    "INFO": "[green]✓[/]",
    "NOTICE": " ",
    "WARNING": "[yellow]![/]",
    "ERROR": "[red]✗[/]",
}


class Reporter:
    """Prints the run's progress; knows nothing about databases."""

    def __init__(self, json_logs: bool = False, file: IO[str] | None = None) -> None:
        self.json_logs = json_logs
        self.file = file or sys.stdout
        self.secrets: list[str | URL] = []
        # Build logs are no terminal: a fixed width keeps tables readable there.
        width = None if self.file.isatty() else 120
        self.console = Console(file=self.file, highlight=False, soft_wrap=True, width=width)

    def hide(self, secret: str | URL | None) -> None:
        """Mask ``secret``'s password in everything printed from now on."""
        if secret:
            self.secrets.append(secret)

    def mask(self, text: str) -> str:
        return mask_text(text, *self.secrets)

    def event(
        self,
        severity: str,
        step: str,
        message: str,
        revision: str | None = None,
        duration_s: float | None = None,
    ) -> None:
        """One line: ``step`` is a short label (``connect``, ``applied``), ``message`` the news."""
        message = self.mask(message)
        if self.json_logs:
            record: dict[str, Any] = {"severity": severity, "step": step, "message": message}
            if revision:
                record["revision"] = revision
            if duration_s is not None:
                record["duration_ms"] = round(duration_s * 1000)
            print(json.dumps(record), file=self.file, flush=True)
            return
        mark = _MARKS.get(severity, " ")
        self.console.print(f"{mark} [bold]{step:<10}[/] {escape(message)}")

    def info(self, step: str, message: str, **fields: Any) -> None:
        self.event("INFO", step, message, **fields)

    def notice(self, step: str, message: str, **fields: Any) -> None:
        self.event("NOTICE", step, message, **fields)

    def warning(self, step: str, message: str, **fields: Any) -> None:
        self.event("WARNING", step, message, **fields)

    def error(self, step: str, message: str, **fields: Any) -> None:
        self.event("ERROR", step, message, **fields)

    def details(
        self,
        step: str,
        lines: Iterable[str],
        severity: str = "NOTICE",
        groups: Sequence[str] | None = None,
    ) -> None:
        """Indented lines under the previous one (pending revisions, schema differences).

        With ``groups`` (each line's kind), more than 20 lines print for people as a count by
        kind and the first few of each; JSON logs keep every line.
        """
        lines = list(lines)
        if self.json_logs:
            for line in lines:
                self.event(severity, step, line)
            return
        layout = (
            abridge(groups, every_one="every one with --json-logs") if groups else range(len(lines))
        )
        for entry in layout:
            text = entry if isinstance(entry, str) else lines[entry]
            self.console.print(f"  {'':<10}   {escape(self.mask(text))}")

    def text(self, text: str) -> None:
        """A block printed as is (the dry-run's SQL)."""
        text = self.mask(text)
        if self.json_logs:
            self.event("NOTICE", "sql", text)
        else:
            self.console.print(escape(text))

    def table(self, title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """A table for people, or one JSON object per row."""
        rows = list(rows)
        if self.json_logs:
            for row in rows:
                record = {"severity": "INFO", "message": title}
                record.update({c: _plain(v) for c, v in zip(columns, row, strict=True)})
                print(json.dumps(record), file=self.file, flush=True)
            return
        table = Table(title=title)
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*(escape(self.mask(_plain(v))) for v in row))
        self.console.print(table)


def _plain(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return "" if value is None else str(value)
