"""The text of an export file as real downloads have it, turned into rows of cells.

What files people bring differ in ways that have nothing to do with SIPRI's
layouts, and every reader must survive all of them:

* **encoding**: UTF-8 with or without a byte-order mark, UTF-16 (Excel's
  "Unicode text"), Windows-1252 (older registers), Latin-1 as a last resort;
* **line endings**: CRLF (SIPRI's current site), LF, and CR only (old Mac
  exports);
* **separators**: commas, semicolons (the 2023 interim site, and spreadsheets
  in many European locales) or tabs, told from the lines themselves;
* **a trailing ``;`` on every line**, which SIPRI's current site writes after
  comma-separated lines (and runs of them, which a spreadsheet with ``;`` as
  its list separator pads lines with): stripped when most lines carry them;
* **a footer** after the data ("(c) Stockholm International Peace Research
  Institute ..."), which ends the rows a reader sees.

A file that is not text at all (a workbook, a PDF, an archive, a saved web
page or an RTF document) is recognised by its first bytes, so that it can be
refused for what it is (:func:`binary_kind`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from sinoiran.base.errors import InputError

#: First bytes of files that are not delimited text, and what each is (in words).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a zip archive (an Excel .xlsx workbook is one)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or Word (.doc) document"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"{\\rtf", "an RTF (rich text) document"),
)
_HTML = re.compile(rb"^\s*(<!doctype html|<html)", re.I)
#: Lines that close SIPRI's exports; nothing after them is data.
_FOOTER = re.compile(r"^\s*\"?\s*(©|\(c\)|&copy;)\s*Stockholm International Peace Research Institute", re.I)
_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Rows:
    """A delimited text file read into stripped cells.

    ``lines[i]`` is the 1-based line on which ``rows[i]`` starts in the file as
    an editor shows it (after CR-only endings are read as line ends), so that
    error messages point where a reader can look.
    """

    path: Path
    rows: list[list[str]]
    lines: list[int]
    encoding: str
    newline: str  # "CRLF", "LF", "CR", "mixed" or "none"
    delimiter: str
    trailing_semicolons: bool
    footer_line: int | None  # the line of a copyright footer, if the file has one
    ends_with_newline: bool = True  # False for a file whose last line has no line end (also the mark of a cut)

    @property
    def described(self) -> str:
        """The text's properties in words, for messages: 'UTF-8, CRLF, ';'-separated'."""
        name = {",": "comma", ";": "semicolon", "\t": "tab"}[self.delimiter]
        extra = ", every line ending in ';'" if self.trailing_semicolons else ""
        return f"{self.encoding}, {self.newline} line ends, {name}-separated{extra}"


def binary_kind(raw: bytes) -> str | None:
    """What a file is if its first bytes say it is not delimited text (else None)."""
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            return kind
    if _HTML.match(raw[:512]):
        return "an HTML page (perhaps the web page saved instead of the export it links to)"
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "a binary file"
    return None


def decode(path: Path, raw: bytes) -> tuple[str, str]:
    """The text of a file and the name of its encoding (UTF-8/UTF-16 by their marks, Windows-1252, Latin-1)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise InputError(path, "starts with a UTF-16 mark but is not UTF-16 text") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "UTF-8 with BOM"
        except UnicodeDecodeError as error:
            raise InputError(path, f"starts with a UTF-8 mark but byte {error.start} is not UTF-8") from None
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "Latin-1"


def _newline(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [name for name, count in (("CRLF", crlf), ("CR", cr), ("LF", lf)) if count]
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "mixed"


def read_text(path: str | Path) -> tuple[str, str, str]:
    """(text with every line end as '\\n', encoding, original line ends) of a text export.

    Raises :class:`InputError` for a missing or empty file, and for a file that
    is not text, saying what it is.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found")
    if path.is_dir():
        raise InputError(path, "is a folder, not an export file")
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(path, "file is empty")
    kind = binary_kind(raw)
    if kind:
        raise InputError(path, f"not a text export: {kind}")
    text, encoding = decode(path, raw)
    newline = _newline(text)
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding, newline


def _choose_delimiter(lines: list[str]) -> str:
    """The separator that splits the file's lines most: commas, semicolons or tabs."""
    score = dict.fromkeys(_DELIMITERS, 0)
    for line in lines[:400]:
        for d in _DELIMITERS:
            n = line.count(d)
            if n >= 2:
                score[d] += n
    return max(_DELIMITERS, key=lambda d: (score[d], d == ","))


def read_rows(path: str | Path) -> Rows:
    """Read a delimited export into stripped cells, with the line each record starts on.

    The separator is told from the lines (the one that splits them most); with
    commas, a ``;`` that ends most lines is SIPRI's site's habit and is
    dropped. Rows stop at a copyright footer. Line numbers differ from record
    numbers where a quoted cell spans lines, and messages must point at the line
    a reader sees in an editor.
    """
    path = Path(path)
    text, encoding, newline = read_text(path)
    lines = text.split("\n")
    filled = [line for line in lines if line.strip()]
    delimiter = _choose_delimiter([line.rstrip(";") for line in filled])
    trailing = delimiter == "," and sum(line.rstrip().endswith(";") for line in filled) > len(filled) / 2
    footer = next((i + 1 for i, line in enumerate(lines) if _FOOTER.match(line)), None)
    if trailing:
        lines = [line.rstrip().rstrip(";") if line.rstrip().endswith(";") else line for line in lines]
    if footer is not None:
        lines = lines[: footer - 1]
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    rows: list[list[str]] = []
    starts: list[int] = []
    start = 1
    try:
        for row in reader:
            rows.append([cell.strip() for cell in row])
            starts.append(start)
            start = reader.line_num + 1
    except csv.Error as error:
        raise InputError(path, f"not readable as delimited text ({error})", row=start) from None
    ends = text.endswith("\n") or footer is not None
    return Rows(path, rows, starts, encoding, newline, delimiter, trailing, footer, ends)


def preamble_text(rows: Rows, end: int, start: int = 0) -> str:
    """The rows before a header, joined back into lines (where titles and generation dates are)."""
    return "\n".join(",".join(r) for r in rows.rows[start:end])
