"""Every recipient at once: supplier shares, concentration, leaders and changes over all recipients and releases.

The functions here are vectorised over every recipient of every release held,
computed from the ``sipri_tiv`` table (``vintage, supplier, recipient, year,
tiv``) and a :class:`~sinoiran.base.releases.Coverage` passed in (what each
release holds); nothing is loaded from a file. One recipient's numbers equal
those of the one-recipient code (:func:`sinoiran.analysis.shares.supplier_shares`,
:mod:`sinoiran.analysis.trends`) on the same release, by construction and by test.

**Units and periods.** Volumes are millions of SIPRI TIV (a volume index, not
money) summed over inclusive calendar years; shares are fractions in [0, 1];
the HHI is the sum of squared shares (fractions, so 1 means one supplier);
percent changes are percent, share changes percentage points. Periods are
single years, SIPRI's five-year blocks (aligned on years ending in 0 and 5:
1995-1999, 2000-2004, ...; a shorter block at either end of a release is kept
and its ``n_years`` says so), rolling windows ending in each year, or named
windows (the paper's 2005-2007 against 2008-2011).

**Denominator.** As :func:`~sinoiran.analysis.shares.supplier_shares`: a
supplier's volume over the recipient's imports from every supplier the table
holds for it in the period, computed only where the release holds *every*
supplier of that recipient over the whole period
(``Coverage.gap(release, None, first, last, recipient=r) is None``). Elsewhere
no share is given (no row), and :func:`coverage_table` says which.

**Who is compared.** Recipients are states by default: SIPRI's non-state actors
(``Hezbollah (Lebanon)*``), international organisations (``NATO**``) and
``unknown recipient(s)`` are kept apart (:func:`sinoiran.base.names.actor_kind`):
left out of every distribution and counted, with their volume, in
:attr:`Panel.kept_apart`. Suppliers of every kind stay in each recipient's total
(an unknown supplier's deliveries are still imports), so the denominator is the
same as the one-recipient code's. Predecessor states (the Soviet Union, West
Germany) are separate suppliers and recipients unless ``merge_predecessors=True``
(:data:`sinoiran.base.names.PREDECESSORS`).

**Comparisons.** A comparison across recipients places one recipient in a
distribution; it is not a counterfactual (what Iran would have imported without
the sanctions is not observed), one deal can make a recipient's whole window,
SIPRI's volumes are estimates, and each release revises them. Thresholds that
define who is compared (``min_volume``) are arguments, stated in every result.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import pandas as pd

from sinoiran.analysis.shares import sipri_blocks
from sinoiran.base.errors import UsageError
from sinoiran.base.names import PREDECESSORS, actor_kind, possessive
from sinoiran.base.releases import Coverage

#: The paper's comparison: 2005-2007 (Russia's deliveries before the UN measures bit) against 2008-2011.
PAPER_WINDOWS: tuple[tuple[int, int], tuple[int, int]] = ((2005, 2007), (2008, 2011))
#: SIPRI's block length in years.
BLOCK_YEARS = 5
#: A client is "sizeable" if the supplier delivered it at least this much a year, on average, in the first window
#: (millions of TIV per year): about one small deal a year, well above SIPRI's rounding of small deliveries.
SIZEABLE_TIV_PER_YEAR = 10.0
#: How many suppliers count as "major" when none are named: the largest over the windows, plus the paper's two.
MAJOR_SUPPLIERS = 5
PAPER_SUPPLIERS: tuple[str, ...] = ("Russia", "China")

#: The kinds of period the functions take (``kind=``), and ``windows`` for named windows.
PERIOD_KINDS = ("year", "block", "rolling", "windows")
LEADER_COLUMNS = [
    "release",
    "recipient",
    "period",
    "first_year",
    "last_year",
    "n_years",
    "total",
    "leader",
    "leader_tiv",
    "leader_share",
    "runner_up",
    "runner_up_tiv",
    "tied",
]
SHARE_COLUMNS = [
    "release",
    "recipient",
    "period",
    "first_year",
    "last_year",
    "year",
    "n_years",
    "supplier",
    "tiv",
    "total",
    "zero_total",
    "share",
]


@dataclass(frozen=True, eq=False)
class Panel:
    """The deliveries of every release held, coded once for the panel's functions.

    Rows are ``release, recipient, supplier, year, tiv`` (millions of TIV; predecessors merged into their
    successors if ``merge_predecessors``), recipients of the kinds kept only, stored as integer codes into
    ``releases`` (the coverage's order), ``recipient_names`` and ``supplier_names`` (both sorted), ordered by
    release, recipient, supplier and year, one row per key. :attr:`deliveries` gives them as a frame;
    ``kept_apart`` lists the recipients left out (``release, recipient, kind, tiv, rows``); ``coverage`` is
    what each release holds.
    """

    coverage: Coverage
    releases: tuple[str, ...]
    recipient_names: np.ndarray
    supplier_names: np.ndarray
    release_code: np.ndarray
    recipient_code: np.ndarray
    supplier_code: np.ndarray
    year: np.ndarray
    tiv: np.ndarray
    kept_apart: pd.DataFrame
    merge_predecessors: bool = False
    kinds: tuple[str, ...] = ("state",)

    def rows(self, release: str) -> slice:
        """The rows of ``release`` (contiguous: rows are ordered by release)."""
        code = self.releases.index(release)
        return slice(*np.searchsorted(self.release_code, [code, code + 1]))

    def years(self, release: str) -> tuple[int, int]:
        """The first and last calendar year release ``release`` covers."""
        info = self.coverage.releases[release]
        return info.data_start, info.data_end

    @property
    def kept_recipients(self) -> list[str]:
        """The recipients the panel keeps (of its ``kinds``) with any delivery in any release, sorted."""
        return list(self.recipient_names[np.unique(self.recipient_code)])

    def recipients(self, release: str) -> list[str]:
        """The recipients with any delivery in ``release``, sorted."""
        return list(self.recipient_names[np.unique(self.recipient_code[self.rows(release)])])

    def suppliers(self, release: str) -> list[str]:
        """The suppliers with any delivery in ``release``, sorted."""
        return list(self.supplier_names[np.unique(self.supplier_code[self.rows(release)])])

    def only(self, releases: Sequence[str]) -> Panel:
        """The same panel cut to ``releases`` (in the panel's order)."""
        kept = tuple(r for r in self.releases if r in set(releases))
        keep = np.isin(self.release_code, [self.releases.index(r) for r in kept])
        recode = np.full(len(self.releases), -1)
        recode[[self.releases.index(r) for r in kept]] = np.arange(len(kept))
        apart = self.kept_apart
        if len(apart):
            apart = apart[apart["release"].isin(kept)].reset_index(drop=True)
        return replace(
            self,
            releases=kept,
            release_code=recode[self.release_code[keep]],
            recipient_code=self.recipient_code[keep],
            supplier_code=self.supplier_code[keep],
            year=self.year[keep],
            tiv=self.tiv[keep],
            kept_apart=apart,
        )

    @cached_property
    def deliveries(self) -> pd.DataFrame:
        """The panel's rows as a frame: ``release, recipient, supplier, year, tiv``."""
        return pd.DataFrame(
            {
                "release": _decode(self.release_code, self.releases),
                "recipient": _decode(self.recipient_code, self.recipient_names),
                "supplier": _decode(self.supplier_code, self.supplier_names),
                "year": self.year,
                "tiv": self.tiv,
            }
        )


def _decode(codes: np.ndarray, names: Sequence[str] | np.ndarray) -> pd.Categorical:
    """Names for integer codes, as a categorical (no string is copied)."""
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64), categories=pd.Index(list(names), dtype=object))


