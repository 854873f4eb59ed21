"""Suppliers' shares of a recipient's arms imports: one function, :func:`supplier_shares`.

**The denominator rule.** A supplier's share is its volume divided by the
recipient's imports from *every supplier the vintage holds* over the same years.
For a vintage that holds every supplier (2016, 2026-mirror) that is the
recipient's total imports; a vintage that holds only some suppliers is refused
unless ``partial=True``, in which case the denominator is the suppliers it holds
and the caller must say so. Shares are fractions in [0, 1] everywhere; percent
is for display only.

**Periods.** ``window=1`` gives yearly shares. Longer windows sum volumes and
totals first and divide after, so a lumpy year does not dominate (SIPRI
recommends multi-year aggregates): ``rolling=False`` cuts SIPRI's blocks, the
last ending in ``end`` and the first possibly shorter (:func:`sipri_blocks`),
``rolling=True`` gives one window ending in each year from ``start + window - 1``.

The Soviet Union is a separate supplier before 1992 in SIPRI's tables;
``merge_soviet=True`` counts it as Russia (the 2026 mirror has already merged
them). Volumes are millions of SIPRI TIV.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sinoiran.base.errors import UsageError
from sinoiran.base.releases import Coverage

#: Supplier groups used to describe Iran's imports over the long run.
WESTERN = (
    "United States",
    "United Kingdom",
    "France",
    "Italy",
    "Germany (FRG)",
    "Germany",
    "Netherlands",
    "Switzerland",
    "Sweden",
    "Austria",
    "Canada",
    "Japan",
    "Israel",
    "Spain",
    "Norway",
    "Belgium",
)
OTHERS = "Others"
SHARE_COLUMNS = ["period", "first_year", "last_year", "year", "supplier", "tiv", "total", "zero_total", "share"]


def supplier_group(name: str, *, merge_soviet: bool = True) -> str:
    """Group a supplier: China, Russia (with the Soviet Union if merged), Western, or Other."""
    if name == "China":
        return "China"
    if name == "Russia" or (merge_soviet and name == "Soviet Union"):
        return "Russia/USSR" if merge_soviet else "Russia"
    if name == "Soviet Union":
        return "Soviet Union"
    if name in WESTERN:
        return "Western"
    return "Other"


def sipri_blocks(first: int, last: int, width: int = 5) -> list[tuple[int, int]]:
    """SIPRI's ``width``-year blocks within ``first..last``, as SIPRI's fact sheets draw them: the last block
    ends in the last year with data and the others step back from it (2011-2015, 2006-2010, ... for data to
    2015; 2020-2024, 2015-2019, ... for data to 2024); the first block may be shorter. In order of time."""
    if first > last:
        raise UsageError(f"first year {first} is after last year {last}")
    if width < 1:
        raise UsageError("a block is at least one year long")
    blocks = []
    end = last
    while end >= first:
        blocks.append((max(end - width + 1, first), end))
        end -= width
    return blocks[::-1]


def require(
    coverage: Coverage, vintage: str, suppliers: Sequence[str] | None, start: int, end: int, *, recipient: str
) -> None:
    """Raise a usage error with the coverage check's message unless ``vintage`` holds these suppliers'
    deliveries to ``recipient`` in ``start..end`` (``suppliers=None``: every supplier, as a share needs)."""
    gap = coverage.gap(
        coverage.check(vintage), None if suppliers is None else list(suppliers), start, end, recipient=recipient
    )
    if gap:
        raise UsageError(gap)


def denominator_text(vintage: str, recipient: str, start: int, end: int, *, coverage: Coverage) -> str:
    """What the shares of ``recipient``'s imports in ``vintage`` are shares of, in words (for captions and prose)."""
    held = coverage.held_suppliers(coverage.check(vintage), recipient, start, end)
    if held is None:
        return "all suppliers"
    return f"suppliers held in vintage {vintage} ({', '.join(held)})"


