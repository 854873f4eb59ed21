"""One exception type for bad input, so that every message names where it is."""

from __future__ import annotations

from pathlib import Path


class InputError(ValueError):
    """Bad input: the message names the file and, where known, column and row.

    ``row`` is the 1-based line number in a text file (or the spreadsheet row
    number in a workbook), so that a reader can open the file and go there.
    """

    def __init__(
        self,
        path: str | Path | None,
        message: str,
        *,
        column: str | None = None,
        row: int | None = None,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.column = column
        self.row = row
        self.reason = message
        where = [self.path or "<input>"]
        if column is not None:
            where.append(f"column {column!r}")
        if row is not None:
            where.append(f"row {row}")
        super().__init__(f"{', '.join(where)}: {message}")


class UsageError(ValueError):
    """A value a user gave (a name, a release label, a parameter) that cannot be used: one line, no file.

    The command line and the chapters show the message alone, as they do an
    :class:`InputError`; any other exception is a bug and keeps its traceback.
    """
