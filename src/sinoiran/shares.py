"""Suppliers' shares of a recipient's arms imports, yearly and over multi-year windows.

All volumes are SIPRI TIV in millions; shares are fractions of the recipient's
total imports from **all** suppliers in the same years, so they need a vintage
that holds every supplier (2016 or 2026-mirror). The Soviet Union is a
separate supplier before 1992 in SIPRI's tables; ``merge_soviet=True`` counts it
as Russia (the 2026 mirror has already merged them). SIPRI recommends
multi-year sums because single years are lumpy (a few large deliveries); see
:func:`window_shares`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sinoiran.vintages import VINTAGES, check_vintage

#: Supplier groups used to describe Iran's imports over the long run.
WESTERN = (
    "United States", "United Kingdom", "France", "Italy", "Germany (FRG)", "Germany", "Netherlands",
    "Switzerland", "Sweden", "Austria", "Canada", "Japan", "Israel", "Spain", "Norway", "Belgium",
)


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


def require_all_suppliers(vintage: str) -> None:
    """Raise ``ValueError`` unless the vintage holds every supplier (needed for shares)."""
    check_vintage(vintage)
    if VINTAGES[vintage].suppliers is not None:
        raise ValueError(
            f"vintage {vintage} holds only {VINTAGES[vintage].suppliers_text} as suppliers; "
            "shares need every supplier (use 2016 or 2026-mirror)"
        )


def annual_totals(tiv: pd.DataFrame, *, vintage: str, recipient: str, start: int, end: int) -> pd.Series:
    """Total imports of ``recipient`` per year from all suppliers (millions of TIV; 0 where none)."""
    require_all_suppliers(vintage)
    rows = tiv[(tiv["vintage"] == vintage) & (tiv["recipient"] == recipient) & tiv["year"].between(start, end)]
    return rows.groupby("year")["tiv"].sum().reindex(range(start, end + 1), fill_value=0.0).rename("total")


def annual_shares(
    tiv: pd.DataFrame,
    *,
    vintage: str,
    recipient: str,
    suppliers: list[str],
    start: int,
    end: int,
    merge_soviet: bool = True,
) -> pd.DataFrame:
    """Yearly shares of each supplier in ``suppliers`` and of all others.

    Returns ``year, supplier, tiv, total, share`` with one row per year and
    supplier (plus ``"Others"``). ``share`` is a fraction in [0, 1]; a year in
    which the recipient imported nothing has ``share`` NaN and
    ``zero_total`` True rather than a made-up zero.
    """
    if start > end:
        raise ValueError(f"start year {start} is after end year {end}")
    require_all_suppliers(vintage)
    rows = tiv[(tiv["vintage"] == vintage) & (tiv["recipient"] == recipient) & tiv["year"].between(start, end)].copy()
    if merge_soviet:
        rows.loc[rows["supplier"] == "Soviet Union", "supplier"] = "Russia"
    totals = annual_totals(tiv, vintage=vintage, recipient=recipient, start=start, end=end)
    pieces = []
    for supplier in suppliers:
        volume = rows[rows["supplier"] == supplier].groupby("year")["tiv"].sum().reindex(totals.index, fill_value=0.0)
        pieces.append(pd.DataFrame({"year": totals.index, "supplier": supplier, "tiv": volume.values}))
    named = pd.concat(pieces).groupby("year")["tiv"].sum().reindex(totals.index, fill_value=0.0)
    pieces.append(pd.DataFrame({"year": totals.index, "supplier": "Others", "tiv": (totals - named).clip(lower=0).values}))
    out = pd.concat(pieces, ignore_index=True)
    out["total"] = out["year"].map(totals)
    out["zero_total"] = out["total"] == 0
    out["share"] = np.where(out["zero_total"], np.nan, out["tiv"] / out["total"].where(~out["zero_total"], 1))
    return out.sort_values(["supplier", "year"], kind="stable").reset_index(drop=True)


def window_shares(shares: pd.DataFrame, *, window: int, start: int) -> pd.DataFrame:
    """Shares over consecutive ``window``-year blocks from ``start`` (SIPRI's recommended aggregation).

    Each block sums volumes and totals before dividing, so a lumpy year does not
    dominate. Returns ``period, first_year, last_year, supplier, tiv, total, share``;
    a final block shorter than ``window`` is kept and labelled with its years.
    """
    if window < 1:
        raise ValueError("window must be at least one year")
    frame = shares.copy()
    frame["block"] = (frame["year"] - start) // window
    grouped = frame.groupby(["block", "supplier"], as_index=False).agg(
        first_year=("year", "min"), last_year=("year", "max"), tiv=("tiv", "sum"), total=("total", "sum")
    )
    grouped["share"] = np.where(grouped["total"] > 0, grouped["tiv"] / grouped["total"].where(grouped["total"] > 0, 1), np.nan)
    grouped["period"] = grouped["first_year"].astype(str) + "-" + grouped["last_year"].astype(str)
    return grouped[["period", "first_year", "last_year", "supplier", "tiv", "total", "share"]]


def imports_by_group(tiv: pd.DataFrame, *, vintage: str, recipient: str, start: int, end: int,
                     merge_soviet: bool = True) -> pd.DataFrame:
    """Yearly imports by supplier group (China, Russia/USSR, Western, Other), millions of TIV, complete grid."""
    require_all_suppliers(vintage)
    rows = tiv[(tiv["vintage"] == vintage) & (tiv["recipient"] == recipient) & tiv["year"].between(start, end)].copy()
    rows["group"] = rows["supplier"].map(lambda s: supplier_group(s, merge_soviet=merge_soviet))
    grid = pd.MultiIndex.from_product([range(start, end + 1), sorted(rows["group"].unique())], names=["year", "group"])
    return rows.groupby(["year", "group"])["tiv"].sum().reindex(grid, fill_value=0.0).reset_index()


def presidency_shares(tiv: pd.DataFrame, *, vintage: str, recipient: str, presidencies: dict[str, tuple[int, int]],
                      suppliers: list[str]) -> pd.DataFrame:
    """Each supplier's volume and share of ``recipient``'s imports in each presidency's years."""
    rows = []
    for president, (start, end) in presidencies.items():
        shares = annual_shares(tiv, vintage=vintage, recipient=recipient, suppliers=suppliers, start=start, end=end)
        block = window_shares(shares, window=end - start + 1, start=start)
        for record in block.itertuples():
            rows.append({"president": president, "years": f"{start}-{end}", "supplier": record.supplier,
                         "tiv": record.tiv, "share": record.share})
    return pd.DataFrame(rows)
