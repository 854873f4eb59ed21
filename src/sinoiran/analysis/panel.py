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
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sinoiran.base.errors import UsageError
from sinoiran.base.names import PREDECESSORS, actor_kind
from sinoiran.base.releases import Coverage

#: The paper's two windows: the three years before UN resolution 1747 took hold, and the four after.
PAPER_WINDOWS: tuple[tuple[int, int], tuple[int, int]] = ((2005, 2007), (2008, 2011))
#: SIPRI's block length in years.
BLOCK_YEARS = 5
#: A client is "sizeable" if the supplier delivered it at least this much a year, on average, in the first window
#: (millions of TIV per year): about one small deal a year, well above SIPRI's rounding of small deliveries.
SIZEABLE_TIV_PER_YEAR = 10.0
#: How many suppliers count as "major" when none are named: the largest over the windows, plus the paper's two.
MAJOR_SUPPLIERS = 5
PAPER_SUPPLIERS: tuple[str, ...] = ("Russia", "China")

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


@dataclass(frozen=True)
class Panel:
    """The deliveries of every release held, ready for the panel's functions.

    ``deliveries`` has one row per ``release, recipient, supplier, year`` with
    ``tiv`` (millions of TIV; predecessors merged into their successors if
    ``merge_predecessors``), recipients of the kinds kept only; ``kept_apart``
    lists the recipients left out (``release, recipient, kind, tiv, rows``);
    ``coverage`` is what each release holds.
    """

    deliveries: pd.DataFrame
    coverage: Coverage
    kept_apart: pd.DataFrame
    merge_predecessors: bool = False
    kinds: tuple[str, ...] = ("state",)

    @property
    def releases(self) -> list[str]:
        """The releases with deliveries in the panel, in the coverage's (manifest's) order."""
        held = set(self.deliveries["release"].unique())
        return [label for label in self.coverage.releases if label in held]

    def years(self, release: str) -> tuple[int, int]:
        """The first and last calendar year release ``release`` covers."""
        info = self.coverage.releases[release]
        return info.data_start, info.data_end

    def recipients(self, release: str) -> list[str]:
        """The recipients with any delivery in ``release``, sorted."""
        rows = self.deliveries[self.deliveries["release"] == release]
        return sorted(rows["recipient"].unique())

    def suppliers(self, release: str) -> list[str]:
        """The suppliers with any delivery in ``release``, sorted."""
        rows = self.deliveries[self.deliveries["release"] == release]
        return sorted(rows["supplier"].unique())

    def only(self, releases: Sequence[str]) -> Panel:
        """The same panel cut to ``releases``."""
        keep = self.deliveries["release"].isin(list(releases))
        apart = (
            self.kept_apart[self.kept_apart["release"].isin(list(releases))]
            if len(self.kept_apart)
            else self.kept_apart
        )
        return Panel(
            self.deliveries[keep].reset_index(drop=True), self.coverage, apart, self.merge_predecessors, self.kinds
        )


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
    Germany, as suppliers and as recipients.
    """
    unknown = [r for r in releases or () if r not in coverage.releases]
    if unknown:
        raise UsageError(f"unknown release(s) {', '.join(unknown)}; known releases: {', '.join(coverage.releases)}")
    rows = tiv.rename(columns={"vintage": "release"})
    if releases is not None:
        rows = rows[rows["release"].isin(list(releases))]
    rows = rows[["release", "recipient", "supplier", "year", "tiv"]]
    if merge_predecessors:
        rows = rows.assign(
            supplier=rows["supplier"].replace(PREDECESSORS), recipient=rows["recipient"].replace(PREDECESSORS)
        )
    names = pd.Series(rows["recipient"].unique())
    kind_of = dict(zip(names, names.map(actor_kind), strict=True))
    kind = rows["recipient"].map(kind_of)
    keep = kind.isin(list(kinds)).to_numpy()
    apart = (
        rows[~keep]
        .assign(kind=kind[~keep])
        .groupby(["release", "recipient", "kind"], sort=True)["tiv"]
        .agg(tiv="sum", rows="size")
        .reset_index()
    )
    kept = rows[keep]
    if merge_predecessors or kept.duplicated(["release", "recipient", "supplier", "year"]).any():
        kept = kept.groupby(["release", "recipient", "supplier", "year"], sort=True, as_index=False)["tiv"].sum()
    kept = kept.sort_values(["release", "recipient", "supplier", "year"], kind="stable").reset_index(drop=True)
    for column in ("release", "recipient", "supplier"):
        kept[column] = kept[column].astype(str)
    kept["tiv"] = kept["tiv"].astype(float)
    return Panel(kept, coverage, apart, merge_predecessors, tuple(kinds))


# --- periods -----------------------------------------------------------------------------------


def periods(first: int, last: int, kind: str = "block", *, width: int = BLOCK_YEARS) -> list[tuple[int, int]]:
    """The periods of ``kind`` within ``first..last`` (inclusive), as (first year, last year).

    ``year``: every year. ``block``: SIPRI's ``width``-year blocks aligned on multiples of ``width``
    (1995-1999, 2000-2004, ...), cut to ``first..last`` at either end. ``rolling``: one ``width``-year window
    ending in each year from ``first + width - 1``.
    """
    if first > last:
        raise UsageError(f"first year {first} is after last year {last}")
    if width < 1:
        raise UsageError("a period is at least one year long")
    if kind == "year":
        return [(y, y) for y in range(first, last + 1)]
    if kind == "block":
        starts = range(first - first % width, last + 1, width)
        return [(max(s, first), min(s + width - 1, last)) for s in starts]
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


def _periods_of(panel: Panel, release: str, kind: str, width: int, windows: Sequence[tuple[int, int]] | None):
    first, last = panel.years(release)
    if kind == "windows" or windows is not None:
        return [(a, b) for a, b in (windows or ()) if first <= a and b <= last]
    return periods(first, last, kind, width=width)


# --- coverage, vectorised ----------------------------------------------------------------------


def complete_mask(
    coverage: Coverage, release: str, recipients: Iterable[str], first: Iterable[int], last: Iterable[int]
) -> np.ndarray:
    """True where ``release`` holds every supplier of each recipient over its ``first..last`` (element-wise).

    The vectorised form of ``coverage.gap(release, None, first, last, recipient=r) is None``.
    """
    recipients, first, last = np.asarray(list(recipients), dtype=object), np.asarray(first), np.asarray(last)
    info = coverage.releases[release]
    inside = (first >= info.data_start) & (last <= info.data_end)
    held = np.zeros(len(recipients), dtype=bool)
    for holding in coverage.holdings.get(release, ()):
        if holding.suppliers is not None:
            continue
        spans = (holding.first <= first) & (last <= holding.last)
        if holding.recipients is not None:
            spans &= np.isin(recipients, list(holding.recipients))
        held |= spans
    return inside & held


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
    suppliers, recipients = np.asarray(list(suppliers), dtype=object), np.asarray(list(recipients), dtype=object)
    first, last = np.asarray(first), np.asarray(last)
    info = coverage.releases[release]
    inside = (first >= info.data_start) & (last <= info.data_end)
    held = np.zeros(len(suppliers), dtype=bool)
    for holding in coverage.holdings.get(release, ()):
        spans = (holding.first <= first) & (last <= holding.last)
        if holding.suppliers is not None:
            spans &= np.isin(suppliers, list(holding.suppliers))
        if holding.recipients is not None:
            spans &= np.isin(recipients, list(holding.recipients))
        held |= spans
    return inside & held


def coverage_table(panel: Panel, *, start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """Per release and recipient: whether shares can be computed over ``start..end`` (default: the release's years).

    Columns ``release, recipient, first_year, last_year, complete``.
    """
    frames = []
    for release in panel.releases:
        first, last = panel.years(release)
        first, last = max(first, start or first), min(last, end or last)
        recipients = panel.recipients(release)
        frames.append(
            pd.DataFrame(
                {
                    "release": release,
                    "recipient": recipients,
                    "first_year": first,
                    "last_year": last,
                    "complete": complete_mask(
                        panel.coverage, release, recipients, [first] * len(recipients), [last] * len(recipients)
                    ),
                }
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


# --- the engine: sums over periods, every recipient at once ------------------------------------


def period_sums(
    panel: Panel,
    *,
    kind: str = "year",
    width: int = BLOCK_YEARS,
    windows: Sequence[tuple[int, int]] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Volumes summed over periods, for every release, recipient and supplier at once.

    Returns ``(volumes, totals)``: ``volumes`` has ``release, recipient, supplier, first_year, last_year, tiv``
    for every supplier with a row (a delivery, or SIPRI's 0 for under half a million) in the period; ``totals``
    has ``release, recipient, first_year, last_year, total, complete`` for every recipient with a row in the
    period, ``total`` being its imports from every supplier in the table and ``complete`` whether the release
    holds every supplier of it over the period. Periods may overlap (rolling windows): a year counts in each.
    """
    volume_parts, total_parts = [], []
    for release in panel.releases:
        spans = _periods_of(panel, release, kind, width, windows)
        rows = panel.deliveries[panel.deliveries["release"] == release]
        if not spans or rows.empty:
            continue
        v, t = _release_sums(rows, spans)
        v.insert(0, "release", release)
        t.insert(0, "release", release)
        t["complete"] = complete_mask(panel.coverage, release, t["recipient"], t["first_year"], t["last_year"])
        volume_parts.append(v)
        total_parts.append(t)
    volume_columns = ["release", "recipient", "supplier", "first_year", "last_year", "tiv"]
    total_columns = ["release", "recipient", "first_year", "last_year", "total", "complete"]
    volumes = pd.concat(volume_parts, ignore_index=True) if volume_parts else pd.DataFrame(columns=volume_columns)
    totals = pd.concat(total_parts, ignore_index=True) if total_parts else pd.DataFrame(columns=total_columns)
    return volumes[volume_columns], totals[total_columns]


def _release_sums(rows: pd.DataFrame, spans: Sequence[tuple[int, int]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sums of one release's rows over ``spans``: each row is repeated once per span holding its year, then
    summed by (recipient, supplier, span) and by (recipient, span) with integer keys and ``np.bincount``."""
    firsts = np.array([a for a, _ in spans])
    lasts = np.array([b for _, b in spans])
    y0, y1 = int(firsts.min()), int(lasts.max())
    years = rows["year"].to_numpy()
    inside = (years >= y0) & (years <= y1)
    years = years[inside]
    values = rows["tiv"].to_numpy(dtype=float)[inside]
    recipient_codes, recipient_names = pd.factorize(rows["recipient"].to_numpy()[inside])
    supplier_codes, supplier_names = pd.factorize(rows["supplier"].to_numpy()[inside])
    # Which spans hold each calendar year: a ragged table, flattened (offsets per year into `members`).
    grid = np.arange(y0, y1 + 1)
    holds = (grid[:, None] >= firsts[None, :]) & (grid[:, None] <= lasts[None, :])
    per_year = holds.sum(axis=1)
    offsets = np.concatenate([[0], np.cumsum(per_year)[:-1]])
    members = np.nonzero(holds)[1]  # row-major: the spans of each year, in order
    counts = per_year[years - y0]
    source = np.repeat(np.arange(len(years)), counts)
    within = np.arange(len(source)) - np.repeat(np.cumsum(counts) - counts, counts)
    span = members[offsets[years[source] - y0] + within]
    n_spans, n_suppliers = len(spans), max(len(supplier_names), 1)
    weights = values[source]
    pair_key = (recipient_codes[source].astype(np.int64) * n_suppliers + supplier_codes[source]) * n_spans + span
    pair_unique, pair_inverse = np.unique(pair_key, return_inverse=True)
    pair_sum = np.bincount(pair_inverse, weights=weights, minlength=len(pair_unique))
    total_key = recipient_codes[source].astype(np.int64) * n_spans + span
    total_unique, total_inverse = np.unique(total_key, return_inverse=True)
    total_sum = np.bincount(total_inverse, weights=weights, minlength=len(total_unique))
    pair_span = pair_unique % n_spans
    pair_supplier = (pair_unique // n_spans) % n_suppliers
    pair_recipient = pair_unique // (n_spans * n_suppliers)
    volumes = pd.DataFrame(
        {
            "recipient": recipient_names[pair_recipient],
            "supplier": supplier_names[pair_supplier],
            "first_year": firsts[pair_span],
            "last_year": lasts[pair_span],
            "tiv": pair_sum,
        }
    )
    total_span = total_unique % n_spans
    totals = pd.DataFrame(
        {
            "recipient": recipient_names[total_unique // n_spans],
            "first_year": firsts[total_span],
            "last_year": lasts[total_span],
            "total": total_sum,
        }
    )
    return volumes, totals


def _labels(frame: pd.DataFrame) -> pd.DataFrame:
    """``period`` ("2005-2009", or "2005"), ``year`` (the last year) and ``n_years`` from first and last years."""
    first, last = frame["first_year"].astype(int), frame["last_year"].astype(int)
    frame["period"] = np.where(first == last, first.astype(str), first.astype(str) + "-" + last.astype(str))
    frame["year"] = last
    frame["n_years"] = last - first + 1
    return frame


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

    Periods as :func:`period_sums` (``kind`` ``year``, ``block`` or ``rolling`` of ``width`` years, or named
    ``windows``). Without ``suppliers``: one row per supplier with a row in the period. With ``suppliers``: a
    complete grid of those suppliers for every recipient of the release and every period, as
    :func:`~sinoiran.analysis.shares.supplier_shares` gives it (``tiv`` 0 where a supplier delivered nothing,
    ``share`` NaN and ``zero_total`` where the recipient imported nothing). Only recipients the release holds
    completely over the period appear. Columns: :data:`SHARE_COLUMNS`.
    """
    volumes, totals = period_sums(panel, kind=kind, width=width, windows=windows)
    keys = ["release", "recipient", "first_year", "last_year"]
    if suppliers is None:
        out = volumes.merge(totals[totals["complete"]], on=keys, how="inner")
    else:
        grid = _grid(panel, kind, width, windows, list(suppliers))
        if grid.empty:
            return pd.DataFrame(columns=SHARE_COLUMNS)
        complete = complete_mask_frame(panel, grid)
        grid = grid[complete]
        out = grid.merge(volumes, on=[*keys, "supplier"], how="left").merge(
            totals.drop(columns="complete"), on=keys, how="left"
        )
        out["tiv"] = out["tiv"].fillna(0.0)
        out["total"] = out["total"].fillna(0.0)
    out = _labels(out.copy())
    out["zero_total"] = out["total"] <= 0
    out["share"] = np.where(out["zero_total"], np.nan, out["tiv"] / out["total"].where(~out["zero_total"], 1.0))
    out = out.sort_values(["release", "recipient", "first_year", "last_year", "supplier"], kind="stable")
    return out[SHARE_COLUMNS].reset_index(drop=True)


def _grid(panel: Panel, kind: str, width: int, windows, suppliers: list[str]) -> pd.DataFrame:
    """Every (release, recipient, period, supplier) of ``suppliers`` for the recipients of each release."""
    parts = []
    for release in panel.releases:
        spans = _periods_of(panel, release, kind, width, windows)
        recipients = panel.recipients(release)
        if not spans or not recipients:
            continue
        index = pd.MultiIndex.from_product(
            [recipients, range(len(spans)), suppliers], names=["recipient", "span", "supplier"]
        ).to_frame(index=False)
        index["first_year"] = np.array([a for a, _ in spans])[index["span"]]
        index["last_year"] = np.array([b for _, b in spans])[index["span"]]
        parts.append(index.drop(columns="span").assign(release=release))
    if not parts:
        return pd.DataFrame(columns=["release", "recipient", "first_year", "last_year", "supplier"])
    return pd.concat(parts, ignore_index=True)[["release", "recipient", "first_year", "last_year", "supplier"]]


def complete_mask_frame(panel: Panel, frame: pd.DataFrame) -> np.ndarray:
    """:func:`complete_mask` for a frame with ``release, recipient, first_year, last_year`` columns."""
    out = np.zeros(len(frame), dtype=bool)
    for release, rows in frame.groupby("release", sort=False).groups.items():
        part = frame.loc[rows]
        out[frame.index.get_indexer(rows)] = complete_mask(
            panel.coverage, str(release), part["recipient"], part["first_year"], part["last_year"]
        )
    return out


def concentration(
    panel: Panel, *, kind: str = "block", width: int = BLOCK_YEARS, windows: Sequence[tuple[int, int]] | None = None
) -> pd.DataFrame:
    """The Herfindahl-Hirschman index of each recipient's suppliers per period: the sum of squared shares.

    Shares are fractions of the recipient's imports from every supplier (each of SIPRI's supplier names counts
    once, ``unknown supplier(s)`` included), so the HHI runs from near 0 (many small suppliers) to 1 (one).
    Only where the release holds every supplier and something was imported. Columns ``release, recipient,
    period, first_year, last_year, n_years, total, suppliers, hhi``.
    """
    shares = panel_shares(panel, kind=kind, width=width, windows=windows)
    shares = shares[~shares["zero_total"]]
    keys = ["release", "recipient", "period", "first_year", "last_year", "n_years"]
    out = (
        shares.assign(squared=shares["share"] ** 2, delivering=shares["tiv"] > 0)
        .groupby(keys, sort=True)
        .agg(total=("total", "first"), suppliers=("delivering", "sum"), hhi=("squared", "sum"))
        .reset_index()
    )
    out["suppliers"] = out["suppliers"].astype(int)
    return out


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
    stable. Columns ``release, recipient, period, first_year, last_year, n_years, total, leader, leader_tiv,
    leader_share, runner_up, runner_up_tiv, tied``.
    """
    shares = panel_shares(panel, kind=kind, width=width, windows=windows)
    shares = shares[~shares["zero_total"]].assign(rank_tiv=_snapped(shares.loc[~shares["zero_total"], "tiv"]))
    keys = ["release", "recipient", "first_year", "last_year"]
    ordered = shares.sort_values([*keys, "rank_tiv", "supplier"], ascending=[True] * 4 + [False, True], kind="stable")
    position = ordered.groupby(keys, sort=False).cumcount()
    first = ordered[position == 0].set_index(keys)
    second = ordered[position == 1].set_index(keys)
    out = first[["period", "n_years", "total"]].copy()
    out["leader"] = first["supplier"]
    out["leader_tiv"] = first["tiv"]
    out["leader_share"] = first["share"]
    out["runner_up"] = second["supplier"].reindex(out.index)
    out["runner_up_tiv"] = second["tiv"].reindex(out.index).fillna(0.0)
    out["tied"] = (second["rank_tiv"].reindex(out.index) == first["rank_tiv"]).fillna(False).astype(bool)
    out = out.reset_index()
    return out[LEADER_COLUMNS].sort_values(keys, kind="stable").reset_index(drop=True)


def lead_changes(leaders_frame: pd.DataFrame) -> pd.DataFrame:
    """The periods in which a recipient's leading supplier changed from the previous period's.

    ``leaders_frame`` is :func:`leaders`'s output. A change is counted between consecutive periods with a
    leader (a period with no imports in between is skipped over). ``year`` is the first year of the period
    with the new leader. Columns ``release, recipient, period, year, previous_period, previous, leader,
    tied``.
    """
    frame = leaders_frame.sort_values(["release", "recipient", "first_year", "last_year"], kind="stable")
    previous = frame.groupby(["release", "recipient"], sort=False)[["leader", "period"]].shift(1)
    changed = previous["leader"].notna() & (previous["leader"] != frame["leader"])
    out = frame[changed].assign(
        previous=previous.loc[changed, "leader"],
        previous_period=previous.loc[changed, "period"],
        year=frame.loc[changed, "first_year"],
    )
    return out[["release", "recipient", "period", "year", "previous_period", "previous", "leader", "tied"]].reset_index(
        drop=True
    )


def moves(changes: pd.DataFrame, *, source: str = "Russia", target: str = "China") -> pd.DataFrame:
    """The recipients whose lead passed from ``source`` to ``target``, and when (from :func:`lead_changes`)."""
    return changes[(changes["previous"] == source) & (changes["leader"] == target)].reset_index(drop=True)


# --- change between two windows ----------------------------------------------------------------


def _two_windows(frame: pd.DataFrame, before: tuple[int, int], index: list[str], value: str) -> pd.DataFrame:
    """``value`` summed per ``index`` in each of two windows (rows of :func:`period_sums`), as columns ``before``
    and ``after``, 0 where a window has no row."""
    labelled = frame.assign(window=np.where(frame["first_year"] == before[0], "before", "after"))
    wide = labelled.pivot_table(index=index, columns="window", values=value, aggfunc="sum", fill_value=0.0)
    wide = wide.reindex(columns=["before", "after"], fill_value=0.0)
    wide.columns.name = None
    return wide


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
    (fractions) and ``share_change_pp`` (percentage points).
    """
    if before[1] >= after[0]:
        raise UsageError(f"window {before[0]}-{before[1]} must end before {after[0]}-{after[1]} begins")
    volumes, totals = period_sums(panel, windows=[before, after])
    if suppliers is not None:
        volumes = volumes[volumes["supplier"].isin(list(suppliers))]
    keys = ["release", "recipient", "supplier"]
    wide = _two_windows(volumes, before, keys, "tiv").reset_index()
    wide = wide.rename(columns={"before": "tiv_before", "after": "tiv_after"})
    years_before, years_after = before[1] - before[0] + 1, after[1] - after[0] + 1
    wide["mean_before"] = wide["tiv_before"] / years_before
    wide["mean_after"] = wide["tiv_after"] / years_after
    with np.errstate(divide="ignore", invalid="ignore"):
        drop = 100 * (1 - wide["mean_after"] / wide["mean_before"])
    wide["drop_pct"] = drop.where(wide["mean_before"] > 0)
    covered = np.ones(len(wide), dtype=bool)
    complete = np.ones(len(wide), dtype=bool)
    for release, index in wide.groupby("release", sort=False).groups.items():
        part = wide.loc[index]
        position = wide.index.get_indexer(index)
        for first, last in (before, after):
            n = len(part)
            covered[position] &= pair_mask(
                panel.coverage, str(release), part["supplier"], part["recipient"], [first] * n, [last] * n
            )
            complete[position] &= complete_mask(
                panel.coverage, str(release), part["recipient"], [first] * n, [last] * n
            )
    wide["covered"] = covered
    wide["complete"] = complete
    per_window = _two_windows(totals, before, ["release", "recipient"], "total")
    wide = wide.merge(
        pd.DataFrame(
            {
                "total_before": per_window["before"] / years_before,
                "total_after": per_window["after"] / years_after,
            }
        ).reset_index(),
        on=["release", "recipient"],
        how="left",
    )
    for column in ("total_before", "total_after"):
        wide[column] = wide[column].fillna(0.0).where(wide["complete"])
    with np.errstate(divide="ignore", invalid="ignore"):
        wide["share_before"] = (wide["mean_before"] / wide["total_before"]).where(wide["total_before"] > 0)
        wide["share_after"] = (wide["mean_after"] / wide["total_after"]).where(wide["total_after"] > 0)
    wide["share_change_pp"] = 100 * (wide["share_after"] - wide["share_before"])
    wide = wide[wide["release"].map(lambda r: covers(panel, r, before, after))]
    return wide.sort_values(keys, kind="stable").reset_index(drop=True)


def covers(panel: Panel, release: str, before: tuple[int, int], after: tuple[int, int]) -> bool:
    """True if ``release`` covers every year of both windows."""
    first, last = panel.years(release)
    return first <= before[0] and after[1] <= last


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
    rows = panel.deliveries
    rows = rows[(rows["release"] == release) & rows["year"].between(start, end)]
    volume = rows.groupby("supplier")["tiv"].sum()
    volume = volume[[actor_kind(s) == "state" for s in volume.index]]
    largest = list(volume.sort_values(ascending=False, kind="stable").head(n).index)
    held = set(volume.index)
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
    rows = panel.deliveries
    rows = rows[(rows["release"] == release) & (rows["supplier"] == supplier) & rows["year"].between(*before)]
    years = rows[rows["tiv"] > 0].groupby("recipient")["year"].nunique()
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
        measure=f"fall in {supplier}'s deliveries, percent",
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
        measure=f"change in {supplier}'s share of imports, percentage points",
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
