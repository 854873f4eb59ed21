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

Files of many "Volume of transfers" tables one after another (people download
one per country and concatenate them) may hold tables with a header and no
rows (a country with no deliveries in the years chosen, printed without a
``Total`` line): these are skipped and counted (:attr:`TivTables.empty`), not
an error. A table with rows but no line naming its country is refused, naming
the line it starts on.

Aggregate tables look the same but are not country pairs: their rows are each
country's imports from (or exports to) *all* partners ("TIV of arms exports to
all", a ``Total world import`` row, an ``Exports by`` header). They are read by
:func:`read_aggregate_tables` into a totals table of their own, never as pairs;
tables by weapon category are refused.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from sinoiran.base.errors import InputError
from sinoiran.base.names import canonical_country
from sinoiran.base.releases import suggest_release
from sinoiran.readers.cells import parse_number
from sinoiran.readers.preamble import parse_generated
from sinoiran.readers.text import Rows, preamble_text, read_rows

Orientation = Literal["by-supplier", "by-recipient"]

_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_TITLE = re.compile(r"TIV of arms exports (?P<dir>from|to) (?P<country>.+?),\s*(?P<y0>\d{4})\s*-\s*(?P<y1>\d{4})")
_TOTAL_ROW = re.compile(
    r"^Total\b(?:\s+(?P<dir>imports from|imports of|imports to|exports from|exports to|exports of)\s+(?P<country>.+))?$"
)
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_WORLD_ROW = re.compile(r"^Total world (import|export)s?$", re.I)
#: First cells of the header of an aggregate "Volume of transfers" table, and what its rows are.
_AGGREGATE_LABELS = {"exports by": "exports", "imports by": "imports", "imports of": "imports", "exports of": "exports"}
#: Lines of the preamble SIPRI prints above every "Volume of transfers" table: a table ends where one starts.
_PREAMBLE_LINE = re.compile(
    r"^(Volume of transfers of major arms|Figures are in millions|A '0' indicates|Figures may not add up|"
    r"For the method used|Source: SIPRI|(Data )?generated:|TIV of arms exports|Information generated)",
    re.I,
)

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
        """The release label used when none is given (SIPRI's update it comes from; see :mod:`sinoiran.base.releases`)."""
        last = int(self.deliveries["year"].max()) if len(self.deliveries) else None
        guess = suggest_release(self.generated, last)
        return guess.label if guess else str(self.generated.year)


@dataclass(frozen=True)
class TivTables:
    """Every table of one file, and the tables skipped because they hold no rows."""

    tables: list[TivTable]
    empty: list[int] = field(default_factory=list)  # the lines where tables with a header and no rows start
    notes: list[str] = field(default_factory=list)  # what else was assumed, in words

    @property
    def note(self) -> str:
        """What was skipped or assumed, in words ('' if nothing)."""
        said = list(self.notes)
        if self.empty:
            lines = ", ".join(str(n) for n in self.empty[:5]) + (", ..." if len(self.empty) > 5 else "")
            said.append(f"{len(self.empty)} table(s) with a header and no rows skipped (line {lines})")
        return "; ".join(said)


def read_csv_rows(path: Path) -> tuple[list[list[str]], list[int]]:
    """Rows of stripped cells and the line each starts on (see :func:`sinoiran.readers.text.read_rows`)."""
    rows = read_rows(path)
    return rows.rows, rows.lines


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
    """Parse one TIV cell: None for empty (no delivery), a float otherwise ("1,234" as spreadsheets save it is read)."""
    if cell == "":
        return None
    if cell.startswith("-") and _NUMBER.match(cell[1:].replace(",", "")):
        raise InputError(path, f"negative TIV {cell!r}", column=column, row=row)
    try:
        return parse_number(path, cell, column, row)
    except InputError:
        raise InputError(path, f"non-numeric TIV {cell!r}", column=column, row=row) from None


