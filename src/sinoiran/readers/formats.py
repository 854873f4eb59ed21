"""The one registry of export formats: what each is, how a file shows it, what reads it, what it yields.

Detection, the ``ingest`` command, the sources manifest and the data build all
read :data:`FORMATS` (and :data:`REFUSED`), so a format is declared here once.

A format is recognised from what the file says about itself, never from the
file's name: its first bytes (workbooks, JSON), or a header row that only
that format has. Files that are recognisably something this package does not
read (an RTF document, an HTML page, the SIPRI API's coded deal list) are
refused by name (:data:`REFUSED`), and a file that fits nothing gets the
nearest format and the first line that did not fit.

Every reader returns an :class:`Export`: the frames it yields under fixed names
(``deliveries``: supplier, recipient, year, tiv; ``totals``: SIPRI's printed
totals; ``deals``: register deals; ``items``: mirror items; ``trade``: IMF
values; ``aggregates``: countries' totals over all partners; ``rows``: one row
per delivery of a transfers export), plus what the file says about itself.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sinoiran.base.errors import InputError
from sinoiran.base.names import canonical_country
from sinoiran.base.releases import Holding, ReleaseGuess, suggest_release
from sinoiran.readers import imf, mirror, registers, sipri_tiv, transfers
from sinoiran.readers.text import Rows, binary_kind, read_rows


@dataclass
class Export:
    """What one export file holds, as its reader read it (frames have no release column yet)."""

    format: str
    path: Path
    generated: dt.date | None
    described: str  # what the file is, in words: "by-recipient table for Iran, generated 24 Jul 2016"
    frames: dict[str, pd.DataFrame]
    complete: frozenset[str] = frozenset()  # recipients whose every supplier the file holds
    last_year: int | None = None  # the last year with data
    years: tuple[int, int] | None = None  # the years the file covers (its year columns, or the years asked for)
    holds: list[Holding] = field(default_factory=list)  # the supplier-recipient pairs the file holds, by itself
    notes: list[str] = field(default_factory=list)  # what was skipped or repaired, in words

    @property
    def release(self) -> ReleaseGuess | None:
        """The SIPRI release the file belongs to, from its date and data (see :mod:`sinoiran.base.releases`);
        None for files that are not SIPRI's (IMF workbooks). A derived mirror is labelled '<year>-mirror'."""
        if self.format == "imf-dots":
            return None
        guess = suggest_release(self.generated, self.last_year)
        if guess and self.format == "mirror-json":
            return ReleaseGuess(f"{guess.label}-mirror", f"a derived mirror; {guess.reason}", inferred=True)
        return guess

    def names(self, role: str) -> frozenset[str]:
        """The suppliers or recipients (``role``) the file names, in the project's spelling."""
        names: set[str] = set()
        for key in ("deliveries", "deals", "items", "rows"):
            frame = self.frames.get(key)
            if frame is not None and role in frame:
                names.update(frame[role].dropna())
        if role == "recipient" and "seen" in self.frames:
            names.update(self.frames["seen"]["recipient"])
        return frozenset(names)


@dataclass(frozen=True)
class Format:
    """One export format: its name, what it is in words, how a file shows it, and its reader."""

    name: str
    description: str
    main: str  # the frame ``ingest`` writes
    yields: tuple[str, ...]  # the frames its reader returns (see :class:`Export`)
    read: Callable[..., Export]
    recognise: Callable[[Rows], int | None] | None = None  # header row index in a text file, or None
    addable: bool = False  # ``data add`` (and so the manifest) accepts it


# --- readers, each returning an Export ------------------------------------------------------------


def _read_tiv(path: Path, rows: Rows | None = None, **_: object) -> Export:
    parsed = sipri_tiv.read_tiv_file(path, rows)
    tables = parsed.tables
    deliveries = pd.concat([t.deliveries for t in tables], ignore_index=True)
    totals = pd.concat([t.totals for t in tables], ignore_index=True)
    described = "; ".join(f"{t.orientation} table for {t.country}" for t in tables[:4])
    if len(tables) > 4:
        described += f"; and {len(tables) - 4} more tables"
    generated = tables[0].generated
    return Export(
        format="sipri-tiv",
        path=path,
        generated=generated,
        described=f"{described}, generated {generated:%d %b %Y}",
        frames={"deliveries": deliveries, "totals": totals},
        complete=frozenset(t.country for t in tables if t.orientation == "by-recipient"),
        last_year=int(deliveries["year"].max()) if len(deliveries) else None,
        years=(min(y for t in tables for y in t.years), max(y for t in tables for y in t.years)),
        holds=[
            Holding(frozenset({t.country}), None, min(t.years), max(t.years))
            if t.orientation == "by-supplier"
            else Holding(None, frozenset({t.country}), min(t.years), max(t.years))
            for t in tables
        ],
        notes=[parsed.note] if parsed.note else [],
    )