def supplier_shares(
    tiv: pd.DataFrame,
    *,
    vintage: str,
    recipient: str,
    suppliers: list[str] | tuple[str, ...],
    start: int,
    end: int,
    window: int = 1,
    rolling: bool = False,
    coverage: Coverage,
    others: bool = False,
    merge_soviet: bool = True,
    partial: bool = False,
) -> pd.DataFrame:
    """Each supplier's share of ``recipient``'s imports, per year or per multi-year window.

    Returns one row per window and supplier (plus ``"Others"`` if ``others``):
    ``period`` ("2005-2009", or "2005" for one year), ``first_year``,
    ``last_year``, ``year`` (the window's last year), ``supplier``, ``tiv``
    (the supplier's volume), ``total`` (the denominator's volume),
    ``zero_total`` and ``share`` (a fraction; NaN where nothing was imported,
    never a made-up zero). ``coverage`` says what each release holds; see the
    module docstring for the denominator rule.
    """
    if start > end:
        raise UsageError(f"start year {start} is after end year {end}")
    if window < 1:
        raise UsageError("window must be at least one year")
    require(coverage, vintage, None if not partial else list(suppliers), start, end, recipient=recipient)
    rows = tiv[(tiv["vintage"] == vintage) & (tiv["recipient"] == recipient) & tiv["year"].between(start, end)].copy()
    if merge_soviet:
        rows.loc[rows["supplier"] == "Soviet Union", "supplier"] = "Russia"
    years = range(start, end + 1)
    wide = (
        rows.pivot_table(index="year", columns="supplier", values="tiv", aggfunc="sum")
        .reindex(years, fill_value=0.0)
        .fillna(0.0)
    )
    totals = wide.sum(axis=1) if not wide.empty else pd.Series(0.0, index=years)
    volumes = pd.DataFrame({s: wide.get(s, 0.0) for s in suppliers}, index=years)
    if others:
        volumes[OTHERS] = (totals - volumes.sum(axis=1)).clip(lower=0)
    volumes["__total__"] = totals
    years_index = volumes.index.to_numpy()
    if window == 1:  # yearly: the values exactly as the tables give them
        sums, firsts, lasts = volumes, years_index, years_index
    elif rolling:  # one window ending in each year from start + window - 1
        sums = volumes.rolling(window).sum().iloc[window - 1 :]
        lasts = sums.index.to_numpy()
        firsts = lasts - window + 1
    else:  # SIPRI's blocks: the last ends in ``end``, the first may be shorter (:func:`sipri_blocks`)
        blocks = sipri_blocks(start, end, window)
        firsts = np.array([b[0] for b in blocks])
        lasts = np.array([b[1] for b in blocks])
        sums = volumes.groupby(np.searchsorted(lasts, years_index)).sum()
    pieces = [
        pd.DataFrame(
            {
                "first_year": firsts,
                "last_year": lasts,
                "supplier": supplier,
                "tiv": sums[supplier].to_numpy(),
                "total": sums["__total__"].to_numpy(),
            }
        )
        for supplier in volumes.columns
        if supplier != "__total__"
    ]
    out = pd.concat(pieces, ignore_index=True)
    out["year"] = out["last_year"]
    out["period"] = np.where(
        out["first_year"] == out["last_year"],
        out["first_year"].astype(str),
        out["first_year"].astype(str) + "-" + out["last_year"].astype(str),
    )
    out["zero_total"] = out["total"] <= 0
    out["share"] = np.where(out["zero_total"], np.nan, out["tiv"] / out["total"].where(~out["zero_total"], 1.0))
    return out[SHARE_COLUMNS]


def imports_by_group(
    tiv: pd.DataFrame,
    *,
    vintage: str,
    recipient: str,
    start: int,
    end: int,
    coverage: Coverage,
    merge_soviet: bool = True,
) -> pd.DataFrame:
    """Yearly imports by supplier group (China, Russia/USSR, Western, Other), millions of TIV, complete grid."""
    require(coverage, vintage, None, start, end, recipient=recipient)
    rows = tiv[(tiv["vintage"] == vintage) & (tiv["recipient"] == recipient) & tiv["year"].between(start, end)].copy()
    rows["group"] = rows["supplier"].map(lambda s: supplier_group(s, merge_soviet=merge_soviet))
    grid = pd.MultiIndex.from_product([range(start, end + 1), sorted(rows["group"].unique())], names=["year", "group"])
    return rows.groupby(["year", "group"])["tiv"].sum().reindex(grid, fill_value=0.0).reset_index()


def presidency_shares(
    tiv: pd.DataFrame,
    *,
    vintage: str,
    recipient: str,
    presidencies: dict[str, tuple[int, int]],
    suppliers: list[str],
    coverage: Coverage,
) -> pd.DataFrame:
    """Each supplier's volume and share of ``recipient``'s imports over each presidency's years (one block each)."""
    rows = []
    for president, (start, end) in presidencies.items():
        block = supplier_shares(
            tiv,
            vintage=vintage,
            recipient=recipient,
            suppliers=suppliers,
            start=start,
            end=end,
            window=end - start + 1,
            others=True,
            coverage=coverage,
        )
        for record in block.itertuples():
            rows.append(
                {
                    "president": president,
                    "years": f"{start}-{end}",
                    "supplier": record.supplier,
                    "tiv": record.tiv,
                    "share": record.share,
                }
            )
    return pd.DataFrame(rows)
