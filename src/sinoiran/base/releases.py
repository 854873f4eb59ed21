"""SIPRI's release calendar: which release an export belongs to.

SIPRI revises the whole Arms Transfers Database once a year, in March, and the
release of March *Y* holds deliveries up to the end of *Y - 1*. The project
labels a release by the year of that update, never by the date a file was
downloaded:

* a file generated in January or February of *Y* was made from the release of
  *Y - 1* (the all-pairs export generated on 12 Feb 2026 holds deliveries to
  2024: release 2025);
* a file generated from April on belongs to the release of *Y*;
* a file generated in March may come from either side of the update: the last
  year with data decides (data in *Y - 1* means the new release);
* a file that prints no date is labelled from its last year with data
  (release = last year + 1), and the label says it was inferred.

:func:`suggest_release` applies these rules and says why, in one sentence that
the command line shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sinoiran.base.errors import UsageError
from sinoiran.base.names import possessive

#: The month of SIPRI's yearly update.
UPDATE_MONTH = 3


@dataclass(frozen=True)
class ReleaseGuess:
    """A release label suggested for an export, and the reason in words."""

    label: str
    reason: str
    inferred: bool  # True when the file prints no date and the label comes from its data alone


def suggest_release(generated: dt.date | None, last_data_year: int | None) -> ReleaseGuess | None:
    """The SIPRI release an export belongs to (see the module docstring), or None if nothing tells.

    ``generated`` is the date printed in the file; ``last_data_year`` the last
    calendar year with a delivery (or with a filled year column) in it.
    """
    if generated is None:
        if last_data_year is None:
            return None
        return ReleaseGuess(
            str(last_data_year + 1),
            f"the file prints no generation date; its last year with data is {last_data_year}, "
            f"so it is taken to be the release of {last_data_year + 1}",
            inferred=True,
        )
    year = generated.year
    when = f"generated {generated:%d %b %Y}"
    if generated.month < UPDATE_MONTH:
        label, why = year - 1, f"{when}, before SIPRI's March {year} update"
    elif generated.month > UPDATE_MONTH:
        label, why = year, f"{when}, after SIPRI's March {year} update"
    elif last_data_year is not None and last_data_year >= year - 1:
        label, why = year, f"{when} with data for {last_data_year}, so after SIPRI's March {year} update"
    else:
        label, why = year - 1, f"{when}, in the month of SIPRI's update, with no data for {year - 1}"
    if last_data_year is not None and last_data_year > label - 1:
        # Data beyond what the release can hold: trust the data over the calendar.
        label, why = last_data_year + 1, f"{when}, but with data for {last_data_year}"
    return ReleaseGuess(str(label), f"{why}: the release of {label} (data to {label - 1})", inferred=False)


def release_year(label: str) -> int | None:
    """The year of a release label ('2025' -> 2025, '2026-mirror' -> 2026), or None for other labels."""
    head = label.split("-")[0]
    return int(head) if head.isdigit() and len(head) == 4 else None


@dataclass(frozen=True)
class Holding:
    """Which supplier-recipient pairs one export of a release holds, over which years.

    ``suppliers`` or ``recipients`` is None for "every one": an importer table
    of Iran holds (None, {Iran}), an exporter table of China ({China}, None),
    an all-pairs transfers export (None, None). The manifest's keep rules
    narrow them (``keep = [{ recipients = ["Iran"] }]`` turns China's exporter
    table into ({China}, {Iran})). A release covers a pair in a year when one of
    its holdings does; it gives a recipient's total imports only where a
    holding has every supplier of that recipient.
    """

    suppliers: frozenset[str] | None
    recipients: frozenset[str] | None
    first: int
    last: int

    def spans(self, start: int, end: int) -> bool:
        return self.first <= start and end <= self.last

    def holds(self, supplier: str, recipient: str, start: int, end: int) -> bool:
        """True if this holding has ``supplier``'s deliveries to ``recipient`` in every year ``start..end``."""
        return (
            self.spans(start, end)
            and (self.suppliers is None or supplier in self.suppliers)
            and (self.recipients is None or recipient in self.recipients)
        )

    def complete_for(self, recipient: str, start: int, end: int) -> bool:
        """True if this holding has every supplier's deliveries to ``recipient`` in ``start..end``."""
        return (
            self.spans(start, end)
            and self.suppliers is None
            and (self.recipients is None or recipient in self.recipients)
        )

    def narrowed(self, suppliers: frozenset[str] | None, recipients: frozenset[str] | None) -> Holding | None:
        """This holding cut to the pairs a keep rule keeps (None = every one), or None if nothing is left."""

        def meet(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
            if a is None:
                return b
            return a if b is None else a & b

        s, r = meet(self.suppliers, suppliers), meet(self.recipients, recipients)
        if (s is not None and not s) or (r is not None and not r):
            return None
        return Holding(s, r, self.first, self.last)

    def to_json(self) -> dict:
        def names(value: frozenset[str] | None) -> str | list[str]:
            return "all" if value is None else sorted(value)

        return {
            "suppliers": names(self.suppliers),
            "recipients": names(self.recipients),
            "first": self.first,
            "last": self.last,
        }

    @classmethod
    def from_json(cls, entry: dict) -> Holding:
        def names(value: str | list[str]) -> frozenset[str] | None:
            return None if value == "all" else frozenset(value)

        return cls(names(entry["suppliers"]), names(entry["recipients"]), int(entry["first"]), int(entry["last"]))


@dataclass(frozen=True)
class Vintage:
    """One release as the project holds it: its label, generation date, years and what it was made from."""

    label: str
    generated: str  # ISO date SIPRI (or the mirror's author) generated the data
    data_start: int  # first calendar year the tables cover
    data_end: int  # last calendar year with data
    suppliers: (
        tuple[str, ...] | None
    )  # suppliers some export of the release holds (None: every supplier of some recipients)
    kind: str  # "sipri-tiv-table", "sipri-transfers" or "derived-mirror"
    note: str

    @property
    def suppliers_text(self) -> str:
        """Human-readable supplier coverage."""
        return "all suppliers" if self.suppliers is None else ", ".join(self.suppliers)


@dataclass(frozen=True)
class Coverage:
    """What the project's copy of each release holds: its years, and the supplier-recipient pairs of its exports.

    This is the project's one coverage check: a release answers for some
    suppliers' deliveries to a recipient in some years only if it covers the
    years and one of its :class:`Holding` has each pair; it gives a total over
    all suppliers (a share, a ranking) only if a holding has every supplier of
    that recipient.
    """

    releases: dict[str, Vintage]
    holdings: dict[str, tuple[Holding, ...]]
    #: The trade registers held: ledger label (``register-2024``) -> register vintage (``2024``).
    registers: dict[str, str] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        """The releases held, in the manifest's order."""
        return list(self.releases)

    def check(self, label: str) -> str:
        """Return ``label`` if it is a release held, else raise a usage error listing the releases held."""
        if label not in self.releases:
            raise UsageError(f"unknown vintage {label!r}; known vintages: {', '.join(self.releases)}")
        return label

    def gap(
        self, label: str, suppliers: list[str] | tuple[str, ...] | None, start: int, end: int, *, recipient: str
    ) -> str | None:
        """Why release ``label`` cannot answer for ``suppliers``' deliveries to ``recipient`` in ``start..end``
        (``suppliers=None``: every supplier at once), or None if it can."""
        info = self.releases[label]
        if start < info.data_start or end > info.data_end:
            return f"vintage {label} covers {info.data_start}-{info.data_end} only"
        held = self.holdings.get(label, ())
        if suppliers is None:
            if any(h.complete_for(recipient, start, end) for h in held):
                return None
            return (
                f"vintage {label} does not hold every supplier's deliveries to {recipient} in {start}-{end} "
                f"({self.held_text(label, recipient)}), so no total over all suppliers: shares need every supplier"
            )
        missing = [s for s in suppliers if not any(h.holds(s, recipient, start, end) for h in held)]
        if missing:
            return (
                f"vintage {label} does not hold {possessive(', '.join(missing))} deliveries to {recipient} in {start}-{end} "
                f"({self.held_text(label, recipient)})"
            )
        return None

    def covers(self, label: str, supplier: str, recipient: str, year: int) -> bool:
        """True if release ``label`` holds ``supplier``'s deliveries to ``recipient`` in ``year``."""
        return self.gap(label, [supplier], year, year, recipient=recipient) is None

    def held_suppliers(self, label: str, recipient: str, start: int, end: int) -> list[str] | None:
        """The suppliers of ``recipient`` release ``label`` holds in ``start..end``; None means every one."""
        held = self.holdings.get(label, ())
        if any(h.complete_for(recipient, start, end) for h in held):
            return None
        return sorted(
            {
                s
                for h in held
                if h.spans(start, end) and (h.recipients is None or recipient in h.recipients)
                for s in h.suppliers or ()
            }
        )

    def held_text(self, label: str, recipient: str) -> str:
        """What release ``label`` holds for ``recipient``, in words."""
        held = self.holdings.get(label, ())
        whole = [h for h in held if h.suppliers is None and (h.recipients is None or recipient in h.recipients)]
        if whole:
            spans = ", ".join(f"{h.first}-{h.last}" for h in whole)
            return f"it holds every supplier of {recipient} in {spans} only"
        named = sorted(
            {s for h in held if h.recipients is None or recipient in h.recipients for s in h.suppliers or ()}
        )
        if named:
            return f"it holds only {', '.join(named)} as suppliers of {recipient}"
        return f"it holds nothing for {recipient}"


@dataclass(frozen=True)
class ListedItem:
    """An item a text lists (a weapon the paper names), whether SIPRI covers it, and how to find it in a
    register: a regular expression for the designation or for the description."""

    item: str
    covered: bool
    coverage_note: str
    designation_pattern: str | None = None
    description_pattern: str | None = None