def _read_aggregate(path: Path, rows: Rows | None = None, **_: object) -> Export:
    parsed = sipri_tiv.read_aggregate_tables(path, rows)
    totals = parsed.totals
    return Export(
        format="sipri-aggregate",
        path=path,
        generated=parsed.generated,
        described=(
            f"aggregate table of each country's {parsed.flow} from all partners ({totals['country'].nunique()} rows), "
            f"generated {parsed.generated:%d %b %Y}"
        ),
        frames={"aggregates": totals.assign(flow=parsed.flow)[["country", "flow", "year", "tiv"]]},
        last_year=int(totals["year"].max()),
    )


def _read_transfers(path: Path, rows: Rows | None = None, **_: object) -> Export:
    parsed = transfers.read_transfers(path, rows)
    deliveries = parsed.deliveries
    tidy = deliveries.groupby(["supplier", "recipient", "year"], as_index=False)["tiv"].sum()
    tidy["tiv"] = tidy["tiv"].round(6)
    when = f"generated {parsed.generated:%d %b %Y}" if parsed.generated else "no generation date"
    notes = []
    if parsed.undelivered:
        notes.append(f"{parsed.undelivered} order(s) with nothing delivered yet left out")
    unknown = int(deliveries[list(transfers.FLAGS)].isna().any(axis=1).sum())
    if unknown:
        notes.append(f"{unknown} deliveries with an empty estimate flag (kept as unknown)")
    return Export(
        format="sipri-transfers",
        path=path,
        generated=parsed.generated,
        described=f"transfers export, {parsed.layout} ({parsed.scope}), {when}; {len(deliveries)} deliveries",
        frames={"deliveries": tidy, "rows": deliveries},
        complete=frozenset(tidy["recipient"]) if parsed.all_suppliers else frozenset(),
        last_year=parsed.last_year,
        years=parsed.requested or (int(deliveries["year"].min()), parsed.last_year),
        holds=[_scope_holding(parsed)],
        notes=notes,
    )


#: The first year of SIPRI's Arms Transfers Database.
FIRST_SIPRI_YEAR = 1950


def _scope_holding(parsed: transfers.Transfers) -> Holding:
    """The pairs a transfers export holds, from the scope its preamble states ('from All countries to Iran')."""
    first, last = parsed.requested or (int(parsed.deliveries["year"].min()), parsed.last_year)
    if parsed.every_year:
        first = FIRST_SIPRI_YEAR
    guess = suggest_release(parsed.generated, parsed.last_year)
    if guess is not None:  # a release holds data to the year before its update, whatever years were asked for
        last = int(guess.label) - 1 if parsed.every_year else min(last, int(guess.label) - 1)

    def named(side: str | None) -> frozenset[str] | None:
        if side is None or side.strip().lower() in ("all countries", "all"):
            return None
        return frozenset({canonical_country(side.strip())})

    if parsed.scope == "not stated":  # no preamble: only the pairs present can be said to be held
        pairs = parsed.deliveries
        return Holding(frozenset(pairs["supplier"]), frozenset(pairs["recipient"]), first, last)
    source, target = parsed.scope.removeprefix("from ").split(" to ", 1)
    return Holding(named(source), named(target), first, last)


def _read_register(
    path: Path, rows: Rows | None = None, *, recipients: frozenset[str] | None = None, **_: object
) -> Export:
    register = registers.read_register(path, "", recipients=recipients, rows=rows)
    deals = register.deals.drop(columns=["vintage"])
    notes = [f"a record broken over two lines joined back (line {n})" for n in register.rejoined]
    when = f"generated {register.generated:%d %b %Y}" if register.generated else "no generation date"
    return Export(
        format="sipri-register",
        path=path,
        generated=register.generated,
        described=f"trade register ({register.layout} layout, {when}); {len(deals)} deals",
        frames={"deals": deals, "seen": pd.DataFrame({"recipient": sorted(register.recipients_seen)})},
        last_year=register.last_year,
        notes=notes,
    )


