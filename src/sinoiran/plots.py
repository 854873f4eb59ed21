"""Figures used by the chapters (seaborn), with units and the source credit on every one."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from sinoiran.series import annual_deliveries
from sinoiran.sources import SIPRI_CREDIT

TIV_LABEL = "Deliveries (millions of SIPRI TIV)"


def _credit(fig: plt.Figure, note: str = "") -> None:
    text = f"Source: {SIPRI_CREDIT}; project's calculations." + (f" {note}" if note else "")
    fig.text(0.01, 0.005, text, fontsize=7, ha="left", va="bottom", color="0.35")


def deliveries_by_vintage(
    tiv: pd.DataFrame, *, suppliers: list[str], recipient: str = "Iran", start: int = 1990, end: int = 2025
) -> sns.FacetGrid:
    """Line plot of yearly deliveries to ``recipient``, one panel per supplier, one line per vintage.

    ``tiv`` is the ``sipri_tiv`` table (millions of TIV). Years a vintage covers
    without a delivery are drawn at zero; years or suppliers it does not cover
    are left out (see :func:`sinoiran.series.annual_deliveries`).
    """
    subset = annual_deliveries(tiv, recipient=recipient, suppliers=suppliers, start=start, end=end).dropna(subset=["tiv"])
    grid = sns.relplot(
        data=subset, x="year", y="tiv", hue="vintage", style="vintage", col="supplier", col_order=suppliers,
        kind="line", markers=True, dashes=False, height=3.4, aspect=1.35, facet_kws={"sharey": False},
    )
    grid.set_axis_labels("Year of delivery", TIV_LABEL)
    grid.set_titles(f"{{col_name}} \u2192 {recipient}")
    for ax in grid.axes.flat:
        ax.axvspan(2005.6, 2013.6, color="0.9", zorder=0)
    grid.figure.subplots_adjust(bottom=0.2)
    _credit(grid.figure, "Shaded: Ahmadinejad's presidency (Aug 2005 - Aug 2013).")
    return grid
