"""Read SIPRI's per-delivery transfers export: one row per deal and delivery year, every country pair at once.

Two layouts are in circulation (both read from real downloads; see
``tests/fixtures/README.md``):

* the current site's ("Transfers of major conventional arms from All
  countries to All countries ...", ``Data generated: 12 Feb 2026 ...``):
  comma-separated, often with a ``;`` at the end of every line, header
  ``SIPRI AT Database ID,Supplier,Recipient,Designation,...``;
* the 2023 interim site's ("Database search results for buyer 'All
  Countries' and seller 'All Countries' ... (created: 11-03-2023)"):
  semicolon-separated, ``Deal ID;Seller;Buyer;...``, and a copyright footer.

The columns, as SIPRI defines them:

* ``TIV delivery values``: the volume delivered that year, in millions of
  SIPRI TIV (a volume index, not money). Summed by supplier, recipient and
  delivery year, these give the same tidy table as SIPRI's TIV tables.
* ``SIPRI estimate``: a **number**, the unit TIV of the weapon as new
  (millions of TIV per item); ``TIV deal unit``: the unit TIV in this deal,
  lower for second-hand weapons (``Status`` "Second hand", "Second hand but
  modernized"). Their ratio is 1 for new weapons.
* ``Order date is estimate``, ``Numbers delivered is estimate``, ``Delivery
  year is estimate``: Yes/No flags; an empty flag means SIPRI did not say
  (kept as unknown, never as "no").
* ``Local production``: Yes/No, production under licence in the recipient.

Rows with neither a delivery year nor a value are orders not delivered yet
(exports "with deliveries or orders"): counted apart, not read as deliveries.
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
from sinoiran.readers.preamble import parse_generated, requested_years
from sinoiran.readers.text import Rows, preamble_text, read_rows

#: Columns of the tidy long table (shared with the TIV tables' reader).
TIDY_COLUMNS = ["vintage", "supplier", "recipient", "year", "tiv"]

#: The export's columns, by the project's name: (current site's header, interim site's header).
COLUMNS: dict[str, tuple[str, str]] = {
    "deal_id": ("SIPRI AT Database ID", "Deal ID"),
    "supplier": ("Supplier", "Seller"),
    "recipient": ("Recipient", "Buyer"),
    "designation": ("Designation", "Designation"),
    "description": ("Description", "Description"),
    "category": ("Armament category", "Armament category"),
    "order_date": ("Order date", "Order date"),
    "order_date_estimated": ("Order date is estimate", "Order date is estimate"),
    "numbers_delivered": ("Numbers delivered", "Numbers delivered"),
    "numbers_estimated": ("Numbers delivered is estimate", "Numbers delivered is estimate"),
    "year": ("Delivery year", "Delivery year"),
    "year_estimated": ("Delivery year is estimate", "Delivery year is estimate"),
    "status": ("Status", "Status"),
    "unit_tiv_new": ("SIPRI estimate", "SIPRI estimate"),
    "unit_tiv_deal": ("TIV deal unit", "TIV deal unit"),
    "tiv": ("TIV delivery values", "TIV delivery values"),
    "local_production": ("Local production", "Local production"),
}
#: The header of the current site's export, as SIPRI prints it.
HEADER = [pair[0] for pair in COLUMNS.values()]
#: The ``... is estimate`` flags: empty means SIPRI did not say.
FLAGS = ("order_date_estimated", "numbers_estimated", "year_estimated")
_YES = {"yes", "y", "true"}
_NO = {"no", "n", "false"}
_SCOPE = re.compile(r"from\s+(?P<from>.+?)\s+to\s+(?P<to>.+?)\s*\.", re.I)
_SCOPE_INTERIM = re.compile(r"buyer '(?P<to>[^']+)' and seller\s+'(?P<from>[^']+)'", re.I)
_ALL = {"all countries", "all"}


@dataclass(frozen=True)
class Transfers:
    """A parsed transfers export: what it says about itself, and one row per delivery."""

    path: Path
    layout: str  # "current site" or "2023 interim site"
    generated: dt.date | None
    scope: str  # "from X to Y", as the preamble states it, or "not stated"
    all_suppliers: bool  # the preamble says the export is from all countries (so each recipient is complete)
    requested: tuple[int, int] | None  # the delivery years the export was made for, if stated
    every_year: bool  # the preamble says no years were chosen ("year range 'Not specified'"): all of SIPRI's years
    deliveries: pd.DataFrame  # one row per deal and delivery year; see :data:`DELIVERY_COLUMNS`
    undelivered: int = 0  # rows with neither a delivery year nor a TIV value (orders not yet delivered)

    @property
    def last_year(self) -> int:
        """The last delivery year in the rows."""
        return int(self.deliveries["year"].max())


#: Columns of :attr:`Transfers.deliveries`.
DELIVERY_COLUMNS = [
    "deal_id",
    "supplier",
    "recipient",
    "designation",
    "description",
    "category",
    "order_year",
    "order_date_estimated",
    "numbers_delivered",
    "numbers_estimated",
    "year",
    "year_estimated",
    "status",
    "second_hand",
    "unit_tiv_new",
    "unit_tiv_deal",
    "tiv",
    "local_production",
]


def header_layout(row: list[str]) -> str | None:
    """'current site' or '2023 interim site' if a row is a transfers export's header, else None."""
    cells = {c.strip() for c in row}
    if not {"TIV delivery values", "Delivery year"} <= cells:
        return None
    if {"SIPRI AT Database ID", "Supplier", "Recipient"} <= cells:
        return "current site"
    if {"Deal ID", "Seller", "Buyer"} <= cells:
        return "2023 interim site"
    return None