def _read_mirror(path: Path, rows: Rows | None = None, **_: object) -> Export:
    items = mirror.read_mirror(path)
    sums = items.groupby(["supplier", "recipient", "year"], as_index=False)["tiv"].sum()
    sums["tiv"] = sums["tiv"].round(6)
    return Export(
        format="mirror-json",
        path=path,
        generated=None,
        described=f"derived per-delivery mirror of SIPRI data (not a SIPRI export); {len(items)} items",
        frames={"deliveries": sums, "items": items},
        complete=frozenset(sums["recipient"]),
        last_year=int(sums["year"].max()) if len(sums) else None,
        holds=[Holding(None, None, int(sums["year"].min()), int(sums["year"].max()))] if len(sums) else [],
    )


def _read_dots(path: Path, rows: Rows | None = None, **_: object) -> Export:
    trade = imf.read_dots_workbook(path)
    return Export(
        format="imf-dots",
        path=path,
        generated=None,
        described=f"IMF Direction of Trade Statistics workbook; {len(trade)} values (US$ million)",
        frames={"trade": trade},
        last_year=int(trade["year"].max()) if len(trade) else None,
    )


# --- how text formats show themselves -------------------------------------------------------------


def _first(rows: Rows, test: Callable[[list[str]], object]) -> int | None:
    return next((i for i, row in enumerate(rows.rows) if test(row)), None)


def _recognise_aggregate(rows: Rows) -> int | None:
    found = sipri_tiv.aggregate_flow(rows)
    return found[0] if found else None


FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format(
            "sipri-transfers",
            "SIPRI transfers export (one row per deal and delivery year, every country pair)",
            "deliveries",
            ("deliveries", "rows"),
            _read_transfers,
            lambda rows: _first(rows, transfers.is_transfers_header),
            addable=True,
        ),
        Format(
            "sipri-register",
            "SIPRI trade register (one row per deal)",
            "deals",
            ("deals",),
            _read_register,
            lambda rows: _first(rows, registers.header_layout),
            addable=True,
        ),
        Format(
            "sipri-aggregate",
            "SIPRI aggregate TIV table (each country's total with all partners, not country pairs)",
            "aggregates",
            ("aggregates",),
            _read_aggregate,
            _recognise_aggregate,
        ),
        Format(
            "sipri-tiv",
            "SIPRI TIV table (a 'TIV of arms exports' table or 'Volume of transfers of major arms' tables)",
            "deliveries",
            ("deliveries", "totals"),
            _read_tiv,
            lambda rows: _first(rows, sipri_tiv._header_kind),
            addable=True,
        ),
        Format(
            "mirror-json",
            "per-delivery JSON mirror of SIPRI data (derived, not a SIPRI export)",
            "deliveries",
            ("deliveries", "items"),
            _read_mirror,
        ),
        Format("imf-dots", "IMF Direction of Trade Statistics workbook", "trade", ("trade",), _read_dots),
    ]
}


@dataclass(frozen=True)
class Refused:
    """A kind of file recognised for what it is, and refused with what to do instead."""

    name: str
    recognise: Callable[[Rows], int | None]
    message: str


REFUSED: tuple[Refused, ...] = (
    Refused(
        "sipri-api-deals",
        lambda rows: _first(rows, lambda r: {"buyercod", "sellercod"} <= {c.lower() for c in r}),
        "the SIPRI site's coded deal list ('buyercod,sellercod,...': one row per deal with SIPRI's internal "
        "country codes): not read here; download the trade register or the transfers export as CSV instead",
    ),
    Refused(
        "sipri-regional",
        lambda rows: _first(rows, lambda r: any(c.lower() in ("% of regional total", "regional total") for c in r)),
        "a SIPRI table of suppliers' deliveries to world regions ('Regional total' rows): regions, not countries, "
        "so not supplier-recipient pairs; download the importer or exporter table of a country instead",
    ),
    Refused(
        "sipri-backend-dump",
        lambda rows: _first(rows, lambda r: [c for c in r[:5]] == ["id", "tradeId", "buyer", "seller", "orderYr"]),
        "a dump of the SIPRI site's internal records ('id,tradeId,buyer,seller,orderYr,...', numeric lookup codes), "
        "not an export SIPRI offers: download the transfers export or the trade register as CSV instead",
    ),
)

