"""The record of the data files a process has read through the package's loaders.

The book's runner clears :data:`FILES_READ` before a chapter and reads it after, so that each
chapter's cache key covers the files it actually read. An entry is an absolute path, or
``path::field`` for one field of a JSON file (``datapackage.json::coverage``), whose other fields
may change without the chapter's result changing.
"""

from __future__ import annotations

from pathlib import Path

#: The files read since the set was last cleared (absolute paths, or ``path::field``).
FILES_READ: set[str] = set()


def record(path: str | Path, field: str | None = None) -> None:
    """Note that ``path`` (or one ``field`` of it) was read."""
    resolved = str(Path(path).resolve())
    FILES_READ.add(f"{resolved}::{field}" if field else resolved)
