"""Yearly delivery series with SIPRI's empty cells made explicit, and sums, means and rankings over periods.

In a SIPRI table an empty cell means no delivery was identified, so inside a
vintage's coverage a missing year is a zero. Outside the coverage (years after
the release, suppliers the project's copy of that release lacks) it is
unknown. :func:`yearly` is the one yearly series: ``0.0`` for "no delivery",
``NaN`` for "not covered"; everything else here is built on it.

Volumes are millions of SIPRI TIV (a volume index, not money); periods are
inclusive calendar years.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sinoiran.base.errors import UsageError
from sinoiran.base.releases import Coverage


def yearly(
    tiv: pd.DataFrame, vintage: str, supplier: str, recipient: str, start: int, end: int, *, coverage: Coverage
) -> pd.Series:
    """Deliveries from ``supplier`` to ``recipient`` per year ``start..end`` in ``vintage`` (millions of TIV).

    Indexed by year: the delivered TIV, ``0.0`` where the vintage covers the
    year and supplier but records no delivery, ``NaN`` where it does not cover
    them. ``tiv`` is the ``sipri_tiv`` table; ``coverage`` says what each release holds
    (:class:`sinoiran.base.releases.Coverage`).
    """
    if start > end:
        raise UsageError(f"start year {start} is after end year {end}")
    coverage.check(vintage)
    mask = (
        (tiv["vintage"].to_numpy() == vintage)
        & (tiv["supplier"].to_numpy() == supplier)
        & (tiv["recipient"].to_numpy() == recipient)
    )
    years = tiv["year"].to_numpy()[mask]
    values = tiv["tiv"].to_numpy(dtype=float)[mask]
    inside = (years >= start) & (years <= end)
    index = np.arange(start, end + 1)
    out = np.zeros(len(index))
    np.add.at(out, years[inside] - start, values[inside])
    covered = np.array([coverage.covers(vintage, supplier, recipient, int(y)) for y in index])
    return pd.Series(np.where(covered, out, np.nan), index=pd.Index(index, name="year"), name="tiv")


def annual_deliveries(
    tiv: pd.DataFrame,
    *,
    recipient: str,
    suppliers: list[str],
    start: int,
    end: int,
    coverage: Coverage,
    vintages: list[str] | None = None,
) -> pd.DataFrame:
    """Complete grid ``vintage, supplier, year, tiv`` (millions of TIV) for one recipient.

    Every (vintage, supplier, year) in ``start..end`` (inclusive) appears once,
    as :func:`yearly` gives it (``NaN`` where the vintage does not cover it).
    """
    if start > end:
        raise UsageError(f"start year {start} is after end year {end}")
    vintages = vintages or sorted(tiv["vintage"].unique())
    pieces = [
        yearly(tiv, vintage, supplier, recipient, start, end, coverage=coverage)
        .reset_index()
        .assign(vintage=vintage, supplier=supplier)
        for vintage in vintages
        for supplier in suppliers
    ]
    return pd.concat(pieces, ignore_index=True)[["vintage", "supplier", "year", "tiv"]]


def period_sum(
    tiv: pd.DataFrame, vintage: str, supplier: str, recipient: str, start: int, end: int, *, coverage: Coverage
) -> float:
    """Total deliveries over ``start..end`` in millions of TIV; NaN if the vintage does not cover them all."""
    values = yearly(tiv, vintage, supplier, recipient, start, end, coverage=coverage)
    return float(values.sum()) if values.notna().all() else math.nan


def period_mean(
    tiv: pd.DataFrame, vintage: str, supplier: str, recipient: str, start: int, end: int, *, coverage: Coverage
) -> float:
    """Mean yearly deliveries over ``start..end`` in millions of TIV per year (NaN if not covered)."""
    return period_sum(tiv, vintage, supplier, recipient, start, end, coverage=coverage) / (end - start + 1)


def period_totals(
    tiv: pd.DataFrame,
    *,
    supplier: str,
    recipient: str,
    start: int,
    end: int,
    coverage: Coverage,
    vintages: list[str] | None = None,
) -> pd.DataFrame:
    """Sum of deliveries ``start..end`` (inclusive, millions of TIV) per vintage.

    Columns: ``vintage, total, mean, years_covered, years, complete``. A vintage
    that does not cover every year of the period (or the supplier) gets
    ``NaN`` total and mean, never a partial sum passed off as the whole.
    """
    series = annual_deliveries(
        tiv, recipient=recipient, suppliers=[supplier], start=start, end=end, coverage=coverage, vintages=vintages
    )
    rows = []
    for vintage, group in series.groupby("vintage", sort=True):
        covered = int(group["tiv"].notna().sum())
        years = end - start + 1
        complete = covered == years
        total = float(group["tiv"].sum()) if complete else np.nan
        rows.append(
            {
                "vintage": vintage,
                "total": total,
                "mean": total / years if complete else np.nan,
                "years_covered": covered,
                "years": years,
                "complete": complete,
            }
        )
    return pd.DataFrame(rows)


def supplier_ranking(tiv: pd.DataFrame, vintage: str, recipient: str, start: int, end: int) -> pd.Series:
    """Deliveries to ``recipient`` by supplier over ``start..end`` (millions of TIV), largest first.

    Only the suppliers the vintage holds appear; check :meth:`sinoiran.base.releases.Coverage.gap` with
    ``suppliers=None`` before reading it as a ranking of all suppliers.
    """
    rows = tiv[(tiv["vintage"] == vintage) & (tiv["recipient"] == recipient) & tiv["year"].between(start, end)]
    totals = rows.groupby("supplier")["tiv"].sum()
    return totals.sort_values(ascending=False, kind="stable")


def coefficient_of_variation(values: pd.Series) -> float:
    """Population standard deviation over mean (unitless); NaN for an all-zero series."""
    mean = float(np.mean(values))
    return math.nan if mean == 0 else float(np.std(values) / mean)


def period_change(
    tiv: pd.DataFrame,
    vintage: str,
    supplier: str,
    recipient: str,
    before: tuple[int, int],
    after: tuple[int, int],
    *,
    coverage: Coverage,
) -> tuple[float, float, float]:
    """(mean over ``before``, mean over ``after``, percent drop from one to the other), millions of TIV per year.

    The drop is ``100 * (1 - after / before)``: positive when deliveries fell.
    """
    mean_before = period_mean(tiv, vintage, supplier, recipient, *before, coverage=coverage)
    mean_after = period_mean(tiv, vintage, supplier, recipient, *after, coverage=coverage)
    return mean_before, mean_after, 100 * (1 - mean_after / mean_before)


def holds_pair(tiv: pd.DataFrame, vintage: str, supplier: str, recipient: str) -> bool:
    """True if the project's copy of ``vintage`` holds any delivery from ``supplier`` to ``recipient``.

    A release can hold every supplier *of some recipients* (its importer tables) without holding a given
    pair at all; a sum over a pair the copy does not hold would read as zero. Check this first.
    """
    mask = (tiv["vintage"] == vintage) & (tiv["supplier"] == supplier) & (tiv["recipient"] == recipient)
    return bool(mask.any())
