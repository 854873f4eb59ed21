"""The SIPRI releases (vintages) the project holds, and what each one covers.

SIPRI revises its Arms Transfers Database every year, so a TIV figure only
means something together with the release it came from. The label is the
year SIPRI generated the table; ``2026-mirror`` marks the third-party
per-delivery-year rebuild of the 2026 release (not a SIPRI export).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from sinoiran.base.errors import InputError, UsageError
from sinoiran.base.paths import data_dir
from sinoiran.base.releases import Coverage, Holding, Vintage
from sinoiran.data import reads

#: The manifest of raw exports and releases (``data/sources.toml``); see :mod:`sinoiran.data.sources`.
MANIFEST_NAME = "sources.toml"


def manifest_path(directory: Path | None = None) -> Path:
    """Where the sources manifest lives: beside the tables (``data/sources.toml``)."""
    return (directory or data_dir()) / MANIFEST_NAME


def read_manifest(path: Path | None = None) -> dict:
    """The parsed sources manifest; an ``InputError`` naming the file if it is missing or not TOML."""
    path = path or manifest_path()
    if not path.exists():
        raise InputError(path, "sources manifest not found (it lists the raw exports and the releases they belong to)")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InputError(path, f"not valid TOML: {error}") from None


def vintages_from(manifest: dict) -> dict[str, Vintage]:
    """The releases a manifest declares, in its order."""
    out = {}
    for label, entry in manifest.get("vintages", {}).items():
        held = entry.get("suppliers", "all")
        out[label] = Vintage(
            label=label,
            generated=str(entry["generated"]),
            data_start=int(entry["data_start"]),
            data_end=int(entry["data_end"]),
            suppliers=None if held == "all" else tuple(held),
            kind=str(entry.get("kind", "sipri-tiv-table")),
            note=str(entry.get("note", "")),
        )
    return out


class _FromManifest(Mapping):
    """A table of the sources manifest of the current data folder, read when first used, never at import.

    It follows ``SINOIRAN_DATA`` and the manifest's modification time, so a
    process that switches data folders or adds an export (``data add``) sees the
    new releases without restarting.
    """

    def __init__(self, build: Callable[[dict], dict]) -> None:
        self._build = build
        self._key: tuple[str, float] | None = None
        self._table: dict = {}

    def _current(self) -> dict:
        path = manifest_path()
        key = (str(path), path.stat().st_mtime if path.exists() else 0.0)
        if key != self._key:
            self._table = self._build(read_manifest(path))
            self._key = key
        return self._table

    def __getitem__(self, label: str):
        return self._current()[label]

    def __iter__(self) -> Iterator[str]:
        return iter(self._current())

    def __len__(self) -> int:
        return len(self._current())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self)})"


class _Labels(Sequence):
    """The labels of a :class:`_FromManifest` table, as a sequence (for ``isin`` and ``list``)."""

    def __init__(self, table: Mapping) -> None:
        self._table = table

    def __getitem__(self, index):
        return list(self._table)[index]

    def __len__(self) -> int:
        return len(self._table)


def register_vintages_from(manifest: dict) -> dict[str, str]:
    """The register releases a manifest declares: label -> note."""
    return {label: e.get("note", "") for label, e in manifest.get("registers", {}).items()}


#: The SIPRI releases the project holds, as ``data/sources.toml`` declares them (labels are data, not code).
VINTAGES: Mapping[str, Vintage] = _FromManifest(vintages_from)

#: Vintages of the SIPRI trade registers held (deal lists, not yearly tables).
REGISTER_VINTAGES: Mapping[str, str] = _FromManifest(register_vintages_from)

#: How the ledger and the tables label each register vintage (``register-2024`` for the 2024 register).
REGISTER_LABELS: Mapping[str, str] = _FromManifest(
    lambda manifest: {f"register-{v}": v for v in register_vintages_from(manifest)}
)

#: The labels of :data:`VINTAGES`, in the manifest's order.
VINTAGE_LABELS: Sequence[str] = _Labels(VINTAGES)


def check_vintage(label: str, known: Mapping | None = None) -> str:
    """Return ``label`` if it is a known vintage, else raise ``ValueError`` listing them."""
    known = VINTAGES if known is None else known
    if label not in known:
        raise UsageError(f"unknown vintage {label!r}; known vintages: {', '.join(known)}")
    return label


def _coverage_from_package(path: Path) -> dict[str, tuple[Holding, ...]]:
    import json

    if not path.exists():
        return {}
    package = json.loads(path.read_text(encoding="utf-8"))
    return {
        label: tuple(Holding.from_json(e) for e in entries) for label, entries in package.get("coverage", {}).items()
    }


_COVERAGE: dict[tuple, Coverage] = {}


def current_coverage() -> Coverage:
    """What the project's copy of each release holds: the releases of the manifest and the pairs of
    ``datapackage.json``'s ``coverage`` (read when first asked, again when either file changes).

    Recorded as a dependency on the manifest's releases and on that one field of ``datapackage.json``."""
    path = data_dir() / "datapackage.json"
    reads.record(path, "coverage")
    key = (
        str(path.resolve()),
        path.stat().st_mtime if path.exists() else 0.0,
        manifest_path().stat().st_mtime if manifest_path().exists() else 0.0,
    )
    if key not in _COVERAGE:
        _COVERAGE.clear()
        _COVERAGE[key] = Coverage(dict(VINTAGES), _coverage_from_package(path), dict(REGISTER_LABELS))
    return _COVERAGE[key]


def coverage(vintage: str) -> tuple[Holding, ...]:
    """The pairs the project's copy of ``vintage`` holds."""
    return current_coverage().holdings.get(vintage, ())


def coverage_gap(
    vintage: str, suppliers: list[str] | tuple[str, ...] | None, start: int, end: int, *, recipient: str
) -> str | None:
    """Why ``vintage`` cannot answer for these suppliers' deliveries to ``recipient`` in these years, or None
    (see :meth:`sinoiran.base.releases.Coverage.gap`)."""
    return current_coverage().gap(check_vintage(vintage), suppliers, start, end, recipient=recipient)


def require_coverage(
    vintage: str, suppliers: list[str] | tuple[str, ...] | None, start: int, end: int, *, recipient: str
) -> None:
    """Raise a usage error with the coverage gap's message unless ``vintage`` covers these suppliers' deliveries
    to ``recipient`` in these years."""
    gap = coverage_gap(vintage, suppliers, start, end, recipient=recipient)
    if gap:
        raise UsageError(gap)


def held_suppliers(vintage: str, recipient: str, start: int, end: int) -> list[str] | None:
    """The suppliers of ``recipient`` whose deliveries ``vintage`` holds in ``start..end``; None means every one."""
    return current_coverage().held_suppliers(check_vintage(vintage), recipient, start, end)
