"""The one table formatter of the book: every table a chapter shows goes through :func:`table`.

What it does to a frame, so that no chapter has to:

* **Headers for people.** Known column names get a human header with its unit
  (:data:`HEADERS`: ``tiv`` -> "TIV (millions)"); a chapter passes ``columns=``
  for its own; any other snake_case name is turned into words. Year columns
  stay years.
* **No index.** A meaningful (named) index becomes the first column(s); a
  0..N index is dropped.
* **Numbers as a reader expects them.** Integers as integers (years without a
  thousands separator), floats rounded by the precision policy to ``decimals``
  (or four significant digits), a dash for a value that is not there (not
  covered, not applicable).
* **Verdicts coloured.** Any cell whose text is a verdict gets the ledger's
  colour, so a verdict looks the same in every chapter.
* **Fits the page.** Text wraps (the book's CSS), numbers are right-aligned, and
  a table with more than ``max_columns`` columns is split into several tables
  that repeat the key columns, rather than running off a phone's screen.

The HTML is deterministic (the Styler's ids come from the table's content), so
strict nbval can compare it on any machine.
"""

from __future__ import annotations

import hashlib
import math
import numbers
from collections.abc import Mapping, Sequence

import pandas as pd

from sinoiran.base.precision import Precision, as_python

#: A dash for a value that is not there: not covered by a release, not applicable.
MISSING = "–"

#: Human headers (with units) for the column names the package's frames use.
HEADERS: dict[str, str] = {
    "claim_id": "Claim",
    "section": "Section of the paper",
    "kind": "Kind of check",
    "vintage": "Release",
    "vintages": "Releases",
    "paper_value": "Printed in the paper",
    "recomputed_value": "Recomputed",
    "verdict": "Verdict",
    "verdicts": "Verdicts",
    "reason": "Why",
    "note": "Note",
    "unit": "Unit",
    "period": "Period",
    "years": "Years",
    "year": "Year",
    "start": "From",
    "end": "To",
    "supplier": "Supplier",
    "recipient": "Recipient",
    "exporter": "Exporter",
    "importer": "Importer",
    "tiv": "TIV (millions)",
    "total": "Total (TIV millions)",
    "share": "Share (%)",
    "paper": "Printed in the paper",
    "lowest": "Lowest release",
    "highest": "Highest release",
    "reproduced_in": "Reproduced in",
    "close_in": "Close in",
    "gap_to_nearest_pct": "Nearest release vs printed (%)",
    "cited_source": "Source the paper cites",
    "tolerance_reason": "Why this tolerance",
    "file": "File",
    "rows": "Rows",
    "sha256": "SHA-256",
    "model": "Model",
    "n": "Years fitted",
    "r_squared": "R²",
    "chow_p": "Chow test p-value",
    "source": "Source",
    "label": "Label",
    "format": "Format",
    "release": "Release",
    "term": "Term",
    "estimate": "Estimate",
    "std_error": "Standard error",
    "ci_low": "95% interval, low",
    "ci_high": "95% interval, high",
    "ci_high_beyond_window": "Interval ends after the data",
    "p_value": "p-value",
    "aic": "AIC",
    "hac_lags": "HAC lags",
    "chow_F": "Chow F",
    "hac_wald_F": "HAC Wald F",
    "hac_wald_p": "HAC Wald p-value",
    "share_crossing": "Share of bootstrap draws crossing",
    "gap_slope_per_year": "Gap slope (share per year)",
    "n_years": "Years",
    "n_boot": "Bootstrap draws",
    "block": "Block length (years)",
    "seed": "Random seed",
    "window": "Window (years)",
    "skipped": "Skipped because",
}

#: Column names whose whole numbers are years (never written with a thousands separator).
YEAR_COLUMNS = {"year", "years", "start", "end", "first_year", "last_year", "order_year", "break_year", "Year"}

#: Background colours of verdicts (colour-blind-safe pairs, light enough for black text).
VERDICT_COLOURS = {
    "reproduced": "#b7e4c7",
    "close": "#fff3bf",
    "partly-supported": "#fff3bf",
    "supported": "#b7e4c7",
    "arithmetic-consistent": "#d8f3dc",
    "differs": "#f4c7c3",
    "not-supported": "#f4c7c3",
    "arithmetic-inconsistent": "#fbe3e1",
    "not-testable": "#e9ecef",
}


def header(name) -> str:
    """The header a reader sees for a column name: :data:`HEADERS`, a year as a year, else words."""
    name = as_python(name)
    if isinstance(name, tuple):
        return " ".join(header(part) for part in name if str(part))
    if isinstance(name, float) and name.is_integer():
        return str(int(name))
    if not isinstance(name, str):
        return str(name)
    if name in HEADERS:
        return HEADERS[name]
    words = name.replace("_", " ").replace(" pct", " (%)") if "_" in name and name == name.lower() else name
    # Sentence case: a header starts with a capital ("mean 2005-2007" -> "Mean 2005-2007").
    return words[:1].upper() + words[1:]