#: Words in a file that point to a format even when its header is damaged (for the refusal message).
_HINTS = [
    ("SIPRI AT Database ID", "sipri-transfers"),
    ("TIV delivery values", "sipri-transfers"),
    ("Weapon designation", "sipri-register"),
    ("Transfers of major conventional arms", "sipri-register"),
    ("Total world", "sipri-aggregate"),
    ("TIV of arms exports", "sipri-tiv"),
    ("Volume of transfers of major arms", "sipri-tiv"),
    ("trend-indicator value", "sipri-tiv"),
]


@dataclass(frozen=True)
class Detected:
    """A recognised file: its format, and the line of the header that gave it away (1-based; 0 if none)."""

    format: str
    line: int
    rows: Rows | None = None  # the text already read, for the reader

    @property
    def description(self) -> str:
        return FORMATS[self.format].description


def _workbook_kind(path: Path) -> str:
    """'imf-dots' for a DOTS workbook; raises a refusal for any other zip or workbook."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise InputError(path, "not a text export: a damaged zip archive or .xlsx workbook") from None
    if "xl/workbook.xml" not in names:
        raise InputError(path, "not a text export: a zip archive (unpack it and give the CSV inside)")
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True)
        sheets = list(book.sheetnames)
        book.close()
    except Exception as error:  # openpyxl raises several types for damaged workbooks
        raise InputError(path, f"not a readable .xlsx workbook ({type(error).__name__})") from None
    if set(imf.FLOWS) <= set(sheets):
        return "imf-dots"
    raise InputError(
        path,
        f"an Excel workbook (sheets {', '.join(sheets[:3])}), not an IMF DOTS country file: SIPRI's downloads are "
        "CSV; save the sheet as CSV and ingest that",
    )


def detect(path: str | Path) -> Detected:
    """The format of an export file, or an ``InputError`` that says what the file is and why it is not read."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found")
    if path.is_dir():
        raise InputError(path, "is a folder, not an export file")
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(path, "file is empty")
    if raw.startswith(b"PK\x03\x04"):
        return Detected(_workbook_kind(path), 0)
    if raw.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] in (b"{", b"[") and not raw.startswith(b"{\\rtf"):
        try:
            json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InputError(path, f"looks like JSON but is not valid JSON ({error})") from None
        return Detected("mirror-json", 0)
    kind = binary_kind(raw)
    if kind:
        hint = (
            " (SIPRI's old site saved registers as rich text: open it in a word processor and save as plain text, "
            "or download the CSV export)"
            if "RTF" in kind
            else ""
        )
        raise InputError(path, f"not a text export: {kind}{hint}")
    rows = read_rows(path)
    for refused in REFUSED:
        index = refused.recognise(rows)
        if index is not None:
            raise InputError(path, refused.message, row=rows.lines[index])
    for fmt in FORMATS.values():
        if fmt.recognise is None:
            continue
        index = fmt.recognise(rows)
        if index is not None:
            return Detected(fmt.name, rows.lines[index], rows)
    text = "\n".join(",".join(r) for r in rows.rows[:60])
    nearest = next((fmt for hint, fmt in _HINTS if hint.lower() in text.lower()), None)
    misfit = next(((r, n) for r, n in zip(rows.rows, rows.lines, strict=True) if sum(1 for c in r if c) >= 3), None)
    where = f"line {misfit[1]} ({','.join(misfit[0])[:70]!r}) is no header it knows" if misfit else "no header row"
    shape = f" [{rows.described}]"
    first = next((r for r in rows.rows if any(r)), [])
    if nearest is None and sum(1 for c in first if c) >= 5 and any(c.replace(".", "").isdigit() for c in first):
        raise InputError(
            path,
            f"no header: the file starts with a row of data ({','.join(first)[:60]!r}); SIPRI's exports start with a "
            f"title and a row of column names: was the file cut, or saved without its first lines?{shape}",
            row=rows.lines[0],
        )
    if nearest:
        raise InputError(path, f"not a complete {FORMATS[nearest].description}: {where}{shape}")
    raise InputError(path, f"not an export this package reads ({', '.join(FORMATS)}): {where}{shape}")


def read(path: str | Path, format: str | None = None, *, recipients: frozenset[str] | None = None) -> Export:
    """Read an export with the reader of its format (detected from the file unless named).

    ``recipients`` lets a register reader skip the rows of other recipients
    (older registers hold damaged rows for some).
    """
    path = Path(path)
    if format is None:
        found = detect(path)
        format, rows = found.format, found.rows
    else:
        if format not in FORMATS:
            raise InputError(path, f"unknown export kind {format!r}; choose one of {', '.join(FORMATS)}")
        rows = None
    return FORMATS[format].read(path, rows, recipients=recipients)
