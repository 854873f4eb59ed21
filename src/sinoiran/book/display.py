"""The one table formatter of the book: every table a chapter shows goes through :func:`table`.

What it does to a frame, so that no chapter has to:

* **Headers for people.** Known column names get a human header with its unit
  (:data:`HEADERS`: ``tiv`` -> "TIV (millions)"); a chapter passes ``columns=``
  for its own; any other snake_case name is turned into words. Year columns
  stay years.
* **No index.** A meaningful (named) index becomes the first column(s); a
  0..N index is dropped.
* **Numbers by kind, not by name.** Each column has a kind (:data:`KINDS`):
  declared by the chapter (``kinds=``) or inferred from its values and dtype
  (:func:`infer_kind`): whole numbers between 1800 and 2100 are years (never a
  separator or a decimal), other whole numbers are counts (separators, no
  decimals), other numbers statistics; a ``percent`` column holds fractions and
  is shown multiplied by 100, with "(%)" in its header, once. Floats are
  rounded by the precision policy to ``decimals`` (or four significant
  digits); a dash stands for a value that is not there (not covered, not
  applicable). Every cell carries its column's kind as a class
  (``kind-year``), so a test can check the rendered tables.
* **Verdicts coloured.** Any cell whose text is a verdict gets the ledger's
  colour, so a verdict looks the same in every chapter.
* **The point stays on screen.** The key columns (``key=``, default: the named
  index, else the first column) come first, then any verdict column, then the
  rest; on a phone the first key column stays in view while the rest scrolls
  inside the table's own box, which the keyboard can reach (``tabindex``). Text
  wraps between words only (the book's CSS), numbers are right-aligned, and a
  table with more than ``max_columns`` columns is split into several tables
  that repeat the key columns.

The HTML is deterministic (the Styler's ids come from the table's content), so
strict nbval can compare it on any machine.
"""

from __future__ import annotations

import hashlib
import math
import numbers
from collections.abc import Mapping, Sequence
from html import escape

import pandas as pd

from sinoiran.base.precision import Precision, as_python, snap

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
    "p_value": "p-value",
    "nu": "HAR degrees of freedom",
    "p_har": "Trend p-value (HAR)",
    "p_ols": "Trend p-value (plain OLS)",
    "p_newey_west": "Trend p-value (Newey-West, normal)",
    "chow_F": "Chow F",
    "har_wald_F": "HAR Wald F",
    "har_wald_p": "HAR Wald p-value",
    "years_before": "Years before the break",
    "years_after": "Years from the break",
    "break_year": "Break year",
    "level_shift": "Level shift (share)",
    "slope_change": "Slope change (share per year)",
    "sup_wald": "Largest Wald statistic",
    "critical_5pct": "5% critical value",
    "break_found": "Break beyond chance?",
    "low_pinned": "Low end pinned down?",
    "high_pinned": "High end pinned down?",
    "identified": "Year identified?",
    "share_crossing": "Share of bootstrap draws crossing",
    "share_ahead_from_start": "Share of draws ahead from the start",
    "share_never": "Share of draws never ahead",
    "gap_at_start": "Fitted gap in the first year (share)",
    "gap_slope_per_year": "Gap slope (share per year)",
    "n_years": "Years",
    "n_boot": "Bootstrap draws",
    "block": "Block length (years)",
    "seed": "Random seed",
    "window": "Window (years)",
    "skipped": "Skipped because",
}

#: The kinds of column, and how each is written. A column's kind is declared by the chapter
#: (``table(..., kinds=...)``) or inferred from its values (:func:`infer_kind`).
KINDS: dict[str, str] = {
    "year": "a calendar year: whole, without a thousands separator or decimals",
    "count": "a whole number: thousands separators, no decimals",
    "tiv": "millions of SIPRI TIV: ``decimals`` decimals (default 1), separators",
    "money": "millions of US dollars: ``decimals`` decimals (default 0), separators",
    "percent": "a share held as a fraction (0 to 1), shown times 100 with (%) in the header",
    "p_value": "a p-value: ``decimals`` decimals (default 3), '< 0.001' below that",
    "statistic": "a coefficient, ratio or test statistic: ``decimals`` decimals, else four significant digits",
    "text": "words, labels and identifiers, as they are (yes/no for booleans)",
}
#: Default decimals of the kinds that have one (the others take ``decimals`` or four significant digits).
DEFAULT_DECIMALS = {"tiv": 1, "money": 0, "p_value": 3}
#: Whole numbers in this range (inclusive) are taken for years when a column's kind is not declared.
YEAR_RANGE = (1800, 2100)
#: A text token longer than this (a checksum, a path) may break anywhere; words never do.
LONG_TOKEN = 24

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
    """The text of one cell: a dash for missing, integers whole, floats at ``decimals`` (else four significant digits).

    ``year`` writes a whole number without a thousands separator. :func:`kind_text`
    writes a value by its column's kind, through this function."""
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


