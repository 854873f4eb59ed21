"""The SIPRI releases (vintages) the project holds, and what each one covers.

SIPRI revises its Arms Transfers Database every year, so a TIV figure only
means something together with the release it came from. The label is the
year SIPRI generated the table; ``2026-mirror`` marks the third-party
per-delivery-year rebuild of the 2026 release (not a SIPRI export).
"""

from __future__ import annotations

from dataclasses import dataclass


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


VINTAGES: dict[str, Vintage] = {
    v.label: v
    for v in [
        Vintage(
            "2007",
            "2007-11-02",
            1950,
            2006,
            ("China", "Russia", "United States"),
            "sipri-tiv-table",
            "Exporter tables 1950-2006; only three suppliers, so no total for Iran.",
        ),
        Vintage(
            "2016",
            "2016-07-24",
            1950,
            2015,
            None,
            "sipri-tiv-table",
            "Importer tables 1950-2015 for Iran and the four neighbours.",
        ),
        Vintage(
            "2022",
            "2022-07-28",
            1950,
            2021,
            ("China", "Russia", "United States"),
            "sipri-tiv-table",
            "Exporter tables 1950-2021; only three suppliers, so no total for Iran.",
        ),
        Vintage(
            "2026", "2026-07-14", 2000, 2025, ("China",), "sipri-tiv-table", "China's exporter table 2000-2025 only."
        ),
        Vintage(
            "2026-mirror",
            "2026-06-16",
            1950,
            2025,
            None,
            "derived-mirror",
            "Per-delivery-year rebuild of the 2026 release by a third party; "
            "Soviet Union merged into Russia; yearly sums keep the items' decimals.",
        ),
    ]
}

#: Vintages of the SIPRI trade registers held (deal lists, not yearly tables).
REGISTER_VINTAGES: dict[str, str] = {
    "2013": "Old register format, deliveries ending 2007-2012, no TIV; release inferred from the latest delivery year.",
    "2024": "Full register, deliveries up to 2023, TIV per deal; release inferred from the latest delivery year.",
    "2026": "China's register for deliveries 2000-2025, generated 14 Jul 2026; numbers delivered count 2000-2025 only.",
}

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
