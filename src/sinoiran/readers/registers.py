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
Real registers also come with Windows-1252 bytes, CR-only line ends, and
records broken over two lines by a line end inside a comment (the 2024 file
has one); a short row whose next line completes it to the header's width is
joined back (:func:`_rejoin`), anything else short is refused.

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
from sinoiran.readers.preamble import parse_generated
from sinoiran.readers.text import Rows, preamble_text, read_rows

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
    "uncertain_since",
    "replaces_order_year",
    "cancelled_year",
]

#: What SIPRI's free-text comments say that the analysis needs, kept as years (the prose itself is not kept):
#: "status since 2010 uncertain (due to UN arms embargo)", "replacing 2007 order ...", "cancelled 2010".
_UNCERTAIN = re.compile(r"status since (\d{4}) uncertain", re.I)
_REPLACES = re.compile(r"replacing (\d{4}) order", re.I)
_CANCELLED = re.compile(r"cancelled (?:in )?(\d{4})", re.I)


def comment_years(comment: str) -> dict[str, int | None]:
    """The years a register comment gives: since when a deal's status is uncertain, which earlier order it
    replaces, and when an order was cancelled (None where the comment does not say)."""
    found = {}
    for key, pattern in (
        ("uncertain_since", _UNCERTAIN),
        ("replaces_order_year", _REPLACES),
        ("cancelled_year", _CANCELLED),
    ):
        match = pattern.search(comment or "")
        found[key] = int(match[1]) if match else None
    return found


_RANGE = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")
_SCOPE = re.compile(r"year range '(\d{4})' to '(\d{4})'")


@dataclass(frozen=True)
class Register:
    """A parsed register: its layout, generation date if printed, and deals."""

    path: Path
    layout: str
    generated: dt.date | None
    deals: pd.DataFrame
    recipients_seen: frozenset[str] = frozenset()  # every recipient the file names (project spelling), kept or not
    rejoined: tuple[int, ...] = ()  # lines where a record broken over two lines was joined back

    @property
    def last_year(self) -> int | None:
        """The last delivery year among the deals read."""
        last = self.deals["delivery_last"].dropna()
        return int(last.max()) if len(last) else None


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


def header_layout(row: list[str]) -> str | None:
    """'2013', '2024' or '2026' if a row is a trade register's header, else None."""
    cells = [c.strip() for c in row]
    if cells[:3] == ["Id", "Supplier", "Recipient"]:
        return "2013"
    if cells[:2] == ["Recipient", "Supplier"] and ("Weapon designation" in cells or "Year of order" in cells):
        return "2026" if "Deliveries in the Year Range" in cells else "2024"
    return None


def _locate(path: Path, rows: list[list[str]]) -> tuple[int, str]:
    for i, row in enumerate(rows):
        layout = header_layout(row)
        if layout:
            return i, layout
    raise InputError(
        path, "no trade-register header row found (expected 'Id,Supplier,Recipient' or 'Recipient,Supplier,...')"
    )


def _rejoin(
    rows: list[list[str]], lines: list[int], start: int, width: int
) -> tuple[list[list[str]], list[int], list[int]]:
    """Join records that a line end inside a cell broke in two: a short row whose next row, appended with
    its first cell continuing the last cell, gives exactly ``width`` cells. Returns rows, lines and the
    lines joined."""
    out_rows, out_lines, joined = rows[:start], lines[:start], []
    i = start
    while i < len(rows):
        row = rows[i]
        if 0 < len(row) < width and i + 1 < len(rows) and len(row) + len(rows[i + 1]) - 1 == width:
            nxt = rows[i + 1]
            out_rows.append([*row[:-1], f"{row[-1]} {nxt[0]}".strip(), *nxt[1:]])
            out_lines.append(lines[i])
            joined.append(lines[i])
            i += 2
            continue
        out_rows.append(row)
        out_lines.append(lines[i])
        i += 1
    return out_rows, out_lines, joined


def recipient_names(path: str | Path, rows: Rows | None = None) -> frozenset[str]:
    """Every recipient a register names (project spelling), without parsing its deals."""
    rows = rows or read_rows(Path(path))
    header_idx, _layout = _locate(Path(path), rows.rows)
    col = rows.rows[header_idx].index("Recipient")
    return frozenset(canonical_country(r[col]) for r in rows.rows[header_idx + 1 :] if len(r) > col and r[col].strip())


def _check_last_row(path: Path, deal: dict[str, object], line: int) -> None:
    """Refuse a last row whose TIV of delivered weapons falls short of its unit TIV times the number delivered,
    in a file without a final line end: the file was most likely cut inside that number."""
    unit, count, delivered = deal["tiv_per_unit"], deal["number_delivered"], deal["tiv_delivered"]
    if not all(isinstance(v, (int, float)) for v in (unit, count, delivered)):
        return
    expected = float(unit) * float(count)  # type: ignore[arg-type]
    if float(delivered) < expected * 0.98 - 0.05:  # type: ignore[arg-type]
        raise InputError(
            path,
            f"the last row ends without a line end and its TIV of delivered weapons ({delivered}) falls short of "
            f"{unit} per unit x {count} delivered: the file looks cut short (if it is complete, end it with a line end)",
            column="SIPRI TIV of delivered weapons",
            row=line,
        )


def _wanted(recipient: str | None, recipients: frozenset[str] | None) -> frozenset[str] | None:
    return recipients if recipients is not None else (frozenset({recipient}) if recipient else None)


