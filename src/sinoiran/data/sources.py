"""The raw exports the project's tables are built from, with their provenance, as ``data/sources.toml`` lists them.

These files are **inputs**, never part of the repository: ``data build`` reads
them from a sources folder (by default ``../shared/sources``) and records each
file's provenance and sha256 in ``data/datapackage.json``. The manifest says,
for every export, its format, the release (vintage) it belongs to, where it was
copied from, and which of its rows the project keeps (:class:`RawSource`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sinoiran.base.errors import InputError
from sinoiran.data.vintages import manifest_path, read_manifest
from sinoiran.readers.formats import FORMATS

SIPRI_CREDIT = "Information from the SIPRI Arms Transfers Database"
SIPRI_TERMS = (
    "SIPRI Arms Transfers Database terms: free for non-commercial use with the credit line "
    f"'{SIPRI_CREDIT}'; calculations in this project are the project's own and are not attributed to SIPRI."
)
IMF_TERMS = "IMF Direction of Trade Statistics; IMF terms of use for data (attribution to the IMF)."
TERMS = {"sipri": SIPRI_TERMS, "imf": IMF_TERMS}


@dataclass(frozen=True)
class KeepRule:
    """Rows to keep: those whose recipient (and supplier) is listed; an empty list matches any."""

    recipients: tuple[str, ...] = ()
    suppliers: tuple[str, ...] = ()

    def matches(self, frame: pd.DataFrame) -> pd.Series:
        keep = pd.Series(True, index=frame.index)
        if self.recipients:
            keep &= frame["recipient"].isin(self.recipients)
        if self.suppliers:
            keep &= frame["supplier"].isin(self.suppliers)
        return keep


@dataclass(frozen=True)
class RawSource:
    """One raw export file: where it is in the sources folder, what it is, where it came from, what to keep."""

    relpath: str
    format: str
    vintage: str
    title: str
    publisher: str
    repository: str
    commit: str
    commit_date: str  # when the copy was taken (the repository commit's date, or the download date)
    terms: str
    note: str = ""
    keep_all: bool = True
    keep: tuple[KeepRule, ...] = field(default_factory=tuple)
    keep_items: tuple[KeepRule, ...] | None = None  # item-level rows kept (mirror items, transfers' deliveries)
    stored: str = "sources"  # "sources": in the raw-sources folder; "data": kept in the repository, under data/
    accept_label: bool = False  # the release label was given against what the file's date suggests

    def location(self, sources_dir: Path, data_folder: Path) -> Path:
        """Where the raw file is: in the sources folder, or (for exports added with ``data add``) in ``data/``."""
        return (data_folder if self.stored == "data" else sources_dir) / self.relpath

    def kept(self, frame: pd.DataFrame) -> pd.Series:
        """Which rows of a tidy ``supplier, recipient, ...`` frame the project keeps from this export."""
        if self.keep_all:
            return pd.Series(True, index=frame.index)
        keep = pd.Series(False, index=frame.index)
        for rule in self.keep:
            keep |= rule.matches(frame)
        return keep

    def kept_items(self, frame: pd.DataFrame) -> pd.Series:
        """Which item-level rows (the mirror's items, a transfers export's deliveries) the project keeps:
        ``keep_items`` if set, else ``keep``."""
        if self.keep_items is None:
            return self.kept(frame)
        keep = pd.Series(False, index=frame.index)
        for rule in self.keep_items:
            keep |= rule.matches(frame)
        return keep

    def recipients_only(self) -> frozenset[str] | None:
        """The recipients kept, when the rules name recipients only (readers can then skip other rows); else None."""
        if self.keep_all or any(r.suppliers or not r.recipients for r in self.keep):
            return None
        return frozenset(name for r in self.keep for name in r.recipients)

    def keeps_every_supplier_of(self, recipient: str) -> bool:
        """True if every supplier's rows to ``recipient`` are kept (what makes a recipient complete)."""
        return self.keep_all or any(
            not r.suppliers and (not r.recipients or recipient in r.recipients) for r in self.keep
        )


def _raw_source(entry: dict, path: Path, index: int) -> RawSource:
    where = f"[[exports]] entry {index + 1}"
    missing = [k for k in ("path", "format", "vintage", "title") if k not in entry]
    if missing:
        raise InputError(path, f"{where}: missing {', '.join(missing)}")
    if entry["format"] not in FORMATS:
        raise InputError(path, f"{where}: unknown format {entry['format']!r}; one of {', '.join(FORMATS)}")
    if entry.get("stored", "sources") not in ("sources", "data"):
        raise InputError(path, f'{where}: stored must be "sources" or "data"')
    keep = entry.get("keep", "all")
    if keep != "all" and not (isinstance(keep, list) and all(isinstance(r, dict) for r in keep)):
        raise InputError(path, f'{where}: keep must be "all" or a list of {{recipients, suppliers}} rules')
    items = entry.get("keep_items")
    if items is not None and not (isinstance(items, list) and all(isinstance(r, dict) for r in items)):
        raise InputError(path, f"{where}: keep_items must be a list of {{recipients, suppliers}} rules")
    rules = (
        ()
        if keep == "all"
        else tuple(KeepRule(tuple(r.get("recipients", ())), tuple(r.get("suppliers", ()))) for r in keep)
    )
    return RawSource(
        relpath=entry["path"],
        format=entry["format"],
        vintage=str(entry["vintage"]),
        title=entry["title"],
        publisher=entry.get("publisher", ""),
        repository=entry.get("repository", ""),
        commit=entry.get("commit", ""),
        commit_date=str(entry.get("retrieved", "")),
        terms=TERMS.get(entry.get("terms", "sipri"), entry.get("terms", "")),
        note=entry.get("note", ""),
        keep_all=keep == "all",
        keep=rules,
        keep_items=None
        if items is None
        else tuple(KeepRule(tuple(r.get("recipients", ())), tuple(r.get("suppliers", ()))) for r in items),
        stored=entry.get("stored", "sources"),
        accept_label=bool(entry.get("accept_label", False)),
    )


def raw_sources(manifest: dict | None = None, path: Path | None = None) -> list[RawSource]:
    """Every export the manifest lists, in its order."""
    path = path or manifest_path()
    manifest = manifest if manifest is not None else read_manifest(path)
    return [_raw_source(entry, path, i) for i, entry in enumerate(manifest.get("exports", []))]


def of_format(sources: list[RawSource], *formats: str) -> list[RawSource]:
    """The exports of the given formats, in manifest order."""
    return [s for s in sources if s.format in formats]


def unlisted_files(sources_dir: Path, sources: list[RawSource]) -> list[str]:
    """Files in the sources folder that the manifest does not name (provenance notes excepted)."""
    listed = {s.relpath for s in sources}
    found = sorted(str(p.relative_to(sources_dir)) for p in sources_dir.rglob("*") if p.is_file())
    return [f for f in found if f not in listed and Path(f).name not in ("SOURCE.md", "README.md")]
