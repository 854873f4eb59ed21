"""Read SIPRI trend-indicator-value (TIV) tables in every layout SIPRI has used.

A SIPRI TIV table has one country on the page (a supplier, or a recipient),
one row per partner country and one column per year. Values are in millions
of SIPRI TIV: a volume index of major conventional arms deliveries, not a
money value. SIPRI writes ``0`` for a delivery below 0.5 million TIV and leaves
a cell empty when no delivery is known; this module keeps that distinction
(a ``0`` becomes a row with ``tiv == 0``; an empty cell becomes no row).

Layouts handled (all seen in ``../shared/sources``):

* 2007 exporter tables: quoted four-line header ("TIV of arms exports from
  China, 1950-2006", "Generated: 02 November 2007"), a leading empty column.
* 2016 importer tables: "TIV of arms exports to Iran, 1950-2015", a leading
  empty column.
* 2022 exporter tables: country names in the first column, "Generated:" line
  after the notes.
* 2026 "Volume of transfers of major arms" tables: a ``Recipient`` (or
  ``Supplier``) column, year columns, then range, percentage and sum columns;
  the country on the page is named by the "Total imports from ..." row.

SIPRI's total, range and percentage columns are dropped. The ``Total`` row is
kept apart, in :attr:`TivTable.totals`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from sinoiran.base.errors import InputError
from sinoiran.base.names import canonical_country

Orientation = Literal["by-supplier", "by-recipient"]

_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_TITLE = re.compile(r"TIV of arms exports (?P<dir>from|to) (?P<country>.+?),\s*(?P<y0>\d{4})\s*-\s*(?P<y1>\d{4})")
_GENERATED = re.compile(r"(?:Data )?[Gg]enerated:\s*(?P<date>\d{1,2} [A-Za-z]+ \d{4})")
_TOTAL_ROW = re.compile(
    r"^Total\b(?:\s+(?P<dir>imports from|imports of|imports to|exports from|exports to|exports of)\s+(?P<country>.+))?$"
)
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")

#: Columns of the tidy long table written by :func:`tidy`.
TIDY_COLUMNS = ["vintage", "supplier", "recipient", "year", "tiv"]


@dataclass(frozen=True)
class TivTable:
    """One parsed SIPRI TIV table.

    Attributes
    ----------
    path: the file read.
    orientation: ``"by-supplier"`` when the page is about one supplier and its
        rows are recipients; ``"by-recipient"`` for the opposite.
    country: the country the page is about (project spelling).
    generated: the date SIPRI generated the table (the vintage).
    years: the year columns present, in file order.
    deliveries: one row per delivered cell: ``supplier, recipient, year, tiv``
        (``tiv`` in millions of TIV; ``0`` means delivered but below 0.5).
    totals: SIPRI's ``Total`` row as ``country, year, tiv``, flagged apart:
        the sum over all partners that SIPRI printed, rounded by SIPRI.
    """

    path: Path
    orientation: Orientation
    country: str
    generated: dt.date
    years: tuple[int, ...]
    deliveries: pd.DataFrame
    totals: pd.DataFrame

    @property
    def default_vintage(self) -> str:
        """The vintage label used when none is given: the year of generation."""
        return str(self.generated.year)


def _read_text(path: Path) -> str:
    if not path.exists():
        raise InputError(path, "file not found")
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(path, "file is empty")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(path, "file is neither UTF-8 nor Windows-1252 text")  # pragma: no cover


def read_csv_rows(path: Path) -> tuple[list[list[str]], list[int]]:
    """Read a CSV file into stripped cells, with the line number each record starts on.

    Line numbers differ from record numbers where a quoted cell spans lines,
    and error messages must point at the line a reader sees in an editor.
    """
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text))
    rows, lines = [], []
    start = 1
    for row in reader:
        rows.append([cell.strip() for cell in row])
        lines.append(start)
        start = reader.line_num + 1
    return rows, lines


def parse_generated(text: str) -> dt.date | None:
    """Parse SIPRI's "Generated: 02 November 2007" / "Data generated: 14 Jul 2026" date."""
    match = _GENERATED.search(text)
    if not match:
        return None
    for fmt in ("%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(match["date"], fmt).date()
        except ValueError:
            continue
    return None


_RANGE_LABEL = re.compile(r"^(1[89]\d\d|20\d\d)\s*-\s*(1[89]\d\d|20\d\d)$")
#: Labels SIPRI prints in a year header besides the years themselves.
_HEADER_EXTRAS = {"total", "percentage", "sum total years", "percentage of total"}
#: The first cell of a "Volume of transfers of major arms" header: what the rows are.
_ROW_LABELS = {"recipient": "by-supplier", "supplier": "by-recipient"}
#: SIPRI's weapon categories: a table whose rows are these is an aggregate, not country pairs.
WEAPON_CATEGORIES = {
    "aircraft",
    "air defence systems",
    "air-defence systems",
    "anti-submarine warfare",
    "armoured vehicles",
    "artillery",
    "engines",
    "missiles",
    "naval weapons",
    "other",
    "satellites",
    "sensors",
    "ships",
}
_ALL = {"all", "all countries"}


def _header_kind(row: list[str]) -> tuple[str, int] | None:
    """If ``row`` is a year header, ("classic" | "volume", index of the name column); else None.

    A classic header has empty cells before its first year and only years and
    "Total" after it. A volume header starts with the label "Recipient" or
    "Supplier", followed only by years, year ranges and SIPRI's percentage and
    sum labels. A data row (a country or "Total exports from X" followed by
    numbers that happen to look like years) is neither, whatever its numbers.
    """
    cells = [c.strip() for c in row]
    filled = [(j, c) for j, c in enumerate(cells) if c]
    if not filled:
        return None
    first_j, first = filled[0]
    rest = [c for _, c in filled[1:]]

    def extra(cell: str) -> bool:
        return bool(_YEAR.match(cell) or _RANGE_LABEL.match(cell)) or cell.lower() in _HEADER_EXTRAS

    if first.lower() in _ROW_LABELS:
        if any(_YEAR.match(c) for c in rest) and all(extra(c) for c in rest):
            return "volume", first_j
        return None
    if _YEAR.match(first) and first_j > 0 and all(_YEAR.match(c) or c.lower() == "total" for c in rest):
        return "classic", first_j - 1
    return None


def _find_header(path: Path, rows: list[list[str]], start: int = 0) -> tuple[int, str, int] | None:
    """(row index, kind, name column) of the first year header at or after ``start``, or None."""
    for i in range(start, len(rows)):
        kind = _header_kind(rows[i])
        if kind:
            return i, kind[0], kind[1]
    return None


def _parse_value(path: Path, cell: str, *, column: str, row: int) -> float | None:
    """Parse one TIV cell: None for empty (no delivery), a float otherwise."""
    if cell == "":
        return None
    if cell.startswith("-") and _NUMBER.match(cell[1:]):
        raise InputError(path, f"negative TIV {cell!r}", column=column, row=row)
    if not _NUMBER.match(cell):
        raise InputError(path, f"non-numeric TIV {cell!r}", column=column, row=row)
    return float(cell)


def read_tiv_table(path: str | Path) -> TivTable:
    """Parse a file holding one SIPRI TIV table of any supported layout (see :func:`read_tiv_tables`)."""
    tables = read_tiv_tables(path)
    if len(tables) > 1:
        countries = ", ".join(t.country for t in tables)
        raise InputError(Path(path), f"holds {len(tables)} tables ({countries}); read it with read_tiv_tables")
    return tables[0]


def read_tiv_tables(path: str | Path) -> list[TivTable]:
    """Parse every SIPRI TIV table in a file: one classic table, or one or more "Volume of transfers"
    tables one after another (each ends with its "Total ..." row).

    Raises :class:`~sinoiran.base.errors.InputError` naming file, column and row for
    anything it cannot read unambiguously: a missing or empty file, no year
    header, no generation date, a country it cannot identify, a year outside
    the range in the title, a non-numeric or negative value, a truncated row, a
    country listed twice, or an aggregate table (exports to or from all
    countries, or rows that are weapon categories), which is not country pairs.
    """
    path = Path(path)
    rows, lines = read_csv_rows(path)
    found = _find_header(path, rows)
    if found is None:
        raise InputError(
            path,
            "no header row with year columns found: expected a row of years under a 'TIV of arms exports ...' title, or a "
            "'Recipient'/'Supplier' row followed by years (SIPRI's 'Volume of transfers of major arms')",
        )
    tables: list[TivTable] = []
    preamble_start = 0
    inherited: dt.date | None = None
    while found is not None:
        header_idx, kind, name_col = found
        table, end = _read_one(path, rows, lines, preamble_start, header_idx, kind, name_col, inherited)
        tables.append(table)
        inherited = table.generated
        preamble_start = end
        found = _find_header(path, rows, end)
        if found is None:
            leftover = [i for i in range(end, len(rows)) if any(rows[i])]
            if leftover and kind == "volume":
                first = rows[leftover[0]]
                raise InputError(
                    path, f"unexpected line after the last table: {','.join(first)[:60]!r}", row=lines[leftover[0]]
                )
    return tables


def _read_one(
    path: Path,
    rows: list[list[str]],
    lines: list[int],
    preamble_start: int,
    header_idx: int,
    kind: str,
    name_col: int,
    inherited: dt.date | None,
) -> tuple[TivTable, int]:
    """Parse the table whose header is at ``header_idx``; return it and the index after its last row."""
    header = rows[header_idx]
    preamble = "\n".join(",".join(r) for r in rows[preamble_start:header_idx])

    generated = parse_generated(preamble) or inherited
    if generated is None:
        raise InputError(
            path, "no generation date ('Generated: <day> <month> <year>') in the header", row=lines[header_idx]
        )

    title = _TITLE.search(preamble)
    orientation: Orientation | None = None
    country: str | None = None
    year_range: tuple[int, int] | None = None
    if title:
        if title["country"].strip().lower() in _ALL:
            rows_are = "importing countries" if title["dir"] == "to" else "exporting countries"
            raise InputError(
                path,
                f"an aggregate SIPRI table ('TIV of arms exports {title['dir']} all'): its rows are {rows_are}, "
                "each with its total, not supplier-recipient pairs; not ingested",
                row=lines[header_idx],
            )
        orientation = "by-supplier" if title["dir"] == "from" else "by-recipient"
        country = canonical_country(title["country"])
        year_range = (int(title["y0"]), int(title["y1"]))
    elif kind == "volume":
        orientation = _ROW_LABELS[header[name_col].lower()]  # type: ignore[assignment]

    year_cols = [(j, int(c)) for j, c in enumerate(header) if _YEAR.match(c)]
    if year_range:
        for _column, year in year_cols:
            if not year_range[0] <= year <= year_range[1]:
                raise InputError(
                    path,
                    f"year {year} is outside the table's range {year_range[0]}-{year_range[1]}",
                    column=str(year),
                    row=lines[header_idx],
                )
    years = tuple(y for _, y in year_cols)
    if len(set(years)) != len(years):
        raise InputError(path, "a year column appears twice", row=lines[header_idx])
    width = max(j for j, _ in year_cols) + 1

    partners: dict[str, int] = {}
    records: list[tuple[str, int, float]] = []
    totals: list[tuple[int, float]] = []
    end = len(rows)
    for i in range(header_idx + 1, len(rows)):
        row = rows[i]
        line = lines[i]
        if not any(row):
            continue
        name = row[name_col] if len(row) > name_col else ""
        if not name:
            raise InputError(path, "row has values but no country name", column=header[name_col] or "country", row=line)
        if len(row) < width:
            raise InputError(
                path,
                f"truncated row: {len(row)} cells where the header has {width}",
                column=name,
                row=line,
            )
        values = [(year, _parse_value(path, row[j], column=str(year), row=line)) for j, year in year_cols]
        total_match = _TOTAL_ROW.match(name)
        if total_match:
            named = total_match["country"]
            if named and named.strip().lower() in _ALL:
                raise InputError(
                    path, f"an aggregate SIPRI table ({name!r}): not supplier-recipient pairs; not ingested", row=line
                )
            if named and country is None:
                country = canonical_country(named)
                if orientation is None:
                    orientation = (
                        "by-supplier" if total_match["dir"] in ("imports from", "exports from") else "by-recipient"
                    )
            totals.extend((year, v) for year, v in values if v is not None)
            end = i + 1
            break
        partner = canonical_country(name)
        if partner in partners:
            raise InputError(
                path,
                f"duplicate key: {partner!r} already listed at row {partners[partner]}",
                column=header[name_col] or "country",
                row=line,
            )
        partners[partner] = line
        records.extend((partner, year, v) for year, v in values if v is not None)

    categories = [p for p in partners if p.lower() in WEAPON_CATEGORIES]
    if len(categories) >= 2 and len(categories) >= len(partners) / 2:
        raise InputError(
            path,
            f"an aggregate SIPRI table by weapon category (rows such as {', '.join(categories[:3])}): not "
            "supplier-recipient pairs; not ingested",
            row=lines[header_idx],
        )
    if country is None or orientation is None:
        raise InputError(
            path,
            "cannot tell which country the table is about (no title and no 'Total ... from/to/of <country>' row)",
            row=lines[header_idx],
        )

    deliveries = pd.DataFrame(records, columns=["partner", "year", "tiv"])
    if orientation == "by-supplier":
        deliveries.insert(0, "supplier", country)
        deliveries = deliveries.rename(columns={"partner": "recipient"})
    else:
        deliveries.insert(1, "recipient", country)
        deliveries = deliveries.rename(columns={"partner": "supplier"})
    deliveries = deliveries[["supplier", "recipient", "year", "tiv"]]
    deliveries["year"] = deliveries["year"].astype("int64")
    deliveries["tiv"] = deliveries["tiv"].astype("float64")
    totals_frame = pd.DataFrame(totals, columns=["year", "tiv"])
    totals_frame.insert(0, "country", country)
    totals_frame.insert(1, "orientation", orientation)
    table = TivTable(
        path=path,
        orientation=orientation,
        country=country,
        generated=generated,
        years=years,
        deliveries=deliveries,
        totals=totals_frame,
    )
    return table, end


def tidy(table: TivTable, vintage: str | None = None) -> pd.DataFrame:
    """Long table ``vintage, supplier, recipient, year, tiv`` for one parsed file.

    ``vintage`` defaults to the year the table was generated.
    """
    out = table.deliveries.copy()
    out.insert(0, "vintage", vintage or table.default_vintage)
    return out[TIDY_COLUMNS].sort_values(["supplier", "recipient", "year"], kind="stable").reset_index(drop=True)


def tidy_all(tables: list[TivTable], vintage: str | None = None) -> pd.DataFrame:
    """:func:`tidy` for every table of a file, concatenated (one vintage label for all)."""
    return pd.concat([tidy(t, vintage) for t in tables], ignore_index=True)