def is_transfers_header(row: list[str]) -> bool:
    """True if a row is the header of a per-delivery transfers export (either layout)."""
    return header_layout(row) is not None


def _flag(path: Path, cell: str, column: str, row: int) -> bool | None:
    text = cell.strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    if text == "":
        return None
    raise InputError(path, f"not a Yes/No flag: {cell!r}", column=column, row=row)


def read_transfers(path: str | Path, rows: Rows | None = None) -> Transfers:
    """Parse a per-delivery transfers export of either layout.

    Raises :class:`~sinoiran.base.errors.InputError` naming file, column and row
    for a missing header or column, a truncated row, a delivery value without a
    year, an unreadable number or flag, or a row without supplier or recipient.
    """
    path = Path(path)
    rows = rows or read_rows(path)
    found = next(((i, header_layout(r)) for i, r in enumerate(rows.rows) if header_layout(r)), None)
    if found is None:
        raise InputError(path, "no transfers header found (expected 'SIPRI AT Database ID,Supplier,Recipient,...')")
    header_idx, layout = found
    assert layout is not None
    header = rows.rows[header_idx]
    pick = 0 if layout == "current site" else 1
    names = {key: pair[pick] for key, pair in COLUMNS.items()}
    missing = [name for name in names.values() if name not in header]
    if missing:
        raise InputError(
            path, f"missing column(s): {', '.join(missing)}", column=missing[0], row=rows.lines[header_idx]
        )
    idx = {key: header.index(name) for key, name in names.items()}
    width = max(idx.values()) + 1
    preamble = preamble_text(rows, header_idx)
    scope_match = _SCOPE.search(preamble) or _SCOPE_INTERIM.search(preamble)
    scope = f"from {scope_match['from'].strip()} to {scope_match['to'].strip()}" if scope_match else "not stated"
    all_suppliers = scope_match is not None and scope_match["from"].strip().lower() in _ALL

    records = []
    undelivered = 0
    for i in range(header_idx + 1, len(rows.rows)):
        row, line = rows.rows[i], rows.lines[i]
        if not any(row):
            continue
        if len(row) < width:
            raise InputError(
                path,
                f"truncated row: {len(row)} cells where the header has {width}",
                column=header[len(row)] if len(row) < len(header) else None,
                row=line,
            )

        def cell(key: str, row: list[str] = row) -> str:
            return row[idx[key]].strip()

        year = parse_number(path, cell("year"), names["year"], line, whole=True)
        tiv = parse_number(path, cell("tiv"), names["tiv"], line)
        if year is None:
            if tiv is None:  # an order with nothing delivered yet: not a delivery, counted apart
                undelivered += 1
                continue
            raise InputError(path, "a delivery value without a delivery year", column=names["year"], row=line)
        supplier, recipient = canonical_country(cell("supplier")), canonical_country(cell("recipient"))
        if not supplier or not recipient:
            raise InputError(path, "row without a supplier or recipient", column=names["supplier"], row=line)
        order = re.match(r"^(\d{4})", cell("order_date"))
        status = cell("status")
        records.append(
            {
                "deal_id": cell("deal_id"),
                "supplier": supplier,
                "recipient": recipient,
                "designation": cell("designation"),
                "description": cell("description"),
                "category": cell("category"),
                "order_year": int(order[1]) if order else None,
                "order_date_estimated": _flag(path, cell("order_date_estimated"), names["order_date_estimated"], line),
                "numbers_delivered": parse_number(
                    path, cell("numbers_delivered"), names["numbers_delivered"], line, whole=True
                ),
                "numbers_estimated": _flag(path, cell("numbers_estimated"), names["numbers_estimated"], line),
                "year": int(year),
                "year_estimated": _flag(path, cell("year_estimated"), names["year_estimated"], line),
                "status": status,
                "second_hand": status.lower().startswith("second hand") if status else None,
                "unit_tiv_new": parse_number(path, cell("unit_tiv_new"), names["unit_tiv_new"], line),
                "unit_tiv_deal": parse_number(path, cell("unit_tiv_deal"), names["unit_tiv_deal"], line),
                "tiv": tiv,
                "local_production": _flag(path, cell("local_production"), names["local_production"], line),
            }
        )
    if not records:
        raise InputError(path, "no delivery rows after the header", row=rows.lines[header_idx])
    last = rows.rows[-1]
    if not rows.ends_with_newline and len(last) >= width and last[idx["local_production"]] == "":
        # SIPRI fills 'Local production' on every row: empty in a last line without a line end, the file was cut there.
        raise InputError(
            path,
            "the last row ends without a line end and without its 'Local production' flag: the file looks cut short "
            "(if it is complete, end it with a line end)",
            column=names["local_production"],
            row=rows.lines[-1],
        )
    deliveries = pd.DataFrame.from_records(records, columns=DELIVERY_COLUMNS)
    deliveries["order_year"] = deliveries["order_year"].astype("Int64")
    deliveries["numbers_delivered"] = deliveries["numbers_delivered"].astype("Int64")
    for flag in (*FLAGS, "second_hand", "local_production"):
        deliveries[flag] = deliveries[flag].astype("boolean")
    return Transfers(
        path=path,
        layout=layout,
        generated=parse_generated(preamble),
        scope=scope,
        all_suppliers=all_suppliers,
        requested=requested_years(preamble),
        every_year="'not specified'" in preamble.lower(),
        deliveries=deliveries,
        undelivered=undelivered,
    )