def _missing(value) -> bool:
    value = as_python(value)
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _number(value) -> bool:
    value = as_python(value)
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def infer_kind(values: pd.Series) -> str:
    """The kind of a column whose kind the chapter did not declare, from its dtype and values.

    Booleans and words are ``text``; numbers that are all whole are ``year`` when
    every one lies in :data:`YEAR_RANGE`, else ``count``; other numbers are
    ``statistic``. A share, a p-value, TIV or money cannot be told from their
    values: the chapter declares them (``kinds=``)."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return "text"
    present = [as_python(v) for v in values if not _missing(v)]
    if not present or not all(_number(v) for v in present):
        return "text"
    if all(float(snap(float(v))).is_integer() for v in present):
        low, high = YEAR_RANGE
        return "year" if all(low <= v <= high for v in present) else "count"
    return "statistic"


def kind_text(value, kind: str, decimals: int | None = None) -> str:
    """The text of one cell of a column of ``kind`` (see :data:`KINDS`); ``percent`` values are fractions."""
    if kind not in KINDS:
        raise ValueError(f"unknown column kind {kind!r}; choose one of {', '.join(KINDS)}")
    if _missing(value):
        return MISSING
    if not _number(value):
        return cell_text(value)
    value = float(as_python(value))
    if kind == "text":  # a number used as a label (a seed, an identifier): as it is, no separator
        return str(int(value)) if value.is_integer() else repr(value)
    places = decimals if decimals is not None else DEFAULT_DECIMALS.get(kind)
    if kind == "year":
        return str(int(Precision(0).round(value)))
    if kind == "count":
        return f"{int(Precision(0).round(value)):,}"
    if kind == "percent":
        return cell_text(100 * value, places)
    if kind == "p_value":
        if Precision(places or 3).round(value) == 0:
            return f"< {10 ** -(places or 3):.{places or 3}f}"
        return cell_text(value, places)
    return cell_text(value, places)


def _declared(kinds, name, numeric: bool) -> str | None:
    if isinstance(kinds, Mapping):
        return kinds.get(name)
    return kinds if (kinds is not None and numeric) else None


class Table:
    """A table for a chapter: HTML from pandas' Styler (one or several parts), and plain text for the record.

    ``kinds`` holds each shown column's kind (by header); ``key`` the key columns' headers."""

    def __init__(
        self,
        parts: list[pd.DataFrame],
        stylers: list,
        kinds: dict[str, str] | None = None,
        key: list[str] | None = None,
    ) -> None:
        self.parts = parts
        self.stylers = stylers
        self.kinds = kinds or {}
        self.key = key or []

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
        return "\n".join(
            _scroll_box(part, styler.to_html()) for part, styler in zip(self.parts, self.stylers, strict=True)
        )

    def __repr__(self) -> str:
        return "\n\n".join(part.to_string(index=False) for part in self.parts)


def _scroll_box(part: pd.DataFrame, html: str) -> str:
    """A table in its own horizontally scrolling box, named for screen readers and reachable with the keyboard."""
    names = [str(c) for c in part.columns]
    label = "Table: " + ", ".join(names[:4]) + (", …" if len(names) > 4 else "")
    return (
        f'<div class="sinoiran-scroll-x" role="region" tabindex="0" aria-label="{escape(label, quote=True)}">'
        f"{html}</div>"
    )


def table(
    frame: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    decimals: int | Mapping[str, int] | None = None,
    kinds: str | Mapping[str, str] | None = None,
    key: Sequence[str] | None = None,
    max_columns: int = 8,
    uuid: str | None = None,
) -> Table:
    """``frame`` formatted for reading (see the module docstring).

    ``columns`` renames columns (original name -> header; also drops nothing);
    ``decimals`` is one number of decimals for every float column or one per
    column (by original name), by the policy's tie-safe rounding; ``kinds``
    declares columns' kinds (:data:`KINDS`): one kind for every numeric column
    that is not a key, or one per column by original name (the others are
    inferred, :func:`infer_kind`); ``key`` are the columns shown first and
    repeated in every part when the table is split (default: the named index,
    else the first column); ``uuid`` fixes the HTML ids (default: a hash of the
    table's content).
    """
    shown = frame.copy()
    if isinstance(shown.columns, pd.MultiIndex):
        shown.columns = [" ".join(str(p) for p in c if str(p)) for c in shown.columns]
    index_names = [n for n in shown.index.names if n is not None]
    if index_names:
        shown = shown.reset_index()  # a named index is data: it becomes the first column(s)
    else:
        shown = shown.reset_index(drop=True)  # row numbers are not
    key_originals = list(key) if key else (index_names or list(shown.columns[:1]))
    unknown = [k for k in key_originals if k not in shown.columns]
    if unknown:
        raise KeyError(f"key columns not in the table: {unknown}")

    text = pd.DataFrame(index=range(len(shown)))
    kind_of: dict[str, str] = {}
    numeric: list[str] = []
    verdicts: list[str] = []
    long: list[str] = []
    for original in shown.columns:
        values = shown[original]
        is_numeric = pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype)
        kind = _declared(kinds, original, is_numeric and original not in key_originals) or infer_kind(values)
        if kind not in KINDS:
            raise ValueError(f"column {original!r}: unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
        name = (columns or {}).get(original) or header(original)
        if kind == "percent" and "%" not in name:
            name = f"{name} (%)"
        places = decimals.get(original) if isinstance(decimals, Mapping) else decimals
        cells = [kind_text(v, kind, places) for v in values]
        text[name] = cells
        kind_of[name] = kind
        if kind != "text" or is_numeric:
            numeric.append(name)
        if any(cell in VERDICT_COLOURS for cell in cells):
            verdicts.append(name)
        if any(len(token) > LONG_TOKEN for cell in cells for token in cell.split()):
            long.append(name)
        if original in key_originals:
            key_originals[key_originals.index(original)] = name
    key_columns = key_originals
    others = [c for c in text.columns if c not in key_columns]
    leading = [c for c in others if c in verdicts]  # a verdict is the point of its row: right after the key
    others = leading + [c for c in others if c not in leading]
    text = text[key_columns + others]

    # One or two verdict columns are repeated in every part with the key; a matrix of verdicts is split
    # like any other columns (it would not fit a phone's screen otherwise).
    if len(leading) > 2:
        leading = []
    room = max(max_columns - len(key_columns) - len(leading), 1)
    rest = others[len(leading) :]
    count = math.ceil(len(rest) / room) if len(text.columns) > max_columns else 1
    width = math.ceil(len(rest) / count) if rest else 1  # parts of even width, not one straggler
    groups = [rest[i : i + width] for i in range(0, len(rest), width)] if count > 1 else [rest]
    parts = [text[key_columns + leading + group] for group in groups] if len(groups) > 1 else [text]

    base = uuid or hashlib.sha256(text.to_csv(index=False).encode()).hexdigest()[:10]
    roles = {"numeric": numeric, "key": key_columns, "verdict": verdicts, "long": long}
    stylers = [
        _styled(part, kind_of, roles, f"{base}{'_' + str(i) if len(parts) > 1 else ''}") for i, part in enumerate(parts)
    ]
    return Table(parts, stylers, kind_of, key_columns)


def _styled(part: pd.DataFrame, kinds: dict[str, str], roles: dict[str, list[str]], uuid: str):
    def colour(value):
        return f"background-color: {VERDICT_COLOURS[value]}; color: #111" if value in VERDICT_COLOURS else ""

    def classes(column: str) -> str:
        names = [f"kind-{kinds[column]}"]
        names += [role for role in ("numeric", "key", "verdict", "long") if column in roles[role]]
        return " ".join(names)

    right = [c for c in part.columns if c in roles["numeric"]]
    styles = {c: [{"selector": "td", "props": "text-align: right; white-space: nowrap"}] for c in right}
    cell_classes = pd.DataFrame({c: [classes(c)] * len(part) for c in part.columns}, index=part.index)
    styler = (
        part.style.set_uuid(uuid)
        .hide(axis="index")
        .set_table_attributes('class="sinoiran-table"')
        .set_td_classes(cell_classes)
    )
    if styles:
        styler = styler.set_table_styles(styles, overwrite=False)
    return styler.map(colour)