def cell_text(value, decimals: int | None = None, year: bool = False) -> str:
    """The text of one cell: a dash for missing, integers whole, floats at ``decimals`` (else four significant digits)."""
    value = as_python(value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral) or (
        isinstance(value, float) and value.is_integer() and (year or decimals in (None, 0))
    ):
        whole = int(value)
        return str(whole) if year else f"{whole:,}"
    if isinstance(value, float):
        if decimals is not None:
            return f"{Precision(decimals).round(value):,.{decimals}f}"
        if value == 0:
            return "0"
        if abs(value) >= 1000:
            return f"{Precision(0).round(value):,.0f}"
        digits = 3 - math.floor(math.log10(abs(value)))
        return f"{Precision(digits).round(value):.4g}"
    text = str(value)
    return text if text else MISSING


class Table:
    """A table for a chapter: HTML from pandas' Styler (one or several parts), and plain text for the record."""

    def __init__(self, parts: list[pd.DataFrame], stylers: list) -> None:
        self.parts = parts
        self.stylers = stylers

    @property
    def frame(self) -> pd.DataFrame:
        """The displayed cells as one frame of text (the parts side by side, key columns once)."""
        if len(self.parts) == 1:
            return self.parts[0]
        first = self.parts[0]
        keys = [c for c in first.columns if all(c in p.columns for p in self.parts)]
        rest = [p.drop(columns=keys) for p in self.parts[1:]]
        return pd.concat([first, *rest], axis=1)

    def _repr_html_(self) -> str:
        return "\n".join(styler.to_html() for styler in self.stylers)

    def __repr__(self) -> str:
        return "\n\n".join(part.to_string(index=False) for part in self.parts)


def table(
    frame: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    decimals: int | Mapping[str, int] | None = None,
    key: Sequence[str] | None = None,
    max_columns: int = 8,
    uuid: str | None = None,
) -> Table:
    """``frame`` formatted for reading (see the module docstring).

    ``columns`` renames columns (original name -> header; also drops nothing);
    ``decimals`` is one number of decimals for every float column or one per
    column (by original name), by the policy's tie-safe rounding; ``key`` are the
    columns repeated in every part when the table is split (default: the first
    column); ``uuid`` fixes the HTML ids (default: a hash of the table's content).
    """
    shown = frame.copy()
    if isinstance(shown.columns, pd.MultiIndex):
        shown.columns = [" ".join(str(p) for p in c if str(p)) for c in shown.columns]
    if any(name is not None for name in shown.index.names):
        shown = shown.reset_index()  # a named index is data: it becomes the first column(s)
    else:
        shown = shown.reset_index(drop=True)  # row numbers are not
    renamed = {c: (columns or {}).get(c) or header(c) for c in shown.columns}

    text = pd.DataFrame(index=range(len(shown)))
    numeric: list[str] = []
    for original in shown.columns:
        values = shown[original]
        places = decimals.get(original) if isinstance(decimals, Mapping) else decimals
        is_year = str(original) in YEAR_COLUMNS or renamed[original] in ("Year", "Years", "From", "To")
        cells = [cell_text(v, places, is_year) for v in values]
        text[renamed[original]] = cells
        if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
            numeric.append(renamed[original])

    key_columns = [renamed[k] for k in key] if key else list(text.columns[:1])
    others = [c for c in text.columns if c not in key_columns]
    room = max(max_columns - len(key_columns), 1)
    count = math.ceil(len(others) / room) if len(text.columns) > max_columns else 1
    width = math.ceil(len(others) / count) if others else 1  # parts of even width, not one straggler
    groups = [others[i : i + width] for i in range(0, len(others), width)] if count > 1 else [others]
    parts = [text[key_columns + group] if len(groups) > 1 else text for group in groups] or [text]

    base = uuid or hashlib.sha256(text.to_csv(index=False).encode()).hexdigest()[:10]
    stylers = [
        _styled(part, numeric, f"{base}{'_' + str(i) if len(parts) > 1 else ''}") for i, part in enumerate(parts)
    ]
    return Table(parts, stylers)


def _styled(part: pd.DataFrame, numeric: list[str], uuid: str):
    def colour(value):
        return f"background-color: {VERDICT_COLOURS[value]}; color: #111" if value in VERDICT_COLOURS else ""

    right = [c for c in part.columns if c in numeric]
    styles = {c: [{"selector": "td", "props": "text-align: right; white-space: nowrap"}] for c in right}
    styler = part.style.set_uuid(uuid).hide(axis="index").set_table_attributes('class="sinoiran-table"')
    if styles:
        styler = styler.set_table_styles(styles, overwrite=False)
    return styler.map(colour)
