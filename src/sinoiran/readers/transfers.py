"""Read SIPRI's per-delivery transfers export: one row per deal and delivery year, every country pair at once.

The export of SIPRI's current site ("Transfers of major conventional arms from
All countries to All countries ...") opens with a preamble that ends with a line
such as ``Data generated: 3 Jan 2025 9:16:02 PM``, then a header::

    SIPRI AT Database ID, Supplier, Recipient, Designation, Description, Armament category,
    Order date, Order date is estimate, Numbers delivered, Numbers delivered is estimate,
    Delivery year, Delivery year is estimate, Status, SIPRI estimate, TIV deal unit,
    TIV delivery values, Local production

Summed by supplier, recipient and delivery year, the ``TIV delivery values``
(millions of SIPRI TIV, a volume index, not money) give the same tidy table as
SIPRI's TIV tables. The ``... is estimate`` and ``SIPRI estimate`` flags are kept
in :attr:`Transfers.deliveries`, and :func:`tidy` reports, for each pair and
year, the part of the volume that rests on an estimate.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sinoiran.base.errors import InputError
from sinoiran.base.names import canonical_country
from sinoiran.readers.cells import parse_number
from sinoiran.readers.sipri_tiv import TIDY_COLUMNS, parse_generated, read_csv_rows

#: The header of the export, as SIPRI prints it.
HEADER = [
    "SIPRI AT Database ID",
    "Supplier",
    "Recipient",
    "Designation",
    "Description",
    "Armament category",
    "Order date",
    "Order date is estimate",
    "Numbers delivered",
    "Numbers delivered is estimate",
    "Delivery year",
    "Delivery year is estimate",
    "Status",
    "SIPRI estimate",
    "TIV deal unit",
    "TIV delivery values",
    "Local production",
]
FLAGS = ["Order date is estimate", "Numbers delivered is estimate", "Delivery year is estimate", "SIPRI estimate"]
_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0", ""}
_PREAMBLE = re.compile(r"^Transfers of major conventional arms from\s+(?P<from>.+?)\s+to\s+(?P<to>.+?)\s*\.", re.I)


@dataclass(frozen=True)
class Transfers:
    """A parsed transfers export: its generation date, what it covers, and one row per delivery."""

    path: Path
    generated: dt.date
    scope: str  # "from X to Y" as the preamble states it
    deliveries: pd.DataFrame  # deal_id, supplier, recipient, designation, description, category, order_year,
    # numbers_delivered, year, tiv, local_production, and one boolean column per estimate flag
    undelivered: int = 0  # rows with neither a delivery year nor a TIV value (orders not yet delivered)

    @property
    def default_vintage(self) -> str:
        """The vintage label used when none is given: the year of generation."""
        return str(self.generated.year)


def is_transfers_header(row: list[str]) -> bool:
    """True if a CSV row is the header of the per-delivery transfers export."""
    cells = [c.strip() for c in row]
    return "SIPRI AT Database ID" in cells and "TIV delivery values" in cells and "Delivery year" in cells


def _flag(path: Path, cell: str, column: str, row: int) -> bool:
    text = cell.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InputError(path, f"not a yes/no flag: {cell!r}", column=column, row=row)


def read_transfers(path: str | Path) -> Transfers:
    """Parse a per-delivery transfers export.

    Raises :class:`~sinoiran.base.errors.InputError` naming file, column and row
    for a missing header or column, a missing generation date, a truncated row,
    a delivery without a year, or an unreadable number or flag.
    """
    path = Path(path)
    rows, lines = read_csv_rows(path)
    header_idx = next((i for i, row in enumerate(rows) if is_transfers_header(row)), None)
    if header_idx is None:
        raise InputError(path, "no transfers header found (expected 'SIPRI AT Database ID,Supplier,Recipient,...')")
    header = [c.strip() for c in rows[header_idx]]
    missing = [name for name in HEADER if name not in header]
    if missing:
        raise InputError(path, f"missing column(s): {', '.join(missing)}", column=missing[0], row=lines[header_idx])
    preamble = "\n".join(",".join(r) for r in rows[:header_idx])
    generated = parse_generated(preamble)
    if generated is None:
        raise InputError(
            path, "no generation date ('Data generated: <day> <month> <year>') before the header", row=lines[header_idx]
        )
    scope_match = _PREAMBLE.search(preamble)
    scope = f"from {scope_match['from']} to {scope_match['to']}" if scope_match else "not stated"
    idx = {name: header.index(name) for name in HEADER}
    width = max(idx.values()) + 1

    records = []
    undelivered = 0
    for i in range(header_idx + 1, len(rows)):
        row, line = rows[i], lines[i]
        if not any(row):
            continue
        if len(row) < width:
            raise InputError(
                path,
                f"truncated row: {len(row)} cells where the header has {width}",
                column=header[len(row)] if len(row) < len(header) else None,
                row=line,
            )

        def cell(name: str, row: list[str] = row) -> str:
            return row[idx[name]].strip()

        year = parse_number(path, cell("Delivery year"), "Delivery year", line, whole=True)
        tiv = parse_number(path, cell("TIV delivery values"), "TIV delivery values", line)
        if year is None:
            if tiv is None:  # an order with nothing delivered yet: not a delivery, counted apart
                undelivered += 1
                continue
            raise InputError(path, "a delivery value without a delivery year", column="Delivery year", row=line)
        order = cell("Order date")
        order_year = re.match(r"^(\d{4})", order)
        record = {
            "deal_id": cell("SIPRI AT Database ID"),
            "supplier": canonical_country(cell("Supplier")),
            "recipient": canonical_country(cell("Recipient")),
            "designation": cell("Designation"),
            "description": cell("Description"),
            "category": cell("Armament category"),
            "order_year": int(order_year[1]) if order_year else None,
            "numbers_delivered": parse_number(path, cell("Numbers delivered"), "Numbers delivered", line, whole=True),
            "year": int(year),
            "tiv": tiv,
            "local_production": _flag(path, cell("Local production"), "Local production", line),
        }
        for flag in FLAGS:
            record[flag.lower().replace(" ", "_")] = _flag(path, cell(flag), flag, line)
        if not record["supplier"] or not record["recipient"]:
            raise InputError(path, "row without a supplier or recipient", column="Supplier", row=line)
        records.append(record)
    if not records:
        raise InputError(path, "no delivery rows after the header", row=lines[header_idx])
    deliveries = pd.DataFrame(records)
    deliveries["order_year"] = deliveries["order_year"].astype("Int64")
    deliveries["numbers_delivered"] = deliveries["numbers_delivered"].astype("Float64")
    return Transfers(path=path, generated=generated, scope=scope, deliveries=deliveries, undelivered=undelivered)


def any_estimate(deliveries: pd.DataFrame) -> pd.Series:
    """True for the deliveries that rest on one of SIPRI's estimate flags."""
    return deliveries[[f.lower().replace(" ", "_") for f in FLAGS]].any(axis=1)


