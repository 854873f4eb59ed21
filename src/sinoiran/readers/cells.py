"""Cells of a CSV export read as numbers, with an error that names the file, column and row."""

from __future__ import annotations

import re
from pathlib import Path

from sinoiran.base.errors import InputError

_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_DECIMAL = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)$")


def parse_number(path: Path, cell: str, column: str, row: int, *, whole: bool = False) -> float | None:
    """A non-negative number from a cell: None for an empty cell; "1,234.5" as spreadsheets save it is read.

    Raises :class:`InputError` naming ``path``, ``column`` and ``row`` for text, a negative value, or (with
    ``whole``) a fraction.
    """
    text = cell.strip()
    if text == "":
        return None
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not _DECIMAL.match(text):  # also keeps out 'nan', 'inf' and '1e5', which float() would take
        raise InputError(path, f"not a number: {cell!r}", column=column, row=row)
    value = float(text)
    if value < 0:
        raise InputError(path, f"negative value {cell!r}", column=column, row=row)
    if whole and value != int(value):
        raise InputError(path, f"not a whole number: {cell!r}", column=column, row=row)
    return value