def build_panel(
    tiv: pd.DataFrame,
    coverage: Coverage,
    *,
    releases: Sequence[str] | None = None,
    merge_predecessors: bool = False,
    kinds: Sequence[str] = ("state",),
) -> Panel:
    """The panel of ``tiv`` (the ``sipri_tiv`` table) for ``releases`` (default: every release it holds).

    ``kinds`` are the kinds of recipient kept (:func:`~sinoiran.base.names.actor_kind`: ``state``,
    ``non-state actor``, ``international organisation``, ``unknown``); the others go to
    :attr:`Panel.kept_apart`. With ``merge_predecessors`` the Soviet Union counts as Russia and West Germany as
    Germany, as suppliers and as recipients. Rows with the same key (after merging) are summed.
    """
    unknown = [r for r in releases or () if r not in coverage.releases]
    if unknown:
        raise UsageError(f"unknown release(s) {', '.join(unknown)}; known releases: {', '.join(coverage.releases)}")
    frame = tiv
    if releases is not None:
        frame = frame[frame["vintage"].isin(list(releases))]
    release_raw, release_found = pd.factorize(frame["vintage"].to_numpy())
    missing = [str(r) for r in release_found if r not in coverage.releases]
    if missing:
        raise UsageError(f"release(s) {', '.join(missing)} are not in the coverage given")
    present = tuple(label for label in coverage.releases if label in set(release_found))
    release_code = np.array([present.index(r) for r in release_found], dtype=np.int64)[release_raw]

    def coded(column: str) -> tuple[np.ndarray, np.ndarray]:
        codes, names = pd.factorize(frame[column].to_numpy())
        names = np.array([PREDECESSORS.get(n, n) if merge_predecessors else n for n in names], dtype=object)
        merged, back = np.unique(names, return_inverse=True)  # sorted names, and each old code's new code
        return back[codes], merged

    recipient_code, recipient_names = coded("recipient")
    supplier_code, supplier_names = coded("supplier")
    kind_of_code = np.array([actor_kind(str(n)) for n in recipient_names], dtype=object)
    keep_code = np.isin(kind_of_code, list(kinds))
    keep = keep_code[recipient_code]
    years = frame["year"].to_numpy(dtype=np.int64)
    values = frame["tiv"].to_numpy(dtype=float)
    kept_apart = _kept_apart(
        present, recipient_names, kind_of_code, release_code[~keep], recipient_code[~keep], values[~keep]
    )
    # One row per key, ordered by release, recipient, supplier and year: np.unique sorts the combined key.
    y0 = int(years.min()) if len(years) else 0
    n_years = int(years.max()) - y0 + 1 if len(years) else 1
    key = (
        (release_code[keep] * len(recipient_names) + recipient_code[keep]) * len(supplier_names) + supplier_code[keep]
    ) * n_years + (years[keep] - y0)
    unique, inverse = np.unique(key, return_inverse=True)
    summed = np.bincount(inverse, weights=values[keep], minlength=len(unique))
    year = unique % n_years + y0
    rest = unique // n_years
    return Panel(
        coverage=coverage,
        releases=present,
        recipient_names=recipient_names,
        supplier_names=supplier_names,
        release_code=rest // (len(supplier_names) * len(recipient_names)),
        recipient_code=(rest // len(supplier_names)) % len(recipient_names),
        supplier_code=rest % len(supplier_names),
        year=year,
        tiv=summed,
        kept_apart=kept_apart,
        merge_predecessors=merge_predecessors,
        kinds=tuple(kinds),
    )


def _kept_apart(releases, names, kinds, release_code, recipient_code, values) -> pd.DataFrame:
    """The recipients left out of the panel, per release: their kind, volume (millions of TIV) and row count."""
    columns = ["release", "recipient", "kind", "tiv", "rows"]
    if not len(release_code):
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame({"release_code": release_code, "recipient_code": recipient_code, "tiv": values})
    grouped = frame.groupby(["release_code", "recipient_code"], sort=True)["tiv"].agg(tiv="sum", rows="size")
    grouped = grouped.reset_index()
    return pd.DataFrame(
        {
            "release": [releases[c] for c in grouped["release_code"]],
            "recipient": names[grouped["recipient_code"]],
            "kind": kinds[grouped["recipient_code"]],
            "tiv": grouped["tiv"].to_numpy(),
            "rows": grouped["rows"].to_numpy(),
        }
    )[columns]


# --- periods -----------------------------------------------------------------------------------


def periods(first: int, last: int, kind: str = "block", *, width: int = BLOCK_YEARS) -> list[tuple[int, int]]:
    """The periods of ``kind`` within ``first..last`` (inclusive), as (first year, last year).

    ``year``: every year. ``block``: SIPRI's ``width``-year blocks, the last ending in ``last``
    (:func:`sinoiran.analysis.shares.sipri_blocks`: 2020-2024, 2015-2019, ... for data to 2024), the first cut
    at ``first``. ``rolling``: one ``width``-year window
    ending in each year from ``first + width - 1``.
    """
    if first > last:
        raise UsageError(f"first year {first} is after last year {last}")
    if width < 1:
        raise UsageError("a period is at least one year long")
    if kind == "year":
        return [(y, y) for y in range(first, last + 1)]
    if kind == "block":
        return sipri_blocks(first, last, width)
    if kind == "rolling":
        return [(y - width + 1, y) for y in range(first + width - 1, last + 1)]
    raise UsageError(f"unknown kind of period {kind!r}; choose one of year, block, rolling (or give windows)")


def parse_windows(text: str) -> list[tuple[int, int]]:
    """Windows written as ``2005-2007:2008-2011`` (a single year may be written ``2005``), in order.

    Raises a :class:`UsageError` in one line for anything else: a malformed window, a first year after the
    last, or windows that overlap or are out of order (each window must end before the next begins).
    """
    parts = [p.strip() for p in str(text).split(":")]
    out = []
    for part in parts:
        pieces = [p.strip() for p in part.split("-")]
        if not (1 <= len(pieces) <= 2) or not all(p.isdigit() and len(p) == 4 for p in pieces):
            raise UsageError(
                f"--windows {text!r}: {part!r} is not a window; write FIRST-LAST:FIRST-LAST, e.g. 2005-2007:2008-2011"
            )
        first, last = int(pieces[0]), int(pieces[-1])
        if first > last:
            raise UsageError(f"--windows {text!r}: {part!r} starts after it ends")
        out.append((first, last))
    if len(out) < 2:
        raise UsageError(f"--windows {text!r}: give two windows to compare, e.g. 2005-2007:2008-2011")
    for (_, end), (start, _) in zip(out, out[1:], strict=False):
        if start <= end:
            raise UsageError(f"--windows {text!r}: windows overlap or are out of order; each must end before the next")
    return out


def covers(panel: Panel, release: str, before: tuple[int, int], after: tuple[int, int]) -> bool:
    """True if ``release`` covers every year from the start of ``before`` to the end of ``after``."""
    first, last = panel.years(release)
    return first <= before[0] and after[1] <= last


def _spans(panel: Panel, release: str, kind: str, width: int, windows: Sequence[tuple[int, int]] | None):
    """The periods of one release: ``windows`` that lie within its years, or its periods of ``kind``."""
    first, last = panel.years(release)
    if kind == "windows" or windows is not None:
        return [(a, b) for a, b in (windows or ()) if first <= a and b <= last]
    return periods(first, last, kind, width=width)


# --- coverage, vectorised ----------------------------------------------------------------------


def _holding_mask(coverage: Coverage, release: str, recipients, first, last, suppliers=None) -> np.ndarray:
    """True where a holding of ``release`` has every supplier (``suppliers`` None) or each supplier of
    ``suppliers`` for each recipient over ``first..last``; recipients and suppliers are arrays of names."""
    recipients, first, last = np.asarray(recipients, dtype=object), np.asarray(first), np.asarray(last)
    info = coverage.releases[release]
    inside = (first >= info.data_start) & (last <= info.data_end)
    held = np.zeros(len(recipients), dtype=bool)
    for holding in coverage.holdings.get(release, ()):
        if suppliers is None and holding.suppliers is not None:
            continue
        spans = (holding.first <= first) & (last <= holding.last)
        if suppliers is not None and holding.suppliers is not None:
            spans &= np.isin(np.asarray(suppliers, dtype=object), list(holding.suppliers))
        if holding.recipients is not None:
            spans &= np.isin(recipients, list(holding.recipients))
        held |= spans
    return inside & held


def complete_mask(
    coverage: Coverage, release: str, recipients: Iterable[str], first: Iterable[int], last: Iterable[int]
) -> np.ndarray:
    """True where ``release`` holds every supplier of each recipient over its ``first..last`` (element-wise).

    The vectorised form of ``coverage.gap(release, None, first, last, recipient=r) is None``.
    """
    return _holding_mask(coverage, release, list(recipients), list(first), list(last))


def pair_mask(
    coverage: Coverage,
    release: str,
    suppliers: Iterable[str],
    recipients: Iterable[str],
    first: Iterable[int],
    last: Iterable[int],
) -> np.ndarray:
    """True where ``release`` holds each supplier's deliveries to each recipient over ``first..last``.

    The vectorised form of ``coverage.gap(release, [s], first, last, recipient=r) is None``.
    """
    return _holding_mask(coverage, release, list(recipients), list(first), list(last), suppliers=list(suppliers))


def _complete_codes(panel: Panel, release: str, recipient_code: np.ndarray, first, last) -> np.ndarray:
    """:func:`complete_mask` on recipient codes: each distinct (recipient, first, last) is checked once."""
    if not len(recipient_code):
        return np.zeros(0, dtype=bool)
    key = (np.asarray(recipient_code, dtype=np.int64) * 10_000 + np.asarray(first)) * 10_000 + np.asarray(last)
    inverse, unique = pd.factorize(key)
    names = panel.recipient_names[unique // 100_000_000]
    return complete_mask(panel.coverage, release, names, (unique // 10_000) % 10_000, unique % 10_000)[inverse]


def coverage_table(panel: Panel, *, start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """Per release and recipient: whether shares can be computed over ``start..end`` (default: the release's years).

    Columns ``release, recipient, first_year, last_year, complete``.
    """
    frames = []
    for release in panel.releases:
        first, last = panel.years(release)
        first, last = max(first, start or first), min(last, end or last)
        recipients = panel.recipients(release)
        n = len(recipients)
        frames.append(
            pd.DataFrame(
                {
                    "release": release,
                    "recipient": recipients,
                    "first_year": first,
                    "last_year": last,
                    "complete": complete_mask(panel.coverage, release, recipients, [first] * n, [last] * n),
                }
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


# --- the engine: sums over periods, every recipient at once ------------------------------------


@dataclass(frozen=True)
class _Sums:
    """Sums over periods as arrays. Pairs: one per (release, recipient, period, supplier) with a row in the
    period, ordered so; ``group`` indexes the totals. Totals: one per (release, recipient, period) with a row."""

    pair_group: np.ndarray
    pair_supplier: np.ndarray
    pair_tiv: np.ndarray
    release: np.ndarray
    recipient: np.ndarray
    first: np.ndarray
    last: np.ndarray
    total: np.ndarray
    complete: np.ndarray


def _sums(panel: Panel, kind: str, width: int, windows: Sequence[tuple[int, int]] | None) -> _Sums:
    """Every release's rows summed over its periods (see :func:`period_sums`)."""
    n_suppliers = max(len(panel.supplier_names), 1)
    parts: list[tuple[np.ndarray, ...]] = []
    offset = 0
    for code, release in enumerate(panel.releases):
        spans = _spans(panel, release, kind, width, windows)
        rows = panel.rows(release)
        if not spans or rows.start == rows.stop:
            continue
        firsts = np.array([a for a, _ in spans], dtype=np.int64)
        lasts = np.array([b for _, b in spans], dtype=np.int64)
        y0, y1 = int(firsts.min()), int(lasts.max())
        years = panel.year[rows]
        inside = (years >= y0) & (years <= y1)
        years = years[inside]
        # Which spans hold each calendar year (a ragged table, flattened), then each row once per span.
        grid = np.arange(y0, y1 + 1)
        holds = (grid[:, None] >= firsts[None, :]) & (grid[:, None] <= lasts[None, :])
        per_year = holds.sum(axis=1)
        offsets = np.concatenate([[0], np.cumsum(per_year)[:-1]])
        members = np.nonzero(holds)[1]
        counts = per_year[years - y0]
        source = np.repeat(np.arange(len(years)), counts)
        within = np.arange(len(source)) - np.repeat(np.cumsum(counts) - counts, counts)
        span = members[offsets[years[source] - y0] + within]
        recipient = panel.recipient_code[rows][inside][source]
        supplier = panel.supplier_code[rows][inside][source]
        key = (recipient * len(spans) + span) * n_suppliers + supplier
        unique, inverse = np.unique(key, return_inverse=True)
        tiv = np.bincount(inverse, weights=panel.tiv[rows][inside][source], minlength=len(unique))
        # pairs are sorted by (recipient, span, supplier): their groups are runs of equal unique // n_suppliers
        of_pair = unique // n_suppliers
        starts = np.r_[True, of_pair[1:] != of_pair[:-1]] if len(of_pair) else np.zeros(0, dtype=bool)
        group_of_pair = np.cumsum(starts) - 1
        groups = of_pair[starts]
        total = np.bincount(group_of_pair, weights=tiv, minlength=len(groups))
        group_recipient, group_span = groups // len(spans), groups % len(spans)
        first, last = firsts[group_span], lasts[group_span]
        complete = _complete_codes(panel, release, group_recipient, first, last)
        parts.append(
            (
                group_of_pair + offset,
                unique % n_suppliers,
                tiv,
                np.full(len(groups), code),
                group_recipient,
                first,
                last,
                total,
                complete,
            )
        )
        offset += len(groups)
    if not parts:
        empty_i, empty_f = np.zeros(0, dtype=np.int64), np.zeros(0)
        return _Sums(empty_i, empty_i, empty_f, empty_i, empty_i, empty_i, empty_i, empty_f, np.zeros(0, dtype=bool))
    return _Sums(*(np.concatenate([p[i] for p in parts]) for i in range(9)))


def _period_labels(first: np.ndarray, last: np.ndarray) -> pd.Categorical:
    """ "2005-2009" (or "2005" for one year) for each (first, last), made once per distinct period."""
    inverse, unique = pd.factorize(np.asarray(first, dtype=np.int64) * 10_000 + np.asarray(last, dtype=np.int64))
    labels = [str(k // 10_000) if k // 10_000 == k % 10_000 else f"{k // 10_000}-{k % 10_000}" for k in unique]
    return pd.Categorical.from_codes(inverse, categories=pd.Index(labels, dtype=object))


def _group_frame(panel: Panel, sums: _Sums, groups: np.ndarray) -> dict[str, object]:
    """The key columns of some totals' groups: release, recipient, period, first and last year, years."""
    first, last = sums.first[groups], sums.last[groups]
    return {
        "release": _decode(sums.release[groups], panel.releases),
        "recipient": _decode(sums.recipient[groups], panel.recipient_names),
        "period": _period_labels(first, last),
        "first_year": first,
        "last_year": last,
        "year": last,
        "n_years": last - first + 1,
    }


def period_sums(
    panel: Panel,
    *,
    kind: str = "year",
    width: int = BLOCK_YEARS,
    windows: Sequence[tuple[int, int]] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Volumes summed over periods, for every release, recipient and supplier at once.

    Returns ``(volumes, totals)``: ``volumes`` has ``release, recipient, period, first_year, last_year, year,
    n_years, supplier, tiv`` for every supplier with a row (a delivery, or SIPRI's 0 for under half a million)
    in the period; ``totals`` has the same keys without ``supplier`` and ``total`` (the recipient's imports
    from every supplier in the table) and ``complete`` (whether the release holds every supplier of the
    recipient over the period). Periods (``kind`` ``year``, ``block`` or ``rolling`` of ``width`` years, or
    named ``windows``) may overlap: a year counts in each period that holds it.
    """
    sums = _sums(panel, kind, width, windows)
    volumes = pd.DataFrame(
        {
            **_group_frame(panel, sums, sums.pair_group),
            "supplier": _decode(sums.pair_supplier, panel.supplier_names),
            "tiv": sums.pair_tiv,
        }
    )
    groups = np.arange(len(sums.total))
    totals = pd.DataFrame({**_group_frame(panel, sums, groups), "total": sums.total, "complete": sums.complete})
    return volumes, totals


# --- shares, concentration, leaders ------------------------------------------------------------


def panel_shares(
    panel: Panel,
    *,
    kind: str = "year",
    width: int = BLOCK_YEARS,
    windows: Sequence[tuple[int, int]] | None = None,
    suppliers: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Each supplier's share of each recipient's imports, per period, where the release holds every supplier.

    Periods as :func:`period_sums`. Without ``suppliers``: one row per supplier with a row in the period.
    With ``suppliers``: a complete grid of those suppliers for every recipient of the release and every
    period, as :func:`~sinoiran.analysis.shares.supplier_shares` gives it (``tiv`` 0 where a supplier
    delivered nothing, ``share`` NaN and ``zero_total`` where the recipient imported nothing). Only
    recipients the release holds completely over the period appear. Rows are ordered by release, recipient,
    period and supplier. Columns: :data:`SHARE_COLUMNS`.
    """
    sums = _sums(panel, kind, width, windows)
    if suppliers is None:
        keep = sums.complete[sums.pair_group]
        group, supplier, tiv = sums.pair_group[keep], sums.pair_supplier[keep], sums.pair_tiv[keep]
        frame = _group_frame(panel, sums, group)
        frame["supplier"] = _decode(supplier, panel.supplier_names)
        total = sums.total[group]
    else:
        frame, tiv, total = _dense(panel, sums, kind, width, windows, list(suppliers))
    out = pd.DataFrame({**frame, "tiv": tiv, "total": total})
    out["zero_total"] = out["total"] <= 0
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(out["zero_total"], np.nan, out["tiv"].to_numpy() / out["total"].to_numpy())
    return out[SHARE_COLUMNS]


def _dense(panel: Panel, sums: _Sums, kind, width, windows, suppliers: list[str]):
    """The grid of ``suppliers`` for every recipient of each release and every period (complete ones only),
    with each cell's volume and the recipient's total looked up in ``sums`` (0 where there is no row)."""
    code_of = {name: i for i, name in enumerate(panel.supplier_names)}
    wanted = np.array([code_of.get(s, -1) for s in suppliers], dtype=np.int64)
    n_suppliers = max(len(panel.supplier_names), 1)
    pair_key = sums.pair_group * n_suppliers + sums.pair_supplier  # ascending: pairs are ordered by group, supplier
    parts = []
    for code, release in enumerate(panel.releases):
        spans = _spans(panel, release, kind, width, windows)
        recipients = np.unique(panel.recipient_code[panel.rows(release)])
        if not spans or not len(recipients):
            continue
        firsts = np.array([a for a, _ in spans], dtype=np.int64)
        lasts = np.array([b for _, b in spans], dtype=np.int64)
        recipient = np.repeat(recipients, len(spans))
        span = np.tile(np.arange(len(spans)), len(recipients))
        complete = _complete_codes(panel, release, recipient, firsts[span], lasts[span])
        recipient, span = recipient[complete], span[complete]
        # the totals' group of each (recipient, period), or -1 where nothing was imported
        mine = np.nonzero(sums.release == code)[0]
        lookup = pd.Series(
            mine, index=pd.MultiIndex.from_arrays([sums.recipient[mine], sums.first[mine], sums.last[mine]])
        )
        index = pd.MultiIndex.from_arrays([recipient, firsts[span], lasts[span]])
        group = lookup.reindex(index).fillna(-1).to_numpy(dtype=np.int64)
        parts.append((np.full(len(recipient), code), recipient, firsts[span], lasts[span], group))
    if not parts:
        empty: dict[str, object] = {c: [] for c in SHARE_COLUMNS if c not in ("tiv", "total", "zero_total", "share")}
        return empty, np.zeros(0), np.zeros(0)
    n = len(suppliers)
    cell_release, cell_recipient, cell_first, cell_last, cell_group = (
        np.repeat(np.concatenate([p[i] for p in parts]), n) for i in range(5)
    )
    which = np.tile(np.arange(n), len(cell_release) // max(n, 1))
    supplier = wanted[which]
    tiv, total = np.zeros(len(cell_group)), np.zeros(len(cell_group))
    if len(pair_key):
        key = cell_group * n_suppliers + supplier
        position = np.minimum(np.searchsorted(pair_key, key), len(pair_key) - 1)
        found = (cell_group >= 0) & (supplier >= 0) & (pair_key[position] == key)
        tiv[found] = sums.pair_tiv[position[found]]
        total[cell_group >= 0] = sums.total[cell_group[cell_group >= 0]]
    frame: dict[str, object] = {
        "release": _decode(cell_release, panel.releases),
        "recipient": _decode(cell_recipient, panel.recipient_names),
        "period": _period_labels(cell_first, cell_last),
        "first_year": cell_first,
        "last_year": cell_last,
        "year": cell_last,
        "n_years": cell_last - cell_first + 1,
        "supplier": pd.Categorical.from_codes(which, categories=pd.Index(suppliers, dtype=object)),
    }
    return frame, tiv, total


def concentration(
    panel: Panel, *, kind: str = "block", width: int = BLOCK_YEARS, windows: Sequence[tuple[int, int]] | None = None
) -> pd.DataFrame:
    """The Herfindahl-Hirschman index of each recipient's suppliers per period: the sum of squared shares.

    Shares are fractions of the recipient's imports from every supplier (each of SIPRI's supplier names counts
    once, ``unknown supplier(s)`` included), so the HHI runs from near 0 (many small suppliers) to 1 (one).
    Only where the release holds every supplier and something was imported. Columns ``release, recipient,
    period, first_year, last_year, n_years, total, suppliers`` (how many delivered) and ``hhi``.
    """
    sums = _sums(panel, kind, width, windows)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = sums.pair_tiv / sums.total[sums.pair_group]
    n = len(sums.total)
    hhi = np.bincount(sums.pair_group, weights=np.nan_to_num(share) ** 2, minlength=n)
    delivering = np.bincount(sums.pair_group, weights=(sums.pair_tiv > 0).astype(float), minlength=n).astype(int)
    groups = np.nonzero(sums.complete & (sums.total > 0))[0]
    frame = _group_frame(panel, sums, groups)
    frame.pop("year")
    return pd.DataFrame({**frame, "total": sums.total[groups], "suppliers": delivering[groups], "hhi": hhi[groups]})


def _snapped(values) -> np.ndarray:
    """Values at 10 significant digits, so that comparisons and ranks ignore noise in the last digits
    (the vectorised form of :func:`sinoiran.base.precision.snap`)."""
    values = np.asarray(values, dtype=float)
    out = values.copy()
    finite = np.isfinite(values) & (values != 0)
    magnitude = np.floor(np.log10(np.abs(values[finite])))
    scale = 10.0 ** (9 - magnitude)
    out[finite] = np.round(values[finite] * scale) / scale
    out[np.abs(out) < 1e-12] = 0.0
    return out


def leaders(
    panel: Panel, *, kind: str = "block", width: int = BLOCK_YEARS, windows: Sequence[tuple[int, int]] | None = None
) -> pd.DataFrame:
    """The leading supplier of each recipient per period: the largest volume, with the runner-up.

    Only where the release holds every supplier and the recipient imported something. Volumes are compared at
    10 significant digits; equal volumes are a tie (``tied``), broken by the supplier's name so the answer is
    stable. Columns: :data:`LEADER_COLUMNS`.
    """
    sums = _sums(panel, kind, width, windows)
    keep = (sums.complete & (sums.total > 0))[sums.pair_group]
    group, supplier, tiv = sums.pair_group[keep], sums.pair_supplier[keep], sums.pair_tiv[keep]
    rank = _snapped(tiv)
    order = np.lexsort((supplier, -rank, group))  # by group, then largest volume, then name (codes are sorted)
    group, supplier, tiv, rank = group[order], supplier[order], tiv[order], rank[order]
    starts = np.nonzero(np.r_[True, group[1:] != group[:-1]])[0]
    has_second = np.r_[starts[1:], len(group)] - starts > 1
    second = np.where(has_second, starts + 1, starts)
    groups = group[starts]
    frame = _group_frame(panel, sums, groups)
    frame.pop("year")
    total = sums.total[groups]
    runner = pd.Categorical.from_codes(
        np.where(has_second, supplier[second], -1), categories=pd.Index(list(panel.supplier_names), dtype=object)
    )
    out = pd.DataFrame(
        {
            **frame,
            "total": total,
            "leader": _decode(supplier[starts], panel.supplier_names),
            "leader_tiv": tiv[starts],
            "leader_share": tiv[starts] / total,
            "runner_up": runner,
            "runner_up_tiv": np.where(has_second, tiv[second], 0.0),
            "tied": has_second & (rank[second] == rank[starts]),
        }
    )
    return out[LEADER_COLUMNS]


def lead_changes(leaders_frame: pd.DataFrame) -> pd.DataFrame:
    """The periods in which a recipient's leading supplier changed from the previous period's.

    ``leaders_frame`` is :func:`leaders`'s output (ordered by release, recipient and period). A change is
    counted between consecutive periods with a leader (a period with no imports in between is skipped over).
    ``year`` is the first year of the period with the new leader. Columns ``release, recipient, period, year,
    previous_period, previous, leader, tied``.
    """
    frame = leaders_frame.reset_index(drop=True)
    release = frame["release"].astype(object).to_numpy()
    recipient = frame["recipient"].astype(object).to_numpy()
    leader = frame["leader"].astype(object).to_numpy()
    same = np.r_[False, (release[1:] == release[:-1]) & (recipient[1:] == recipient[:-1])]
    changed = same & np.r_[False, leader[1:] != leader[:-1]]
    before = np.nonzero(changed)[0] - 1
    out = frame.loc[changed, ["release", "recipient", "period", "first_year", "leader", "tied"]].copy()
    out["previous_period"] = frame["period"].to_numpy()[before]
    out["previous"] = leader[before]
    out = out.rename(columns={"first_year": "year"})
    return out[["release", "recipient", "period", "year", "previous_period", "previous", "leader", "tied"]].reset_index(
        drop=True
    )


def moves(changes: pd.DataFrame, *, source: str = "Russia", target: str = "China") -> pd.DataFrame:
    """The recipients whose lead passed from ``source`` to ``target``, and when (from :func:`lead_changes`)."""
    mask = (changes["previous"].astype(object) == source) & (changes["leader"].astype(object) == target)
    return changes[mask].reset_index(drop=True)


# --- change between two windows ----------------------------------------------------------------


def window_change(
    panel: Panel,
    before: tuple[int, int] = PAPER_WINDOWS[0],
    after: tuple[int, int] = PAPER_WINDOWS[1],
    *,
    suppliers: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Each supplier's deliveries to each recipient in two windows, and the change between them.

    For every release that covers both windows and every (recipient, supplier) pair with a row in either
    window (restricted to ``suppliers`` if given): ``tiv_before``, ``tiv_after`` (sums, millions of TIV),
    ``mean_before``, ``mean_after`` (per year), ``drop_pct`` = 100 * (1 - mean_after / mean_before)
    (positive when deliveries fell; NaN from nothing), ``covered`` (the release holds the pair in both
    windows), and where the release holds every supplier of the recipient in both windows (``complete``):
    ``total_before``, ``total_after`` (the recipient's imports, per year), ``share_before``, ``share_after``
    (fractions) and ``share_change_pp`` (percentage points). Rows are ordered by release, recipient, supplier.
    """
    if before[1] >= after[0]:
        raise UsageError(f"window {before[0]}-{before[1]} must end before {after[0]}-{after[1]} begins")
    panel = panel.only([r for r in panel.releases if covers(panel, r, before, after)])
    sums = _sums(panel, "windows", BLOCK_YEARS, [before, after])
    n_suppliers = max(len(panel.supplier_names), 1)
    n_recipients = max(len(panel.recipient_names), 1)
    is_after = sums.last[sums.pair_group] == after[1]
    pair = (sums.release[sums.pair_group] * n_recipients + sums.recipient[sums.pair_group]) * n_suppliers
    pair = pair + sums.pair_supplier
    if suppliers is not None:
        code_of = {name: i for i, name in enumerate(panel.supplier_names)}
        wanted = [code_of[s] for s in suppliers if s in code_of]
        keep = np.isin(sums.pair_supplier, wanted)
        pair, is_after = pair[keep], is_after[keep]
        values = sums.pair_tiv[keep]
    else:
        values = sums.pair_tiv
    unique, inverse = np.unique(pair, return_inverse=True)
    tiv_before = np.bincount(inverse, weights=np.where(is_after, 0.0, values), minlength=len(unique))
    tiv_after = np.bincount(inverse, weights=np.where(is_after, values, 0.0), minlength=len(unique))
    release = unique // (n_suppliers * n_recipients)
    recipient = (unique // n_suppliers) % n_recipients
    supplier = unique % n_suppliers
    n_before, n_after = before[1] - before[0] + 1, after[1] - after[0] + 1
    # the recipient's totals per window, where the release holds every supplier of it in both
    group_after = sums.last == after[1]
    recipient_key = sums.release * n_recipients + sums.recipient
    totals = pd.DataFrame({"key": recipient_key, "after": group_after, "total": sums.total})
    totals = totals.pivot_table(index="key", columns="after", values="total", aggfunc="sum", fill_value=0.0)
    totals = totals.reindex(columns=[False, True], fill_value=0.0)
    key = release * n_recipients + recipient
    total_before = totals[False].reindex(key).fillna(0.0).to_numpy() / n_before
    total_after = totals[True].reindex(key).fillna(0.0).to_numpy() / n_after
    covered = np.ones(len(unique), dtype=bool)
    complete = np.ones(len(unique), dtype=bool)
    names = panel.recipient_names[recipient] if len(unique) else np.zeros(0, dtype=object)
    supplier_names = panel.supplier_names[supplier] if len(unique) else np.zeros(0, dtype=object)
    for code, label in enumerate(panel.releases):
        mine = release == code
        n = int(mine.sum())
        for first, last in (before, after):
            covered[mine] &= pair_mask(
                panel.coverage, label, supplier_names[mine], names[mine], [first] * n, [last] * n
            )
            complete[mine] &= _complete_codes(panel, label, recipient[mine], np.full(n, first), np.full(n, last))
    mean_before, mean_after = tiv_before / n_before, tiv_after / n_after
    with np.errstate(divide="ignore", invalid="ignore"):
        drop = np.where(mean_before > 0, 100 * (1 - mean_after / mean_before), np.nan)
        total_before = np.where(complete, total_before, np.nan)
        total_after = np.where(complete, total_after, np.nan)
        share_before = np.where(total_before > 0, mean_before / total_before, np.nan)
        share_after = np.where(total_after > 0, mean_after / total_after, np.nan)
    return pd.DataFrame(
        {
            "release": _decode(release, panel.releases),
            "recipient": _decode(recipient, panel.recipient_names),
            "supplier": _decode(supplier, panel.supplier_names),
            "tiv_before": tiv_before,
            "tiv_after": tiv_after,
            "mean_before": mean_before,
            "mean_after": mean_after,
            "drop_pct": drop,
            "covered": covered,
            "complete": complete,
            "total_before": total_before,
            "total_after": total_after,
            "share_before": share_before,
            "share_after": share_after,
            "share_change_pp": 100 * (share_after - share_before),
        }
    )


def major_suppliers(
    panel: Panel,
    release: str,
    start: int,
    end: int,
    *,
    n: int = MAJOR_SUPPLIERS,
    always: Sequence[str] = PAPER_SUPPLIERS,
) -> list[str]:
    """The ``n`` largest suppliers (states) by volume to the panel's recipients in ``start..end``, plus ``always``
    (the paper's two), largest first."""
    rows = panel.rows(release)
    inside = (panel.year[rows] >= start) & (panel.year[rows] <= end)
    volume = np.bincount(
        panel.supplier_code[rows][inside], weights=panel.tiv[rows][inside], minlength=len(panel.supplier_names)
    )
    held = {panel.supplier_names[i] for i in np.unique(panel.supplier_code[rows][inside])}
    order = sorted(
        (
            i
            for i in range(len(volume))
            if actor_kind(panel.supplier_names[i]) == "state" and panel.supplier_names[i] in held
        ),
        key=lambda i: -volume[i],
    )
    largest = [str(panel.supplier_names[i]) for i in order[:n]]
    return largest + [s for s in always if s not in largest and s in held]


# --- baselines: where one recipient falls among the others ------------------------------------


@dataclass(frozen=True)
class Baseline:
    """Where ``focus`` falls among the recipients compared on one measure (a distribution, not an aggregate).

    ``clients`` has one row per recipient compared, with ``value`` (the measure) and ``rank`` (1 = most
    extreme in the direction named by ``larger_is``; equal values share the better rank), sorted by rank.
    ``focus_rank`` is None when the focus is not among them. ``at_least_as_extreme`` counts the recipients
    whose value is at least as extreme as the focus's, the focus included.
    """

    release: str
    measure: str
    supplier: str
    before: tuple[int, int]
    after: tuple[int, int]
    min_volume: float
    rule: str
    focus: str
    clients: pd.DataFrame
    larger_is: str = "more extreme"
    kept_apart: int = 0
    focus_value: float = math.nan
    focus_rank: int | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def n(self) -> int:
        """How many recipients are compared."""
        return len(self.clients)

    @property
    def at_least_as_extreme(self) -> int:
        """Recipients whose value is at least as extreme as the focus's (focus included); 0 without the focus."""
        if self.focus_rank is None:
            return 0
        focus = _snapped([self.focus_value])[0]
        return int((_snapped(self.clients["value"]) >= focus).sum())

    @property
    def share_at_least_as_extreme(self) -> float:
        """:attr:`at_least_as_extreme` as a fraction of the recipients compared."""
        return self.at_least_as_extreme / self.n if self.n else math.nan


def _ranked(clients: pd.DataFrame, focus: str) -> tuple[pd.DataFrame, float, int | None]:
    """Clients ranked on ``value`` (largest first, ties share the better rank), the focus's value and rank."""
    snapped = pd.Series(_snapped(clients["value"]), index=clients.index)
    clients = clients.assign(rank=snapped.rank(method="min", ascending=False).astype(int))
    clients = clients.sort_values(["rank", "recipient"], kind="stable").reset_index(drop=True)
    row = clients[clients["recipient"] == focus]
    if row.empty:
        return clients, math.nan, None
    return clients, float(row["value"].iloc[0]), int(row["rank"].iloc[0])


def _panel_for(panel_or_tiv: Panel | pd.DataFrame, coverage: Coverage | None, release: str) -> Panel:
    if isinstance(panel_or_tiv, Panel):
        if release not in panel_or_tiv.coverage.releases:
            raise UsageError(
                f"unknown release {release!r}; known releases: {', '.join(panel_or_tiv.coverage.releases)}"
            )
        return panel_or_tiv
    if coverage is None:
        raise UsageError("give the release coverage with a sipri_tiv table (or pass a Panel)")
    return build_panel(panel_or_tiv, coverage, releases=[release])


def supplier_fall_baseline(
    panel_or_tiv: Panel | pd.DataFrame,
    coverage: Coverage | None = None,
    *,
    release: str,
    supplier: str = "Russia",
    before: tuple[int, int] = PAPER_WINDOWS[0],
    after: tuple[int, int] = PAPER_WINDOWS[1],
    min_volume: float = SIZEABLE_TIV_PER_YEAR,
    focus: str = "Iran",
) -> Baseline:
    """How far ``supplier``'s deliveries to each of its sizeable clients fell from ``before`` to ``after``.

    A client is sizeable if ``supplier`` delivered it at least ``min_volume`` millions of TIV a year on average
    in ``before``; only clients whose pair the release holds in both windows are compared, states only (the
    panel's rule). ``value`` is ``drop_pct`` = 100 * (1 - mean after / mean before), so rank 1 is the largest
    fall (a client that received nothing afterwards has 100). ``clients`` also gives the yearly means, and
    ``delivery_years_before``: in how many years of ``before`` the supplier delivered anything (1 means the
    window's volume came in one year: a single deal).
    """
    panel = _panel_for(panel_or_tiv, coverage, release)
    if not covers(panel, release, before, after):
        first, last = panel.years(release)
        raise UsageError(f"release {release} covers {first}-{last}, not {before[0]}-{after[1]}")
    change = window_change(panel.only([release]), before, after, suppliers=[supplier])
    change = change[change["covered"]]
    sizeable = change[_snapped(change["mean_before"]) >= min_volume]
    rows = panel.only([release]).deliveries
    rows = rows[(rows["supplier"] == supplier) & rows["year"].between(*before) & (rows["tiv"] > 0)]
    years = rows.groupby(rows["recipient"].astype(object))["year"].nunique()
    clients = pd.DataFrame(
        {
            "recipient": sizeable["recipient"].to_numpy(),
            "mean_before": sizeable["mean_before"].to_numpy(),
            "mean_after": sizeable["mean_after"].to_numpy(),
            "value": sizeable["drop_pct"].to_numpy(),
            "delivery_years_before": years.reindex(sizeable["recipient"]).fillna(0).astype(int).to_numpy(),
        }
    )
    clients, value, rank = _ranked(clients, focus)
    rule = (
        f"states to which {supplier} delivered at least {min_volume:g} million TIV a year on average in "
        f"{before[0]}-{before[1]} (release {release})"
    )
    apart = panel.kept_apart
    return Baseline(
        release=release,
        measure=f"fall in {possessive(supplier)} deliveries, percent",
        supplier=supplier,
        before=before,
        after=after,
        min_volume=min_volume,
        rule=rule,
        focus=focus,
        clients=clients,
        larger_is="larger fall",
        kept_apart=int((apart["release"] == release).sum()) if len(apart) else 0,
        focus_value=value,
        focus_rank=rank,
    )


def russia_fall_baseline(
    panel_or_tiv: Panel | pd.DataFrame,
    coverage: Coverage | None = None,
    release: str = "2025",
    before: tuple[int, int] = PAPER_WINDOWS[0],
    after: tuple[int, int] = PAPER_WINDOWS[1],
    min_volume: float = SIZEABLE_TIV_PER_YEAR,
    *,
    focus: str = "Iran",
) -> Baseline:
    """The client-level baseline of Russia's fall: each sizeable client's change, and the focus's rank.

    ``panel_or_tiv`` is a :class:`Panel` or the ``sipri_tiv`` table (then ``coverage``, e.g.
    ``sinoiran.data.vintages.current_coverage()``, is required). Sizeable: Russia delivered at least
    ``min_volume`` millions of TIV a year on average in ``before`` (default 10, in 2005-2007); the change is
    to the mean of ``after`` (2008-2011). The result's ``clients`` holds each client's yearly means and
    ``value`` = percent fall (100 = nothing delivered afterwards), ranked (1 = largest fall);
    ``focus_rank`` of ``n`` and ``share_at_least_as_extreme`` say where Iran stands. A distribution of
    clients, not Russia's aggregate exports: it answers "how often did a client of Russia lose this much
    over the same years", not "what would Iran have received without the sanctions".
    """
    return supplier_fall_baseline(
        panel_or_tiv,
        coverage,
        release=release,
        supplier="Russia",
        before=before,
        after=after,
        min_volume=min_volume,
        focus=focus,
    )


def _two_windows(frame: pd.DataFrame, before: tuple[int, int], index: list[str], value: str) -> pd.DataFrame:
    """``value`` summed per ``index`` in each of two windows (rows of :func:`period_sums`), as columns ``before``
    and ``after``, 0 where a window has no row."""
    labelled = frame.assign(window=np.where(frame["first_year"] == before[0], "before", "after"))
    labelled = labelled.astype({column: object for column in index})
    wide = labelled.pivot_table(index=index, columns="window", values=value, aggfunc="sum", fill_value=0.0)
    wide = wide.reindex(columns=["before", "after"], fill_value=0.0)
    wide.columns.name = None
    return wide


def share_shift_baseline(
    panel: Panel,
    *,
    release: str,
    supplier: str = "China",
    before: tuple[int, int] = PAPER_WINDOWS[0],
    after: tuple[int, int] = PAPER_WINDOWS[1],
    min_volume: float = SIZEABLE_TIV_PER_YEAR,
    focus: str = "Iran",
) -> Baseline:
    """How much ``supplier``'s share of each sizeable importer's arms imports changed from ``before`` to ``after``.

    Sizeable importers: states whose imports from every supplier averaged at least ``min_volume`` millions of
    TIV a year in both windows, where the release holds every supplier of them. ``value`` is the change in
    percentage points (rank 1 = largest rise); importers the supplier delivered nothing to in either window
    count with a change of 0.
    """
    if not covers(panel, release, before, after):
        first, last = panel.years(release)
        raise UsageError(f"release {release} covers {first}-{last}, not {before[0]}-{after[1]}")
    volumes, totals = period_sums(panel.only([release]), windows=[before, after])
    n_before, n_after = before[1] - before[0] + 1, after[1] - after[0] + 1
    wide = (
        _two_windows(totals, before, ["recipient"], "total")
        .reset_index()
        .rename(columns={"before": "total_before", "after": "total_after"})
    )
    wide["total_before"] /= n_before
    wide["total_after"] /= n_after
    complete = np.ones(len(wide), dtype=bool)
    for first, last in (before, after):
        complete &= complete_mask(panel.coverage, release, wide["recipient"], [first] * len(wide), [last] * len(wide))
    sizeable = wide[
        complete & (_snapped(wide["total_before"]) >= min_volume) & (_snapped(wide["total_after"]) >= min_volume)
    ]
    own = volumes[volumes["supplier"] == supplier]
    own = _two_windows(own, before, ["recipient"], "tiv")
    mean_before = own["before"].reindex(sizeable["recipient"]).fillna(0.0).to_numpy() / n_before
    mean_after = own["after"].reindex(sizeable["recipient"]).fillna(0.0).to_numpy() / n_after
    share_before = mean_before / sizeable["total_before"].to_numpy()
    share_after = mean_after / sizeable["total_after"].to_numpy()
    clients = pd.DataFrame(
        {
            "recipient": sizeable["recipient"].to_numpy(),
            "total_before": sizeable["total_before"].to_numpy(),
            "total_after": sizeable["total_after"].to_numpy(),
            "share_before": share_before,
            "share_after": share_after,
            "value": 100 * (share_after - share_before),
        }
    )
    clients, value, rank = _ranked(clients, focus)
    rule = (
        f"states whose arms imports from all suppliers averaged at least {min_volume:g} million TIV a year in both "
        f"{before[0]}-{before[1]} and {after[0]}-{after[1]} (release {release})"
    )
    return Baseline(
        release=release,
        measure=f"change in {possessive(supplier)} share of imports, percentage points",
        supplier=supplier,
        before=before,
        after=after,
        min_volume=min_volume,
        rule=rule,
        focus=focus,
        clients=clients,
        larger_is="larger rise",
        focus_value=value,
        focus_rank=rank,
    )


def leader_switches(
    panel: Panel,
    *,
    release: str,
    before: tuple[int, int] = PAPER_WINDOWS[0],
    after: tuple[int, int] = PAPER_WINDOWS[1],
    min_volume: float = SIZEABLE_TIV_PER_YEAR,
) -> pd.DataFrame:
    """Each sizeable importer's leading supplier in ``before`` and in ``after``, and whether it changed.

    Sizeable as in :func:`share_shift_baseline`. Columns ``recipient, leader_before, leader_after,
    share_before, share_after`` (the leaders' shares, fractions), ``switched``.
    """
    lead = leaders(panel.only([release]), windows=[before, after])
    n = {before[0]: before[1] - before[0] + 1, after[0]: after[1] - after[0] + 1}
    lead = lead.assign(mean_total=lead["total"] / lead["first_year"].map(n))
    first = lead[lead["first_year"] == before[0]].set_index("recipient")
    second = lead[lead["first_year"] == after[0]].set_index("recipient")
    both = first.index.intersection(second.index)
    keep = [
        r
        for r in both
        if _snapped([first.loc[r, "mean_total"]])[0] >= min_volume
        and _snapped([second.loc[r, "mean_total"]])[0] >= min_volume
    ]
    out = pd.DataFrame(
        {
            "recipient": keep,
            "leader_before": first.loc[keep, "leader"].to_numpy(),
            "leader_after": second.loc[keep, "leader"].to_numpy(),
            "share_before": first.loc[keep, "leader_share"].to_numpy(),
            "share_after": second.loc[keep, "leader_share"].to_numpy(),
        }
    )
    out["switched"] = out["leader_before"] != out["leader_after"]
    return out.sort_values("recipient", kind="stable").reset_index(drop=True)


# --- UN arms embargoes -------------------------------------------------------------------------


def embargoed(
    embargoes: pd.DataFrame, start: int, end: int, *, scopes: Sequence[str] = ("all-arms", "major-arms", "region")
) -> list[str]:
    """The states under a UN arms embargo of one of ``scopes`` at any time in the calendar years ``start..end``.

    ``embargoes`` is the ``un_embargoes`` table (``adopted``/``ended`` as dates or ISO strings). A measure
    counts if it was adopted by 31 December of ``end`` and had not ended before 1 January of ``start``. The
    default scopes are those that ban supplies to the state's own forces
    (:data:`sinoiran.data.embargoes.ON_STATE_SCOPES`).
    """
    adopted = pd.to_datetime(embargoes["adopted"])
    ended = pd.to_datetime(embargoes["ended"])
    window_start, window_end = pd.Timestamp(start, 1, 1), pd.Timestamp(end, 12, 31)
    active = (adopted <= window_end) & (ended.isna() | (ended >= window_start)) & embargoes["scope"].isin(list(scopes))
    return sorted(set(embargoes.loc[active, "target"]))


def group_comparison(
    baseline: Baseline, members: Iterable[str], *, labels: Mapping[bool, str] | None = None
) -> pd.DataFrame:
    """A baseline's values summarised for ``members`` against the other recipients compared.

    One row per group (``group, recipients, median, mean, lowest, highest``, values in the baseline's unit)
    and ``names`` (the group's recipients, comma-separated). The focus is counted in its group.
    """
    labels = labels or {True: "under a UN arms embargo", False: "the rest"}
    members = set(members)
    inside = baseline.clients["recipient"].isin(members)
    rows = []
    for flag in (True, False):
        values = baseline.clients.loc[inside == flag, "value"]
        names = baseline.clients.loc[inside == flag, "recipient"]
        rows.append(
            {
                "group": labels[flag],
                "recipients": int(len(values)),
                "median": float(values.median()) if len(values) else math.nan,
                "mean": float(values.mean()) if len(values) else math.nan,
                "lowest": float(values.min()) if len(values) else math.nan,
                "highest": float(values.max()) if len(values) else math.nan,
                "names": ", ".join(sorted(names)),
            }
        )
    return pd.DataFrame(rows)
