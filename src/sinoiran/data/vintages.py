"""The SIPRI releases (vintages) the project holds, and what each one covers.

SIPRI revises its Arms Transfers Database every year, so a TIV figure only
means something together with the release it came from. The label is the
year SIPRI generated the table; ``2026-mirror`` marks the third-party
per-delivery-year rebuild of the 2026 release (not a SIPRI export).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from sinoiran.base.errors import InputError
from sinoiran.base.paths import data_dir


@dataclass(frozen=True)
class Vintage:
    """One release: its label, generation date, last data year and coverage."""

    label: str
    generated: str  # ISO date SIPRI (or the mirror's author) generated the data
    data_start: int  # first calendar year the tables cover
    data_end: int  # last calendar year with data
    suppliers: tuple[str, ...] | None  # suppliers the project's copy covers; None = all
    kind: str  # "sipri-tiv-table" or "derived-mirror"
    note: str

    @property
    def suppliers_text(self) -> str:
        """Human-readable supplier coverage."""
        return "all suppliers" if self.suppliers is None else ", ".join(self.suppliers)

    def gap(self, suppliers: list[str] | tuple[str, ...] | None, start: int, end: int) -> str | None:
        """Why this vintage cannot answer for ``suppliers`` in ``start..end``, or None if it can.

        ``suppliers=None`` asks for every supplier at once (a total, a share, a
        ranking), which only a vintage holding all suppliers can give. This is
        the project's one coverage check; :func:`coverage_gap` and
        :func:`require_coverage` are its module-level forms.
        """
        if start < self.data_start or end > self.data_end:
            return f"vintage {self.label} covers {self.data_start}-{self.data_end} only"
        if self.suppliers is None:
            return None
        if suppliers is None:
            return (
                f"vintage {self.label} holds only {self.suppliers_text} as suppliers, so no total over all "
                "suppliers: shares need every supplier"
            )
        missing = [s for s in suppliers if s not in self.suppliers]
        if missing:
            return (
                f"vintage {self.label} does not hold {', '.join(missing)} as a supplier "
                f"(it holds only {self.suppliers_text} as suppliers)"
            )
        return None

    def covers(self, supplier: str, year: int) -> bool:
        """True if this vintage, as held by the project, has data for ``supplier`` in ``year``."""
        return self.gap([supplier], year, year) is None


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


_MANIFEST = read_manifest()
#: The SIPRI releases the project holds, as ``data/sources.toml`` declares them (labels are data, not code).
VINTAGES: dict[str, Vintage] = vintages_from(_MANIFEST)

#: Vintages of the SIPRI trade registers held (deal lists, not yearly tables).
REGISTER_VINTAGES: dict[str, str] = {label: e.get("note", "") for label, e in _MANIFEST.get("registers", {}).items()}

#: How the ledger and the tables label each register vintage (``register-2024`` for the 2024 register).
REGISTER_LABELS: dict[str, str] = {f"register-{v}": v for v in REGISTER_VINTAGES}


def check_vintage(label: str, known: dict | None = None) -> str:
    """Return ``label`` if it is a known vintage, else raise ``ValueError`` listing them."""
    known = VINTAGES if known is None else known
    if label not in known:
        raise ValueError(f"unknown vintage {label!r}; known vintages: {', '.join(known)}")
    return label


def coverage_gap(vintage: str, suppliers: list[str] | tuple[str, ...] | None, start: int, end: int) -> str | None:
    """Why ``vintage`` cannot answer for these suppliers and years, or None if it can (see :meth:`Vintage.gap`)."""
    return VINTAGES[check_vintage(vintage)].gap(suppliers, start, end)


def require_coverage(vintage: str, suppliers: list[str] | tuple[str, ...] | None, start: int, end: int) -> None:
    """Raise ``ValueError`` with the coverage gap's message unless ``vintage`` covers these suppliers and years."""
    gap = coverage_gap(vintage, suppliers, start, end)
    if gap:
        raise ValueError(gap)