def read_tiv_table(path: str | Path) -> TivTable:
    """Parse a file holding one SIPRI TIV table of any supported layout (see :func:`read_tiv_tables`)."""
    tables = read_tiv_tables(path)
    if len(tables) > 1:
        countries = ", ".join(t.country for t in tables)
        raise InputError(Path(path), f"holds {len(tables)} tables ({countries}); read it with read_tiv_tables")
    return tables[0]


def read_tiv_tables(path: str | Path) -> list[TivTable]:
    """Every SIPRI TIV table with rows in a file (see :func:`read_tiv_file`)."""
    return read_tiv_file(path).tables


def _is_preamble_line(row: list[str]) -> bool:
    filled = [c for c in row if c]
    return bool(filled) and bool(_PREAMBLE_LINE.match(filled[0]))


def read_tiv_file(path: str | Path, rows: Rows | None = None) -> TivTables:
    """Parse every SIPRI TIV table in a file: one classic table, or one or more "Volume of transfers"
    tables one after another (each ends with its "Total ..." row, or where the next table's preamble starts).

    Raises :class:`~sinoiran.base.errors.InputError` naming file, column and row for
    anything it cannot read unambiguously: a missing or empty file, no year
    header, no generation date, a table with rows whose country it cannot
    identify, a year outside the range in the title, a non-numeric or negative
    value, a truncated row, a country listed twice, or an aggregate table
    (exports to or from all countries, ``Total world`` rows, or rows that are
    weapon categories), which is not country pairs.
    """
    path = Path(path)
    rows = rows or read_rows(path)
    found = _find_header(path, rows.rows)
    if found is None:
        raise InputError(
            path,
            "no header row with year columns found: expected a row of years under a 'TIV of arms exports ...' title, or a "
            "'Recipient'/'Supplier' row followed by years (SIPRI's 'Volume of transfers of major arms')",
        )
    tables: list[TivTable] = []
    empty: list[int] = []
    notes: list[str] = []
    preamble_start = 0
    inherited: dt.date | None = None
    while found is not None:
        header_idx, kind, name_col = found
        if inherited is None and parse_generated(preamble_text(rows, header_idx, preamble_start)) is None:
            # A file of concatenated tables whose first table lost its preamble: the tables of one file were
            # generated together (seconds apart), so the first date the file prints stands for them.
            later = parse_generated(preamble_text(rows, len(rows.rows), header_idx))
            if later is not None and kind == "volume":
                inherited = later
                notes.append(f"the first table prints no date; dated {later:%d %b %Y} from the next table's")
        table, end = _read_one(path, rows, preamble_start, header_idx, kind, name_col, inherited)
        if table is None:
            empty.append(rows.lines[header_idx])
        else:
            tables.append(table)
            inherited = table.generated
        preamble_start = end
        found = _find_header(path, rows.rows, end)
        if found is None:
            leftover = [i for i in range(end, len(rows.rows)) if any(rows.rows[i])]
            if leftover and kind == "volume" and not all(_is_preamble_line(rows.rows[i]) for i in leftover):
                first = next(i for i in leftover if not _is_preamble_line(rows.rows[i]))
                raise InputError(
                    path,
                    f"unexpected line after the last table: {','.join(rows.rows[first])[:60]!r}",
                    row=rows.lines[first],
                )
    if not tables:
        raise InputError(path, f"holds {len(empty)} table(s), none with any row (line {empty[0]})", row=empty[0])
    _refuse_a_cut_last_value(path, rows)
    return TivTables(tables, empty, notes)


def _refuse_a_cut_last_value(path: Path, rows: Rows) -> None:
    """Refuse a file that ends, without a line end, in a year's value: the number may have been cut short.

    SIPRI's tables put a total or percentage column after the years, so a cut
    there cannot change a delivery; where the last column is a year, it could.
    """
    if rows.ends_with_newline:
        return
    last = next((i for i in range(len(rows.rows) - 1, -1, -1) if any(rows.rows[i])), None)
    if last is None:
        return
    header = next((i for i in range(last, -1, -1) if _header_kind(rows.rows[i])), None)
    if header is None or header == last:
        return
    year_columns = [j for j, c in enumerate(rows.rows[header]) if _YEAR.match(c)]
    cells = rows.rows[last]
    if year_columns and len(cells) - 1 == year_columns[-1] and cells[-1]:
        raise InputError(
            path,
            "the file ends without a line end in the middle of a row's year values: it looks cut short "
            "(if it is complete, end it with a line end)",
            column=rows.rows[header][year_columns[-1]],
            row=rows.lines[last],
        )