def _parse_rows(
    path: Path,
    rows: list[list[str]],
    lines: list[int],
    header_idx: int,
    idx: dict[str, int],
    layout: str,
    flag: str,
    width: int,
    wanted: frozenset[str] | None,
    seen: set[str],
    records: list[dict[str, object]],
    vintage: str,
    scope: str,
) -> None:
    """Parse the deal rows after the header into ``records`` (the names of all recipients into ``seen``)."""
    header = rows[header_idx]
    flagged: dict[str, bool] = {
        name: idx[name] + 1 < len(header) and header[idx[name] + 1].strip() == ""
        for name in ("Year of order", "Number ordered", "Number delivered")
        if name in idx
    }
    for i in range(header_idx + 1, len(rows)):
        row, line = rows[i], lines[i]
        if not any(row):
            continue
        cell = lambda name, row=row: row[idx[name]] if idx[name] < len(row) else ""  # noqa: E731
        # Filter before anything else: rows outside the subset are not read
        # further. (Both older registers hold damaged rows for other
        # recipients: a '194 - 2008' delivery range in the c. 2013 file and a
        # record broken over two lines in the 2024 file.)
        named = canonical_country(cell("Recipient"))
        if named:
            seen.add(named)
        if wanted is not None and named not in wanted:
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

            def flag_of(name: str, row: list[str] = row) -> bool | None:
                # Each blank-named column after a value is that value's '?' flag; an export saved without them
                # (some users drop the blank columns) says nothing of uncertainty: unknown, not "certain".
                return row[idx[name] + 1] == flag if flagged[name] else None

            first, last, listed = _years(path, row[idx["Year(s) of delivery"]], "Year(s) of delivery", line)
            # Each unnamed column after a value is that value's "?" flag.
            rec = dict(
                designation=row[idx["Weapon designation"]],
                description=row[idx["Weapon description"]],
                order_year=_int(path, row[idx["Year of order"]], "Year of order", line),
                order_year_uncertain=flag_of("Year of order"),
                number_ordered=_int(path, row[idx["Number ordered"]], "Number ordered", line),
                number_ordered_uncertain=flag_of("Number ordered"),
                number_delivered=_int(path, row[idx["Number delivered"]], "Number delivered", line),
                number_delivered_uncertain=flag_of("Number delivered"),
                status=row[idx["status"]],
                tiv_per_unit=_float(path, row[idx["SIPRI TIV per unit"]], "SIPRI TIV per unit", line),
                tiv_total_order=_float(path, row[idx["SIPRI TIV for total order"]], "SIPRI TIV for total order", line),
                tiv_delivered=_float(
                    path, row[idx["SIPRI TIV of delivered weapons"]], "SIPRI TIV of delivered weapons", line
                ),
            )
        comment = row[idx["Comments"]] if "Comments" in idx and idx["Comments"] < len(row) else ""
        rec.update(comment_years(comment))
        rec.update(
            vintage=vintage,
            supplier=supplier,
            recipient=recip,
            delivery_first=first,
            delivery_last=last,
            delivery_years=listed,
            delivered_scope=scope,
        )
        rec["_line"] = line
        records.append(rec)


def read_register(
    path: str | Path,
    vintage: str,
    *,
    recipient: str | None = None,
    recipients: frozenset[str] | None = None,
    rows: Rows | None = None,
) -> Register:
    """Parse a SIPRI trade register CSV into the tidy deal table.

    ``vintage`` labels the release the export came from (registers before the
    2026 layout print no generation date, so the caller states it).
    ``recipient`` (or several, ``recipients``), when given, keeps only deals with that recipient; the
    rows of other recipients are not parsed at all.
    """
    path = Path(path)
    text = rows or read_rows(path)
    header_idx, layout = _locate(path, text.rows)
    header = text.rows[header_idx]
    preamble = preamble_text(text, header_idx)
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
            raise InputError(path, f"missing column {name!r}", row=text.lines[header_idx]) from None

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
    for name in ("Comments", "Comment"):  # optional: what the comments say is kept as years, not as prose
        if name in header:
            idx["Comments"] = header.index(name)
    body, lines, rejoined = _rejoin(text.rows, text.lines, header_idx + 1, len(header))
    seen: set[str] = set()

    records: list[dict[str, object]] = []
    try:
        wanted = _wanted(recipient, recipients)
        _parse_rows(path, body, lines, header_idx, idx, layout, flag, width, wanted, seen, records, vintage, scope)
    except InputError as error:
        if recipients is None and recipient is None:
            raise InputError(
                path,
                f"{error.reason} (give --recipients to read only some recipients' deals: other rows are then not parsed)",
                column=error.column,
                row=error.row,
            ) from None
        raise
    if records and not text.ends_with_newline and layout != "2013" and records[-1]["_line"] == lines[-1]:
        _check_last_row(path, records[-1], lines[-1])
    deals = pd.DataFrame.from_records(records, columns=REGISTER_COLUMNS)
    for name in [
        "order_year",
        "number_ordered",
        "number_delivered",
        "delivery_first",
        "delivery_last",
        "uncertain_since",
        "replaces_order_year",
        "cancelled_year",
    ]:
        deals[name] = deals[name].astype("Int64")
    for name in ["tiv_per_unit", "tiv_total_order", "tiv_delivered"]:
        deals[name] = deals[name].astype("float64")
    for name in ["order_year_uncertain", "number_ordered_uncertain", "number_delivered_uncertain"]:
        deals[name] = deals[name].astype("boolean")
    deals = deals.sort_values(
        ["supplier", "recipient", "order_year", "designation"], kind="stable", na_position="first"
    ).reset_index(drop=True)
    return Register(
        path=path,
        layout=layout,
        generated=generated,
        deals=deals,
        recipients_seen=frozenset(seen),
        rejoined=tuple(rejoined),
    )
