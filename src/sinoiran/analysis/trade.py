"""Merchandise trade from the IMF's Direction of Trade Statistics (US$ million, current prices)."""

from __future__ import annotations

import pandas as pd


def dots_value(dots: pd.DataFrame, reporter: str, partner: str, flow: str, year: int) -> tuple[float, bool]:
    """(US$ million, estimated flag) of one DOTS cell: ``reporter``'s ``flow`` with ``partner`` in ``year``."""
    row = dots[
        (dots["reporter"] == reporter) & (dots["partner"] == partner) & (dots["flow"] == flow) & (dots["year"] == year)
    ]
    if row.empty:
        raise KeyError(f"no DOTS value for {reporter}->{partner} {flow} {year}")
    return float(row["value_usd_m"].iloc[0]), bool(row["estimated"].iloc[0])