def _read_one(
    path: Path,
    rows: Rows,
    preamble_start: int,
    header_idx: int,
    kind: str,
    name_col: int,
    inherited: dt.date | None,
) -> tuple[TivTable | None, int]:
    """Parse the table whose header is at ``header_idx``; return it (None if it has no rows) and the
    index after its last row."""
    header = rows.rows[header_idx]
    lines = rows.lines
    preamble = preamble_text(rows, header_idx, preamble_start)

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
            raise InputError(path, _aggregate_message(title["dir"]), row=lines[header_idx])
        orientation = "by-supplier" if title["dir"] == "from" else "by-recipient"
        country = canonical_country(title["country"])
        year_range = (int(title["y0"]), int(title["y1"]))
    elif kind == "volume":
        label = header[name_col].lower()
        if label in _AGGREGATE_LABELS:
            raise InputError(path, _aggregate_message(label), row=lines[header_idx])
        orientation = _ROW_LABELS[label]  # type: ignore[assignment]

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
    end = len(rows.rows)
    closed = False
    for i in range(header_idx + 1, len(rows.rows)):
        row = rows.rows[i]
        line = lines[i]
        if not any(row):
            continue
        if _header_kind(row) or (kind == "volume" and _is_preamble_line(row)):
            end = i  # the next table starts: this one had no 'Total' row
            break
        name = row[name_col] if len(row) > name_col else ""
        if not name:
            raise InputError(path, "row has values but no country name", column=header[name_col] or "country", row=line)
        if _WORLD_ROW.match(name):
            raise InputError(path, _aggregate_message(name), row=line)
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
                raise InputError(path, _aggregate_message(name), row=line)
            if named and country is None:
                country = canonical_country(named)
                if orientation is None:
                    orientation = (
                        "by-supplier" if total_match["dir"] in ("imports from", "exports from") else "by-recipient"
                    )
            totals.extend((year, v) for year, v in values if v is not None)
            end = i + 1
            closed = True
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

    if not partners and not closed:
        return None, end  # a header and no rows: a country with no deliveries in the years chosen
    categories = [p for p in partners if p.lower() in WEAPON_CATEGORIES]
    if len(categories) >= 2 and len(categories) >= len(partners) / 2:
        raise InputError(
            path,
            f"an aggregate SIPRI table by weapon category (rows such as {', '.join(categories[:3])}): not "
            "supplier-recipient pairs; not ingested",
            row=lines[header_idx],
        )
    if country is None or orientation is None:
        where = f"the table whose header is at line {lines[header_idx]} ({','.join(header)[:40]!r}...)"
        raise InputError(
            path,
            f"cannot tell which country {where} is about: it has no title and no 'Total exports from <country>' or "
            "'Total imports of <country>' row",
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


def _aggregate_message(label: str) -> str:
    """Why an aggregate table is not read as country pairs, naming the line that shows it."""
    text = label.strip().lower()
    rows_are = "exporting countries" if ("export" in text or text in ("from", "exports by")) else "importing countries"
    if text in ("to", "from"):
        text = f"TIV of arms exports {text} all"
    return (
        f"an aggregate SIPRI table ({text!r}): its rows are {rows_are}, each with its total over all partners, "
        "not supplier-recipient pairs (read it as sipri-aggregate)"
    )


@dataclass(frozen=True)
class Aggregates:
    """An aggregate table: each country's yearly imports from (or exports to) all partners, in millions of TIV."""

    path: Path
    generated: dt.date
    flow: str  # "imports" (rows are recipients) or "exports" (rows are suppliers)
    totals: pd.DataFrame  # country, year, tiv (the world row as country "World")

    @property
    def default_vintage(self) -> str:
        """The release label (SIPRI's update the table comes from)."""
        years = self.totals["year"]
        guess = suggest_release(self.generated, int(years.max()) if len(years) else None)
        return guess.label if guess else str(self.generated.year)


def aggregate_flow(rows: Rows) -> tuple[int, str] | None:
    """(index of the header row, 'imports' | 'exports') if the file is an aggregate table, else None.

    An aggregate announces itself by a 'TIV of arms exports to/from all' title,
    an 'Exports by'/'Imports by' header, or a 'Total world import/export' row.
    """
    for i, row in enumerate(rows.rows):
        kind = _header_kind(row)
        first = next((c for c in row if c), "")
        if kind is None and first.lower() in _AGGREGATE_LABELS and any(_YEAR.match(c) for c in row[1:]):
            return i, _AGGREGATE_LABELS[first.lower()]
        title = _TITLE.search(first)
        if title and title["country"].strip().lower() in _ALL:
            found = _find_header(rows.path, rows.rows, i)
            return (found[0] if found else i), "imports" if title["dir"] == "to" else "exports"
        if _WORLD_ROW.match(first):
            above = [(j, k) for j in range(i) if (k := _header_kind(rows.rows[j]))]
            if above:
                j, (_kind, name_col) = above[-1]
                label = rows.rows[j][name_col].lower()
                return j, "imports" if label == "recipient" else "exports"
            return i, "imports" if "import" in first.lower() else "exports"
    return None


def read_aggregate_tables(path: str | Path, rows: Rows | None = None) -> Aggregates:
    """Read an aggregate SIPRI table (see :func:`aggregate_flow`) into ``country, year, tiv``.

    The world total row becomes ``country == "World"``. Rows by weapon category
    are refused (they are not countries).
    """
    path = Path(path)
    rows = rows or read_rows(path)
    found = aggregate_flow(rows)
    if found is None:
        raise InputError(
            path, "not an aggregate SIPRI table (no 'Total world' row, 'Exports by' header or '... all' title)"
        )
    header_idx, flow = found
    header = rows.rows[header_idx]
    generated = parse_generated(preamble_text(rows, header_idx))
    if generated is None:
        raise InputError(path, "no generation date ('Data generated: ...') above the table", row=rows.lines[header_idx])
    name_col = next(j for j, c in enumerate(header) if c)
    if _YEAR.match(header[name_col]):
        name_col -= 1
    year_cols = [(j, int(c)) for j, c in enumerate(header) if _YEAR.match(c)]
    records: list[tuple[str, int, float]] = []
    for i in range(header_idx + 1, len(rows.rows)):
        row, line = rows.rows[i], rows.lines[i]
        if not any(row):
            continue
        if _is_preamble_line(row) or _header_kind(row):
            break
        name = row[name_col] if len(row) > name_col else ""
        if not name:
            raise InputError(path, "row has values but no country name", column="country", row=line)
        if len(row) <= max(j for j, _ in year_cols):
            raise InputError(path, f"truncated row: {len(row)} cells", column=name, row=line)
        is_world = bool(_WORLD_ROW.match(name)) or name.lower() == "total"
        country = "World" if is_world else canonical_country(name)
        if country.lower() in WEAPON_CATEGORIES:
            raise InputError(
                path, f"an aggregate by weapon category (row {name!r}): its rows are not countries", row=line
            )
        for j, year in year_cols:
            value = _parse_value(path, row[j], column=str(year), row=line)
            if value is not None:
                records.append((country, year, value))
        if is_world:
            break
    totals = pd.DataFrame(records, columns=["country", "year", "tiv"]).astype({"year": "int64", "tiv": "float64"})
    if totals.empty:
        raise InputError(path, "an aggregate table with no values", row=rows.lines[header_idx])
    return Aggregates(path=path, generated=generated, flow=flow, totals=totals)


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