def any_estimate(deliveries: pd.DataFrame) -> pd.Series:
    """True for deliveries SIPRI marks as estimated in any of its flags (unknown flags count as not marked)."""
    return deliveries[list(FLAGS)].fillna(False).any(axis=1).astype(bool)


def tidy(transfers: Transfers, vintage: str) -> pd.DataFrame:
    """Long table ``vintage, supplier, recipient, year, tiv`` (millions of TIV), summed over deliveries.

    Sums are rounded to 1e-6 only to drop floating-point noise (the export's
    values carry decimals; SIPRI's tables print whole millions).
    """
    rows = transfers.deliveries
    out = rows.groupby(["supplier", "recipient", "year"], as_index=False)["tiv"].sum()
    out["tiv"] = out["tiv"].round(6)
    out.insert(0, "vintage", vintage)
    return out[TIDY_COLUMNS].sort_values(["supplier", "recipient", "year"], kind="stable").reset_index(drop=True)


def estimate_report(transfers: Transfers) -> pd.DataFrame:
    """Per supplier, recipient and year: the TIV, the part SIPRI marks as estimated, and deliveries with unknown flags.

    Columns: ``supplier, recipient, year, tiv, tiv_estimated`` (millions of TIV)
    ``flags_unknown`` (deliveries with an empty ``... is estimate`` flag) and
    ``unvalued_deliveries`` (deliveries without a TIV value, left out of ``tiv``).
    """
    rows = transfers.deliveries.assign(estimated=any_estimate(transfers.deliveries))
    rows = rows.assign(
        tiv_estimated=rows["tiv"].where(rows["estimated"], 0.0),
        flags_unknown=rows[list(FLAGS)].isna().any(axis=1),
        unvalued=rows["tiv"].isna(),
    )
    return rows.groupby(["supplier", "recipient", "year"], as_index=False).agg(
        tiv=("tiv", "sum"),
        tiv_estimated=("tiv_estimated", "sum"),
        flags_unknown=("flags_unknown", "sum"),
        unvalued_deliveries=("unvalued", "sum"),
    )