def tidy(transfers: Transfers, vintage: str | None = None) -> pd.DataFrame:
    """Long table ``vintage, supplier, recipient, year, tiv`` (millions of TIV), summed over deliveries.

    Deliveries without a TIV value are left out of the sums (see :func:`estimate_report`).
    """
    rows = transfers.deliveries.dropna(subset=["tiv"])
    out = rows.groupby(["supplier", "recipient", "year"], as_index=False)["tiv"].sum()
    out.insert(0, "vintage", vintage or transfers.default_vintage)
    return out[TIDY_COLUMNS].sort_values(["supplier", "recipient", "year"], kind="stable").reset_index(drop=True)


def estimate_report(transfers: Transfers) -> pd.DataFrame:
    """Per supplier, recipient and year: the TIV, the part of it that rests on an estimate, and unvalued deliveries."""
    rows = transfers.deliveries.assign(estimated=any_estimate(transfers.deliveries))
    rows = rows.assign(tiv_estimated=rows["tiv"].where(rows["estimated"], 0.0), unvalued=rows["tiv"].isna())
    return rows.groupby(["supplier", "recipient", "year"], as_index=False).agg(
        tiv=("tiv", "sum"), tiv_estimated=("tiv_estimated", "sum"), unvalued_deliveries=("unvalued", "sum")
    )
