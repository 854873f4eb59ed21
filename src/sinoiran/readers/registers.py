"""Read SIPRI trade registers (deal-level records) in the three layouts we hold.

* c. 2013 layout: ``Id, Supplier, Recipient, No. ordered, ...`` with
  "Yes" uncertainty columns, a delivery range "1994 - 2012" and no TIV.
* 2024 layout: ``Recipient, Supplier, Year of order, ' ', Number ordered, ...``
  where each blank-named column is the "?" uncertainty flag of the column before
  it, deliveries as a "2000; 2001" list, and three TIV columns per deal.
* 2026 layout: the 2024 columns behind a metadata header ("Data generated: ..."),
  with "Deliveries in the Year Range" instead of "Number delivered": numbers and
  years then cover only the years the export was made for (stated in the header;
  ``delivered_scope`` is "unstated" for an export saved without its preamble).

Every layout is recognised from its header row, with or without the preamble.

The tidy output keeps figures, designations and SIPRI's short weapon
descriptions; SIPRI's free-text comments are not carried over.
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
from sinoiran.readers.sipri_tiv import parse_generated, read_csv_rows

#: Columns of the tidy register table, in order.
REGISTER_COLUMNS = [
    "vintage",
    "supplier",
    "recipient",
    "designation",
    "description",
    "order_year",
    "order_year_uncertain",
    "number_ordered",
    "number_ordered_uncertain",
    "number_delivered",
    "number_delivered_uncertain",
    "delivery_first",
    "delivery_last",
    "delivery_years",
    "delivered_scope",
    "status",
    "tiv_per_unit",
    "tiv_total_order",
    "tiv_delivered",
]

_RANGE = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")
_SCOPE = re.compile(r"year range '(\d{4})' to '(\d{4})'")


@dataclass(frozen=True)
class Register:
    """A parsed register: its layout, generation date if printed, and deals."""

    path: Path
    layout: str
    generated: dt.date | None
    deals: pd.DataFrame


def _int(path: Path, cell: str, column: str, row: int) -> int | None:
    if cell == "":
        return None
    if not re.fullmatch(r"\d+", cell):
        raise InputError(path, f"not a whole number: {cell!r}", column=column, row=row)
    return int(cell)


def _float(path: Path, cell: str, column: str, row: int) -> float | None:
    return parse_number(path, cell, column, row)


def _years(path: Path, cell: str, column: str, row: int) -> tuple[int | None, int | None, str]:
    """Delivery years: (first, last, ';'-joined list or '' when only a range is given)."""
    if cell == "":
        return None, None, ""
    match = _RANGE.match(cell)
    if match:
        first, last = int(match[1]), int(match[2])
        if last < first:
            raise InputError(path, f"delivery range ends before it starts: {cell!r}", column=column, row=row)
        return first, last, ""
    parts = [p.strip() for p in cell.split(";") if p.strip()]
    if not all(re.fullmatch(r"\d{4}", p) for p in parts):
        raise InputError(path, f"unreadable delivery years {cell!r}", column=column, row=row)
    years = sorted(int(p) for p in parts)
    return years[0], years[-1], ";".join(str(y) for y in years)


def _locate(path: Path, rows: list[list[str]]) -> tuple[int, str]:
    for i, row in enumerate(rows):
        if row[:3] == ["Id", "Supplier", "Recipient"]:
            return i, "2013"
        if row[:2] == ["Recipient", "Supplier"]:
            return i, "2026" if "Deliveries in the Year Range" in row else "2024"
    raise InputError(
        path, "no trade-register header row found (expected 'Id,Supplier,Recipient' or 'Recipient,Supplier,...')"
    )


def read_register(
    path: str | Path, vintage: str, *, recipient: str | None = None, recipients: frozenset[str] | None = None
) -> Register:
    """Parse a SIPRI trade register CSV into the tidy deal table.

    ``vintage`` labels the release the export came from (registers before the
    2026 layout print no generation date, so the caller states it).
    ``recipient`` (or several, ``recipients``), when given, keeps only deals with that recipient; the
    rows of other recipients are not parsed at all.
    """
    path = Path(path)
    rows, lines = read_csv_rows(path)
    header_idx, layout = _locate(path, rows)
    header = rows[header_idx]
    preamble = "\n".join(",".join(r) for r in rows[:header_idx])
    generated = parse_generated(preamble)
    scope = "all"
    if layout == "2026":
        match = _SCOPE.search(preamble)
        # Saved without its preamble, the export no longer says which years it was restricted to.
        scope = f"{match[1]}-{match[2]}" if match else "unstated"

    def col(name: str) -> int:
        try:
            return header.index(name)
        except ValueError:
            raise InputError(path, f"missing column {name!r}", row=lines[header_idx]) from None

    if layout == "2013":
        idx = {
            k: col(k)
            for k in [
                "Supplier",
                "Recipient",
                "No. ordered",
                "No. ordered data uncertain",
                "Designation",
                "Description",
                "Status",
                "Year of order",
                "Year of order data uncertain",
                "Year(s) of deliveries",
                "No. delivered",
                "Year(s) of delivery or no. delivered data uncertain",
            ]
        }
        flag = "Yes"
    else:
        delivered_name = "Deliveries in the Year Range" if layout == "2026" else "Number delivered"
        idx = {
            k: col(k)
            for k in [
                "Recipient",
                "Supplier",
                "Year of order",
                "Number ordered",
                "Weapon designation",
                "Weapon description",
                delivered_name,
                "Year(s) of delivery",
                "status",
                "SIPRI TIV per unit",
                "SIPRI TIV for total order",
                "SIPRI TIV of delivered weapons",
            ]
        }
        idx["Number delivered"] = idx.pop(delivered_name)
        flag = "?"
    width = max(idx.values()) + 1

    records: list[dict[str, object]] = []
    for i in range(header_idx + 1, len(rows)):
        row, line = rows[i], lines[i]
        if not any(row):
            continue
        cell = lambda name, row=row: row[idx[name]] if idx[name] < len(row) else ""  # noqa: E731
        # Filter before anything else: rows outside the subset are not read
        # further. (Both older registers hold damaged rows for other
        # recipients: a '194 - 2008' delivery range in the c. 2013 file and a
        # record broken over two lines in the 2024 file.)
        wanted = recipients if recipients is not None else (frozenset({recipient}) if recipient else None)
        if wanted is not None and canonical_country(cell("Recipient")) not in wanted:
            continue
        if len(row) < width:
            raise InputError(path, f"truncated row: {len(row)} cells where the header needs {width}", row=line)
        supplier, recip = cell("Supplier"), cell("Recipient")
        if not supplier or not recip:
            raise InputError(path, "deal without supplier or recipient", row=line)
        supplier, recip = canonical_country(supplier), canonical_country(recip)
        if layout == "2013":
            first, last, listed = _years(path, row[idx["Year(s) of deliveries"]], "Year(s) of deliveries", line)
            uncertain_delivery = row[idx["Year(s) of delivery or no. delivered data uncertain"]] == flag
            rec: dict[str, object] = dict(
                designation=row[idx["Designation"]],
                description=row[idx["Description"]],
                order_year=_int(path, row[idx["Year of order"]], "Year of order", line),
                order_year_uncertain=row[idx["Year of order data uncertain"]] == flag,
                number_ordered=_int(path, row[idx["No. ordered"]], "No. ordered", line),
                number_ordered_uncertain=row[idx["No. ordered data uncertain"]] == flag,
                number_delivered=_int(path, row[idx["No. delivered"]], "No. delivered", line),
                number_delivered_uncertain=uncertain_delivery,
                status=row[idx["Status"]],
                tiv_per_unit=None,
                tiv_total_order=None,
                tiv_delivered=None,
            )
        else:
            first, last, listed = _years(path, row[idx["Year(s) of delivery"]], "Year(s) of delivery", line)
            # Each unnamed column after a value is that value's "?" flag.
            rec = dict(
                designation=row[idx["Weapon designation"]],
                description=row[idx["Weapon description"]],
                order_year=_int(path, row[idx["Year of order"]], "Year of order", line),
                order_year_uncertain=row[idx["Year of order"] + 1] == flag,
                number_ordered=_int(path, row[idx["Number ordered"]], "Number ordered", line),
                number_ordered_uncertain=row[idx["Number ordered"] + 1] == flag,
                number_delivered=_int(path, row[idx["Number delivered"]], "Number delivered", line),
                number_delivered_uncertain=row[idx["Number delivered"] + 1] == flag,
                status=row[idx["status"]],
                tiv_per_unit=_float(path, row[idx["SIPRI TIV per unit"]], "SIPRI TIV per unit", line),
                tiv_total_order=_float(path, row[idx["SIPRI TIV for total order"]], "SIPRI TIV for total order", line),
                tiv_delivered=_float(
                    path, row[idx["SIPRI TIV of delivered weapons"]], "SIPRI TIV of delivered weapons", line
                ),
            )
        rec.update(
            vintage=vintage,
            supplier=supplier,
            recipient=recip,
            delivery_first=first,
            delivery_last=last,
            delivery_years=listed,
            delivered_scope=scope,
        )
        records.append(rec)

    deals = pd.DataFrame.from_records(records, columns=REGISTER_COLUMNS)
    for name in ["order_year", "number_ordered", "number_delivered", "delivery_first", "delivery_last"]:
        deals[name] = deals[name].astype("Int64")
    for name in ["tiv_per_unit", "tiv_total_order", "tiv_delivered"]:
        deals[name] = deals[name].astype("float64")
    for name in ["order_year_uncertain", "number_ordered_uncertain", "number_delivered_uncertain"]:
        deals[name] = deals[name].astype("bool")
    deals = deals.sort_values(
        ["supplier", "recipient", "order_year", "designation"], kind="stable", na_position="first"
    ).reset_index(drop=True)
    return Register(path=path, layout=layout, generated=generated, deals=deals)
