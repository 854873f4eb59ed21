"""Tell which export a file is, from what the file says about itself.

The format is recognised from a header row that only that format has (never
from the first row that happens to hold numbers):

========================= ==============================================================
format                    recognised by
========================= ==============================================================
``sipri-tiv``             a year header under a "TIV of arms exports ..." title, or a
                          "Recipient"/"Supplier" row of years ("Volume of transfers of
                          major arms", one or many tables)
``sipri-register``        a "Recipient,Supplier,Year of order,..." or "Id,Supplier,
                          Recipient,..." header (with or without the preamble)
``sipri-transfers``       a "SIPRI AT Database ID,...,Delivery year,...,TIV delivery
                          values,..." header (the per-delivery export)
``mirror-json``           a ``.json`` file (the third-party per-delivery mirror)
``imf-dots``              an ``.xlsx`` workbook (IMF Direction of Trade Statistics)
========================= ==============================================================

A file that fits none of them gets an :class:`~sinoiran.base.errors.InputError`
that names the nearest format and the first line that did not fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sinoiran.base.errors import InputError
from sinoiran.readers.sipri_tiv import _header_kind, read_csv_rows
from sinoiran.readers.transfers import is_transfers_header

#: What each format is, in words (for messages and the command line's report).
FORMATS: dict[str, str] = {
    "sipri-tiv": "SIPRI TIV table (a 'TIV of arms exports' table or 'Volume of transfers of major arms' tables)",
    "sipri-register": "SIPRI trade register (one row per deal)",
    "sipri-transfers": "SIPRI transfers export (one row per deal and delivery year)",
    "mirror-json": "per-delivery JSON mirror of SIPRI data (derived, not a SIPRI export)",
    "imf-dots": "IMF Direction of Trade Statistics workbook",
}

#: Words in a preamble that point to a format even when its header is damaged.
_HINTS = [
    ("SIPRI AT Database ID", "sipri-transfers"),
    ("TIV delivery values", "sipri-transfers"),
    ("Weapon designation", "sipri-register"),
    ("Transfers of major conventional arms", "sipri-register"),
    ("TIV of arms exports", "sipri-tiv"),
    ("Volume of transfers of major arms", "sipri-tiv"),
    ("trend-indicator value", "sipri-tiv"),
]


@dataclass(frozen=True)
class Detected:
    """A recognised file: its format, and the line of the header that gave it away (1-based; 0 if none)."""

    format: str
    line: int

    @property
    def description(self) -> str:
        return FORMATS[self.format]


def is_register_header(row: list[str]) -> bool:
    """True if a CSV row is the header of a SIPRI trade register (any layout)."""
    cells = [c.strip() for c in row]
    return cells[:3] == ["Id", "Supplier", "Recipient"] or (
        cells[:2] == ["Recipient", "Supplier"] and "Weapon designation" in cells
    )


def detect(path: str | Path) -> Detected:
    """The format of an export file, or an ``InputError`` naming the nearest format and the line that did not fit."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found")
    if path.is_dir():
        raise InputError(path, "is a folder, not an export file")
    suffix = path.suffix.lower()
    if suffix == ".json":
        return Detected("mirror-json", 0)
    if suffix in (".xlsx", ".xls"):
        return Detected("imf-dots", 0)
    rows, lines = read_csv_rows(path)
    for row, line in zip(rows, lines, strict=True):
        if is_transfers_header(row):
            return Detected("sipri-transfers", line)
        if is_register_header(row):
            return Detected("sipri-register", line)
        if _header_kind(row):
            return Detected("sipri-tiv", line)
    text = "\n".join(",".join(r) for r in rows[:60])
    nearest = next((fmt for hint, fmt in _HINTS if hint.lower() in text.lower()), None)
    misfit = next(((r, n) for r, n in zip(rows, lines, strict=True) if sum(1 for c in r if c) >= 3), None)
    where = f"line {misfit[1]} ({','.join(misfit[0])[:70]!r}) is no header it knows" if misfit else "no header row"
    if nearest:
        raise InputError(path, f"not a complete {FORMATS[nearest]}: {where}")
    raise InputError(path, f"not an export this package reads ({', '.join(FORMATS)}): {where}")
