"""Read IMF Direction of Trade Statistics (DOTS) country workbooks.

Each workbook is one reporter; sheet "Exports, FOB" holds exports to partner
countries (free on board) and sheet "Imports, CIF" imports from partners
(cost, insurance and freight). Values are US dollars, millions, current prices.
A value written as text with a trailing ``e`` (e.g. ``"28,551.70 e"``) is an
IMF estimate, usually derived from the partner's report; the flag is kept.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from sinoiran.base.errors import InputError
from sinoiran.base.names import canonical_country

#: Sheet name -> flow label used in the tidy table.
FLOWS = {"Exports, FOB": "exports_fob", "Imports, CIF": "imports_cif"}
DOTS_COLUMNS = ["reporter", "partner", "flow", "year", "value_usd_m", "estimated"]
_ESTIMATE = re.compile(r"^(?P<num>-?[\d,]+(?:\.\d+)?)\s*e$")


def _value(path: Path, sheet: str, cell: object, column: str, row: int) -> tuple[float | None, bool]:
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None, False
    if isinstance(cell, (int, float)):
        return float(cell), False
    text = str(cell).strip()
    match = _ESTIMATE.match(text)
    if match:
        return float(match["num"].replace(",", "")), True
    try:
        return float(text.replace(",", "")), False
    except ValueError:
        raise InputError(path, f"sheet {sheet!r}: non-numeric value {text!r}", column=column, row=row) from None


def read_dots_workbook(path: str | Path) -> pd.DataFrame:
    """Parse both sheets of one DOTS workbook into the tidy long table.

    Columns: reporter, partner, flow (``exports_fob`` or ``imports_cif``), year,
    value_usd_m (US$ million, current), estimated (IMF "e" flag).
    """
    import openpyxl

    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found")
    if path.stat().st_size == 0:
        raise InputError(path, "file is empty")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises several types for non-workbooks
        raise InputError(path, f"not a readable .xlsx workbook ({type(err).__name__})") from None
    records = []
    for sheet, flow in FLOWS.items():
        if sheet not in workbook.sheetnames:
            raise InputError(path, f"missing sheet {sheet!r}")
        rows = list(workbook[sheet].iter_rows(values_only=True))
        reporter = None
        header_row = None
        for i, row in enumerate(rows):
            cells = [c for c in row if c is not None]
            if header_row is None and len(cells) >= 2 and all(re.fullmatch(r"\d{4}", str(c)) for c in cells):
                header_row = i
                break
            if reporter is None and len(cells) == 1 and isinstance(cells[0], str) and i >= 2:
                text = cells[0].strip()
                if not text.startswith(("Exports", "Imports", "US Dollars")):
                    reporter = canonical_country(text)
        if header_row is None or reporter is None:
            raise InputError(path, f"sheet {sheet!r}: no reporter name or year header found")
        header = rows[header_row]
        year_cols = [(j, int(c)) for j, c in enumerate(header) if c is not None and re.fullmatch(r"\d{4}", str(c))]
        name_col = year_cols[0][0] - 1
        for i in range(header_row + 1, len(rows)):
            row = rows[i]
            if not row or row[name_col] is None:
                continue
            partner = canonical_country(str(row[name_col]))
            for j, year in year_cols:
                cell = row[j] if j < len(row) else None
                value, estimated = _value(path, sheet, cell, str(year), i + 1)
                if value is not None:
                    records.append((reporter, partner, flow, year, value, estimated))
    workbook.close()
    return pd.DataFrame.from_records(records, columns=DOTS_COLUMNS)
