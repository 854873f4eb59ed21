"""The tables the chapters display, read back from their stored HTML outputs (for the display tests)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class Column:
    """One displayed column: its header, the classes of its cells (``kind-year`` …) and the cells' text."""

    header: str
    classes: set[str] = field(default_factory=set)
    cells: list[str] = field(default_factory=list)


@dataclass
class ShownTable:
    chapter: str
    columns: list[Column]


class _Parser(HTMLParser):
    """Every ``<table class="sinoiran-table">``: headers, and per column the cells' text and classes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[Column]] = []
        self._depth = 0
        self._row: list[tuple[str, set[str], str]] | None = None
        self._cell: list[str] | None = None
        self._cell_tag = ""
        self._cell_classes: set[str] = set()
        self._head: list[str] = []
        self._rows: list[list[tuple[str, set[str], str]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table" and "sinoiran-table" in (attributes.get("class") or "").split():
            self._depth, self._head, self._rows = 1, [], []
        elif tag == "table" and self._depth:
            self._depth += 1
        elif self._depth and tag == "tr":
            self._row = []
        elif self._depth and tag in ("td", "th") and self._row is not None:
            self._cell, self._cell_tag = [], tag
            self._cell_classes = set((attributes.get("class") or "").split())

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if not self._depth:
            return
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append((self._cell_tag, self._cell_classes, " ".join("".join(self._cell).split())))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if all(kind == "th" for kind, _, _ in self._row) and not self._head:
                self._head = [text for _, _, text in self._row]
            else:
                self._rows.append(self._row)
            self._row = None
        elif tag == "table":
            self._depth -= 1
            if self._depth == 0:
                columns = [Column(h) for h in self._head]
                for row in self._rows:
                    for column, (_, classes, text) in zip(columns, row, strict=False):
                        column.classes |= classes
                        column.cells.append(text)
                self.tables.append(columns)


def tables_in_html(html: str) -> list[list[Column]]:
    parser = _Parser()
    parser.feed(html)
    return parser.tables


def stored_tables(chapters: list[Path]) -> list[ShownTable]:
    """Every table in the chapters' stored ``text/html`` outputs (display.table's and the ledger's own)."""
    found = []
    for path in chapters:
        notebook = json.loads(path.read_text())
        for cell in notebook["cells"]:
            for output in cell.get("outputs", []):
                html = output.get("data", {}).get("text/html")
                if html:
                    found += [ShownTable(path.stem, t) for t in tables_in_html("".join(html))]
                markdown = output.get("data", {}).get("text/markdown")
                if markdown and "<table" in "".join(markdown):
                    found += [ShownTable(path.stem, t) for t in tables_in_html("".join(markdown))]
    return found
