"""Yearly delivery series with SIPRI's empty cells made explicit.

In a SIPRI table an empty cell means no delivery was identified, so inside a
vintage's coverage a missing year is a zero. Outside the coverage (years after
the release, suppliers the project's copy of that release lacks) it is
unknown. :func:`annual_deliveries` returns both cases explicitly: ``0.0`` for
"no delivery", ``NaN`` for "not covered".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sinoiran.vintages import VINTAGES, check_vintage


def annual_deliveries(
    tiv: pd.DataFrame, *, recipient: str, suppliers: list[str], start: int, end: int, vintages: list[str] | None = None
) -> pd.DataFrame:
    """Complete grid ``vintage, supplier, year, tiv`` (millions of TIV) for one recipient.

    Every (vintage, supplier, year) in ``start..end`` (inclusive) appears once:
    the delivered TIV, ``0.0`` where the vintage covers the year and supplier but
    records no delivery, ``NaN`` where it does not cover them.
    """
    if start > end:
        raise ValueError(f"start year {start} is after end year {end}")
    vintages = vintages or sorted(tiv["vintage"].unique())
    for label in vintages:
        check_vintage(label)
    grid = pd.MultiIndex.from_product([vintages, suppliers, range(start, end + 1)], names=["vintage", "supplier", "year"])
    observed = (
        tiv[(tiv["recipient"] == recipient) & tiv["supplier"].isin(suppliers) & tiv["vintage"].isin(vintages)]
        .groupby(["vintage", "supplier", "year"])["tiv"]
        .sum()
    )
    out = observed.reindex(grid).reset_index()
    covered = np.array([VINTAGES[v].covers(s, y) for v, s, y in zip(out["vintage"], out["supplier"], out["year"])])
    out["tiv"] = np.where(covered, out["tiv"].fillna(0.0), np.nan)
    return out


def period_totals(
    tiv: pd.DataFrame, *, supplier: str, recipient: str, start: int, end: int, vintages: list[str] | None = None
) -> pd.DataFrame:
    """Sum of deliveries ``start..end`` (inclusive, millions of TIV) per vintage.

    Columns: ``vintage, total, mean, years_covered, years, complete``. A vintage
    that does not cover every year of the period (or the supplier) gets
    ``NaN`` total and mean, never a partial sum passed off as the whole.
    """
    series = annual_deliveries(tiv, recipient=recipient, suppliers=[supplier], start=start, end=end, vintages=vintages)
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
