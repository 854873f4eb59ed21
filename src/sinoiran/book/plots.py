"""Figures used by the chapters (seaborn), with units and the source credit on every one.

Colours are fixed across the book and safe for colour-blind readers (the
Okabe-Ito palette): one colour per supplier (:data:`SUPPLIER_COLOURS`, with
:func:`supplier_colour` for any other) and one per release (:func:`vintage_colour`).
Year axes carry whole years only.

Every function gives its figure an alternative text (:func:`describe`): one
sentence for a reader who cannot see it, saying what it shows and, where the
figure makes a point, the point, computed from the data it draws.
:func:`sinoiran.book.glue.glue_figure` stores it with the figure; the book uses
it as the image's ``alt``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from sinoiran.analysis.panel import Baseline
from sinoiran.analysis.series import annual_deliveries
from sinoiran.base.names import in_prose, possessive
from sinoiran.base.precision import round_snapped
from sinoiran.base.releases import Coverage
from sinoiran.data.sources import SIPRI_CREDIT

TIV_LABEL = "Deliveries (millions of SIPRI TIV)"

#: Type sizes chosen for a figure 7 inches wide that a phone shows about 360 px wide: no text under 9 pt.
#: Applied to each figure as it is drawn (:func:`_styled`), never to the global rcParams, so that
#: importing this module changes nothing for other code and a reused kernel starts like a fresh one.
STYLE: dict[str, Any] = dict(
    {
        "font.size": 11,
        "axes.titlesize": 12,
        "axes.labelsize": 11,
        "xtick.labelsize": 10,
        "ytick.labelsize": 10,
        "legend.fontsize": 10,
        "svg.hashsalt": "sinoiran",
        "svg.fonttype": "path",
    }
)


def _styled(function):
    """Draw the figure under :data:`STYLE` (text sizes are fixed when the artists are created)."""
    import functools

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with plt.rc_context(STYLE):  # type: ignore[arg-type]
            return function(*args, **kwargs)

    return wrapper


#: Okabe-Ito colours, distinguishable with the common forms of colour blindness.
_OKABE_ITO = ["#E69F00", "#0072B2", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000"]
#: One colour per supplier, the same in every figure (China orange, Russia blue).
SUPPLIER_COLOURS = {
    "China": "#E69F00",
    "Russia": "#0072B2",
    "Soviet Union": "#0072B2",
    "United States": "#009E73",
    "France": "#CC79A7",
    "United Kingdom": "#56B4E9",
    "Others": "#999999",
}
#: One colour per release, the same in every figure; later releases get the remaining colours in turn.
_VINTAGE_COLOURS = {
    "2007": "#999999",
    "2016": "#56B4E9",
    "2022": "#009E73",
    "2026": "#D55E00",
    "2026-mirror": "#CC79A7",
}


def _fixed_or_next(fixed: dict[str, str], name: str) -> str:
    """``fixed[name]``, or a palette colour chosen from the name so that it never changes between figures."""
    return fixed.get(name) or _OKABE_ITO[sum(map(ord, name)) % len(_OKABE_ITO)]


def supplier_colour(name: str) -> str:
    """The book's colour for a supplier (a fixed one for the usual suppliers, then the palette)."""
    return _fixed_or_next(SUPPLIER_COLOURS, name)


def vintage_colour(label: str) -> str:
    """The book's colour for a release (vintage)."""
    return _fixed_or_next(_VINTAGE_COLOURS, label)


def describe(figure, text: str) -> None:
    """Give ``figure`` (a matplotlib figure) its alternative text: one sentence, ending with a full stop."""
    text = " ".join(text.split())
    if not text.endswith("."):
        text += "."
    figure.alt_text = text


def alt_text(figure) -> str | None:
    """The alternative text a plotting function gave ``figure`` (:func:`describe`), if any."""
    return getattr(figure, "alt_text", None)


def _n(value: float, digits: int = 0) -> str:
    """A number for a figure's description, rounded by the precision policy (the same text on every machine)."""
    return f"{round_snapped(float(value), digits):,.{digits}f}"


def _tiv(value: float) -> str:
    return f"{_n(value)} million TIV"


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _whole_years(ax: plt.Axes) -> None:
    """Ticks on whole years only (never 2002.5)."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _credit(fig: plt.Figure, note: str = "") -> None:
    text = f"Source: {SIPRI_CREDIT}; project's calculations." + (f" {note}" if note else "")
    fig.text(0.01, 0.005, text, fontsize=9, ha="left", va="bottom", color="0.35")


@_styled
def deliveries_by_vintage(
    tiv: pd.DataFrame,
    *,
    suppliers: list[str],
    coverage: Coverage,
    recipient: str = "Iran",
    start: int = 1990,
    end: int = 2025,
) -> sns.FacetGrid:
    """Line plot of yearly deliveries to ``recipient``, one panel per supplier, one line per vintage.

    ``tiv`` is the ``sipri_tiv`` table (millions of TIV). Years a vintage covers
    without a delivery are drawn at zero; years or suppliers it does not cover
    are left out (see :func:`sinoiran.analysis.series.annual_deliveries`).
    """
    subset = annual_deliveries(
        tiv, recipient=recipient, suppliers=suppliers, start=start, end=end, coverage=coverage
    ).dropna(subset=["tiv"])
    grid = sns.relplot(
        data=subset,
        x="year",
        y="tiv",
        hue="vintage",
        style="vintage",
        col="supplier",
        col_order=suppliers,
        kind="line",
        markers=True,
        dashes=False,
        height=3.4,
        aspect=1.35,
        facet_kws={"sharey": False},
        palette={v: vintage_colour(v) for v in subset["vintage"].unique()},
    )
    grid.set_axis_labels("Year of delivery", TIV_LABEL)
    grid.set_titles(f"{{col_name}} \u2192 {recipient}")
    for ax in grid.axes.flat:
        ax.axvspan(2005.6, 2013.6, color="0.9", zorder=0)
        _whole_years(ax)
    grid.figure.subplots_adjust(bottom=0.2)
    _credit(grid.figure, "Shaded: Ahmadinejad's presidency (Aug 2005 - Aug 2013).")
    peaks = []
    for supplier in suppliers:
        rows = subset[subset["supplier"] == supplier]
        if not rows.empty:
            top = rows.loc[rows["tiv"].idxmax()]
            peaks.append(f"{supplier}'s highest is {_tiv(top['tiv'])} in {int(top['year'])} (release {top['vintage']})")
    describe(
        grid.figure,
        f"Line charts of yearly arms deliveries to {recipient} from {_join(suppliers)}, {start}-{end}, one line per "
        f"SIPRI release, with Ahmadinejad's presidency shaded: {'; '.join(peaks)}.",
    )
    return grid


GROUP_COLOURS = {
    "Western": "#56B4E9",
    "Russia/USSR": SUPPLIER_COLOURS["Russia"],
    "China": SUPPLIER_COLOURS["China"],
    "Other": "#999999",
}


def _event_lines(
    ax: plt.Axes, events: pd.DataFrame, ids: list[str], *, labels: dict[str, str] | None = None, rows: int = 3
) -> None:
    """Dashed vertical lines at the given events, labelled at the top of the axes in ``rows`` staggered rows
    (as many rows as events: no two labels share a row, so close dates never collide)."""
    labels = labels or {}
    top = ax.get_ylim()[1]
    left, right = ax.get_xlim()
    for i, event_id in enumerate(ids):
        date = events.loc[events["event_id"] == event_id, "date"].iloc[0]
        x = date.year + (date.dayofyear - 1) / 365.25
        ax.axvline(x, color="0.3", linestyle="--", linewidth=0.8)
        near_right = x > right - 0.2 * (right - left)  # label to the left of the line, so it is not cut off
        text = labels.get(event_id, event_id)
        ax.text(
            x,
            top * (0.97 - 0.07 * (i % rows)),
            f"{text} " if near_right else f" {text}",
            fontsize=9,
            va="top",
            ha="right" if near_right else "left",
            color="0.2",
        )


@_styled
def imports_by_group_area(
    groups: pd.DataFrame, events: pd.DataFrame, *, vintage: str, recipient: str = "Iran", zoom_from: int = 1979
) -> plt.Figure:
    """Stacked yearly imports by supplier group (millions of TIV): the whole range above, and below
    the years from ``zoom_from`` on a scale of their own, with the key events marked."""
    wide = groups.pivot(index="year", columns="group", values="tiv").fillna(0.0)
    order = [g for g in ["Western", "Russia/USSR", "China", "Other"] if g in wide.columns]
    colours = [GROUP_COLOURS[g] for g in order]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 6), height_ratios=[1, 1.4])
    top.stackplot(wide.index, [wide[g] for g in order], labels=order, colors=colours, alpha=0.85)
    top.set_xlim(wide.index.min(), wide.index.max())
    top.axvspan(zoom_from, wide.index.max(), color="0.92", zorder=0)
    top.set_title(f"Arms imports of {recipient} by supplier group, SIPRI vintage {vintage}")
    top.set_ylabel("Millions of SIPRI TIV")
    top.legend(loc="upper right", frameon=False, fontsize=10)
    zoom = wide.loc[zoom_from:]
    bottom.stackplot(zoom.index, [zoom[g] for g in order], colors=colours, alpha=0.85)
    bottom.set_xlim(zoom.index.min(), zoom.index.max() + 0.9)
    bottom.set_ylim(0, zoom.sum(axis=1).max() * 1.45)
    bottom.set_xlabel("Year of delivery")
    bottom.set_ylabel(TIV_LABEL)
    bottom.set_title(f"From {zoom_from} (shaded above), on its own scale", fontsize=10)
    _whole_years(top)
    _whole_years(bottom)
    shown = [
        e
        for e in ["revolution", "war-start", "war-end", "rafsanjani", "ussr-end", "khatami", "ahmadinejad-1"]
        if zoom_from <= events.loc[events["event_id"] == e, "date"].iloc[0].year <= zoom.index.max()
    ]
    _event_lines(
        bottom,
        events,
        shown,
        labels={
            "revolution": "Revolution",
            "war-start": "War with Iraq",
            "war-end": "Ceasefire",
            "rafsanjani": "Rafsanjani",
            "ussr-end": "USSR ends",
            "khatami": "Khatami",
            "ahmadinejad-1": "Ahmadinejad",
        },
    )
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    _credit(fig)
    leaders = []
    for first, last in [(zoom_from, 1991), (1992, int(zoom.index.max()))]:
        block = wide.loc[first:last, order].sum()
        if block.sum() > 0:
            leaders.append(f"{block.idxmax()} in {first}-{last} ({_n(100 * block.max() / block.sum())} percent)")
    describe(
        fig,
        f"Stacked areas of {recipient}'s yearly arms imports by supplier group, {int(wide.index.min())}-"
        f"{int(wide.index.max())} (SIPRI release {vintage}), and below from {zoom_from} on its own scale with the "
        f"revolution, the war with Iraq and the presidencies marked; the largest group is {' and '.join(leaders)}.",
    )
    return fig


@_styled
def deliveries_with_sanctions(yearly: pd.DataFrame, events: pd.DataFrame, *, start: int, end: int) -> plt.Figure:
    """China's and Russia's yearly deliveries to Iran (one line per vintage) against the sanctions dates.

    ``yearly`` is an :func:`annual_deliveries` grid (``vintage, supplier, year, tiv``).
    """
    data = yearly.dropna(subset=["tiv"])
    data = data[data["year"].between(start, end)]
    fig, ax = plt.subplots(figsize=(7, 4.2))
    sns.lineplot(
        data=data,
        x="year",
        y="tiv",
        hue="supplier",
        style="vintage",
        markers=True,
        ax=ax,
        palette={s_: supplier_colour(s_) for s_ in data["supplier"].unique()},
    )
    _whole_years(ax)
    ax.set_xlabel("Year of delivery")
    ax.set_ylabel(TIV_LABEL)
    ax.set_title("Deliveries to Iran and the sanctions on Iran")
    # Room above the lines for the event labels, one row each, so that neither they nor the legend
    # (below the axes) cover a line.
    ids = ["unsc-1737", "unsc-1747", "unsc-1803", "unsc-1929", "s300-halt"]
    ax.set_ylim(0, data["tiv"].max() * (1.1 + 0.11 * len(ids)))
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles, labels, fontsize=10, frameon=False, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.16))
    _event_lines(
        ax,
        events,
        ids,
        labels={
            "unsc-1737": "UNSC 1737",
            "unsc-1747": "UNSC 1747",
            "unsc-1803": "UNSC 1803",
            "unsc-1929": "UNSC 1929",
            "s300-halt": "S-300 ban",
        },
        rows=len(ids),
    )
    fig.subplots_adjust(bottom=0.36)
    _credit(fig)
    late = data[data["year"] >= 2011].groupby("supplier")["tiv"].mean()
    peaks = data.loc[data.groupby("supplier")["tiv"].idxmax()]
    said = [
        f"{row.supplier}'s peak is {_tiv(row.tiv)} in {int(row.year)} and its mean from 2011 {_tiv(late.get(row.supplier, 0.0))}"
        for row in peaks.itertuples()
    ]
    describe(
        fig,
        f"Lines of China's and Russia's yearly arms deliveries to Iran, {start}-{end}, one line style per SIPRI "
        f"release, with the UN Security Council's sanctions resolutions and the S-300 ban marked: {'; '.join(said)}.",
    )
    return fig


@_styled
def period_totals_bars(totals: pd.DataFrame, *, title: str) -> plt.Figure:
    """Horizontal bars of period totals: ``flow`` (e.g. 'China to Iran') by ``vintage``, millions of TIV."""
    fig, ax = plt.subplots(figsize=(7, 3.8))
    sns.barplot(
        data=totals,
        y="flow",
        x="tiv",
        hue="vintage",
        ax=ax,
        orient="h",
        palette={v: vintage_colour(v) for v in totals["vintage"].unique()},
    )
    ax.set_xlabel("Deliveries 2005-2011 (millions of SIPRI TIV)")
    ax.set_ylabel("")
    ax.set_title(title)
    ax.legend(title="vintage", fontsize=9, title_fontsize=9, frameon=False)
    fig.subplots_adjust(bottom=0.22, left=0.3)
    _credit(fig)
    ranges = totals.groupby("flow", sort=False)["tiv"].agg(["min", "max"])
    said = [f"{flow} {_n(r['min'])} to {_n(r['max'])}" for flow, r in ranges.iterrows()]
    describe(
        fig,
        f"Horizontal bars of deliveries over 2005-2011 by SIPRI release, in millions of TIV: {'; '.join(said)}.",
    )
    return fig


@_styled
def composition_bars(by_type: pd.DataFrame, *, title: str) -> plt.Figure:
    """Horizontal bars of deliveries by weapon type (millions of TIV)."""
    fig, ax = plt.subplots(figsize=(7, 0.5 * len(by_type) + 1.8))
    sns.barplot(data=by_type, y="description", x="tiv", ax=ax, color=GROUP_COLOURS["China"], orient="h")
    ax.set_xlabel("Deliveries (millions of SIPRI TIV)")
    ax.set_ylabel("")
    ax.set_title(title)
    fig.subplots_adjust(bottom=0.3, left=0.38)
    _credit(fig, "Derived 2026 mirror of SIPRI data.")
    top = by_type.loc[by_type["tiv"].idxmax()]
    describe(
        fig,
        f"Horizontal bars of deliveries by weapon type in millions of TIV ({_join(list(by_type['description']))}): "
        f"the {top['description']} deliveries are {_n(100 * top['tiv'] / by_type['tiv'].sum())} percent of the total.",
    )
    return fig


@_styled
def trade_flows(dots: pd.DataFrame) -> plt.Figure:
    """China-Iran merchandise trade by reporter: China's exports (FOB) and Iran's imports (CIF), US$ million."""
    rows = dots[
        ((dots["reporter"] == "China") & (dots["partner"] == "Iran") & (dots["flow"] == "exports_fob"))
        | ((dots["reporter"] == "Iran") & (dots["partner"] == "China") & (dots["flow"] == "imports_cif"))
    ].copy()
    rows["series"] = rows["reporter"].map(
        {"China": "China's exports to Iran (FOB)", "Iran": "Iran's imports from China (CIF)"}
    )
    rows["figure"] = rows["estimated"].map({False: "reported", True: "estimated by the IMF"})
    fig, ax = plt.subplots(figsize=(7, 3.8))
    sns.lineplot(
        data=rows,
        x="year",
        y="value_usd_m",
        hue="series",
        style="figure" if rows["figure"].nunique() > 1 else None,
        markers=True,
        ax=ax,
        palette={
            "China's exports to Iran (FOB)": SUPPLIER_COLOURS["China"],
            "Iran's imports from China (CIF)": "#000000",
        },
    )
    _whole_years(ax)
    ax.set_xlabel("Year")
    ax.set_ylabel("US$ million (current)")
    ax.set_title("One trade flow, two reporters")
    handles, labels = ax.get_legend_handles_labels()
    keep = [(h, lbl) for h, lbl in zip(handles, labels, strict=True) if lbl not in ("series", "figure")]
    ax.legend([h for h, _ in keep], [lbl for _, lbl in keep], fontsize=9, frameon=False)
    fig.text(
        0.01, 0.005, "Source: IMF Direction of Trade Statistics; project's calculations.", fontsize=9, color="0.35"
    )
    fig.subplots_adjust(bottom=0.2)
    said = []
    for series_name, group in rows.groupby("series", sort=True):
        top = group.loc[group["value_usd_m"].idxmax()]
        said.append(f"{series_name} peak at US$ {_n(top['value_usd_m'] / 1000, 1)} billion in {int(top['year'])}")
    describe(
        fig,
        f"Lines of China-Iran merchandise trade, {int(rows['year'].min())}-{int(rows['year'].max())}, as reported by "
        f"each side: {' and '.join(said)}.",
    )
    return fig


@_styled
def shares_with_trends(
    shares: pd.DataFrame,
    fitted: dict[str, pd.DataFrame],
    *,
    break_year: int,
    title: str,
    segmented: dict[str, pd.DataFrame] | None = None,
) -> plt.Figure:
    """Each supplier's share (points), its linear trend with a 95% band, and the segmented fit (dashed).

    ``fitted`` maps supplier -> :func:`sinoiran.analysis.models.fitted_line` frame; shares are fractions.
    """
    fig, ax = plt.subplots(figsize=(7, 4.6))
    for supplier, line in fitted.items():
        colour = supplier_colour(supplier)
        points = shares[shares["supplier"] == supplier]
        ax.plot(points["year"], 100 * points["share"], "o", color=colour, label=f"{supplier}: share", markersize=4)
        ax.plot(line["year"], 100 * line["fitted"], "-", color=colour, label=f"{supplier}: linear trend")
        ax.fill_between(line["year"], 100 * line["low"], 100 * line["high"], color=colour, alpha=0.15)
        if segmented and supplier in segmented:
            seg = segmented[supplier]
            ax.plot(seg["year"], 100 * seg["fitted"], "--", color=colour, label=f"{supplier}: segmented fit")
    ax.axvline(break_year - 0.5, color="0.3", linestyle=":", linewidth=1)
    ax.text(break_year - 0.4, 102, f"break {break_year}", fontsize=9, va="bottom")
    ax.set_ylim(-5, 110)
    _whole_years(ax)
    ax.set_xlabel("Year (last year of the window)")
    ax.set_ylabel("Share of imports (percent of TIV)")
    ax.set_title(title)
    # A short legend that a phone can show: one entry per supplier (its colour), one per mark (in grey).
    keys = [Line2D([], [], color=supplier_colour(s), linewidth=6, label=s) for s in fitted]
    keys += [
        Line2D([], [], color="0.3", marker="o", linestyle="", label="share"),
        Line2D([], [], color="0.3", linestyle="-", label="linear trend, 95% band"),
    ]
    if segmented:
        keys.append(Line2D([], [], color="0.3", linestyle="--", label="segmented fit"))
    ax.legend(handles=keys, fontsize=11, frameon=False, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.16))
    fig.subplots_adjust(bottom=0.36)
    _credit(fig, "Shares of SIPRI TIV volumes.")
    trends = []
    for supplier, line in fitted.items():
        change = 100 * (line["fitted"].iloc[-1] - line["fitted"].iloc[0])
        trends.append(
            f"{possessive(in_prose(supplier))} fitted share goes from {_n(100 * line['fitted'].iloc[0])} to "
            f"{_n(100 * line['fitted'].iloc[-1])} percent ({'up' if change > 0 else 'down'} "
            f"{_n(abs(change))} points)"
        )
    years = shares["year"]
    describe(
        fig,
        f"{title}: the yearly shares in percent of {_join([in_prose(s) for s in fitted])} ({int(years.min())}-"
        f"{int(years.max())}) as points, with linear trends, their 95% bands and segmented fits around a break at "
        f"{break_year}; {'; '.join(trends)}.",
    )
    return fig


@_styled
def placement(
    fall: Baseline,
    rise: Baseline,
    *,
    embargoed: Sequence[str] = (),
    clip: float = -200.0,
) -> plt.Figure:
    """Where one recipient falls among the others, on the chapter's two measures.

    Above, one bar per sizeable client of ``fall.supplier`` (in that supplier's colour): the percent fall of its
    deliveries between the windows, largest fall at the top; the focus is drawn solid and named in bold, the
    others pale; clients under a UN arms embargo are hatched. A rise larger than ``-clip`` percent is cut at
    the axis and its value written beside it. Below, one dot per sizeable importer (in ``rise.supplier``'s
    colour): the change in that supplier's share of its imports, in percentage points, with the focus named.
    Readable at phone width: 7 inches wide, no text under 9 pt. ``figure.alt_text`` describes it in one
    sentence.
    """
    import numpy as np
    from matplotlib.patches import Patch

    focus = fall.focus
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(7, 0.27 * len(fall.clients) + 4.2), height_ratios=[max(len(fall.clients), 4) / 4, 1.6]
    )
    clients = fall.clients.iloc[::-1].reset_index(drop=True)
    colour = supplier_colour(fall.supplier)
    for i, row in clients.iterrows():
        value = float(row["value"])
        mine = row["recipient"] == focus
        top.barh(
            i,
            max(value, clip),
            color=colour,
            alpha=1.0 if mine else 0.4,
            hatch="///" if row["recipient"] in embargoed else None,
            edgecolor="black" if mine else colour,
            linewidth=1.2 if mine else 0.5,
        )
        if value < clip:
            top.text(clip, i, f" {value:,.0f}", va="center", ha="left", fontsize=9, color="0.15")
    top.set_yticks(range(len(clients)), labels=clients["recipient"])
    for label in top.get_yticklabels():
        if label.get_text() == focus:
            label.set_fontweight("bold")
    top.axvline(0, color="0.3", linewidth=0.8)
    top.set_xlim(clip, 105)
    top.set_ylim(-0.6, len(clients) - 0.4)
    before, after = fall.before, fall.after
    top.set_xlabel(f"Fall, {before[0]}-{before[1]} to {after[0]}-{after[1]} (percent; below 0: a rise)")
    top.set_title(f"{fall.supplier}'s deliveries to its sizeable clients, release {fall.release}")
    keys = [
        Patch(facecolor=colour, edgecolor="black", label=focus),
        Patch(facecolor=colour, alpha=0.4, label="other clients"),
        Patch(facecolor="white", edgecolor="0.3", hatch="///", label=f"UN arms embargo, {after[0]}-{after[1]}"),
    ]
    top.legend(handles=keys, loc="lower right", fontsize=9, frameon=True, framealpha=0.9)
    values = rise.clients["value"].to_numpy(dtype=float)
    ranks = rise.clients["rank"].to_numpy()
    offsets = np.where(ranks % 2 == 0, 0.18, -0.18)  # two rows of dots, so that neighbours do not hide each other
    mine = rise.clients["recipient"].to_numpy() == rise.focus
    rise_colour = supplier_colour(rise.supplier)
    bottom.scatter(values[~mine], offsets[~mine], s=28, color=rise_colour, alpha=0.45, label="other importers")
    bottom.scatter(values[mine], offsets[mine], s=70, color=rise_colour, edgecolor="black", label=rise.focus)
    for value, offset in zip(values[mine], offsets[mine], strict=True):
        bottom.annotate(
            rise.focus,
            (value, offset),
            xytext=(0, 12),
            textcoords="offset points",
            ha="center",
            fontsize=10,
            fontweight="bold",
        )
    bottom.axvline(0, color="0.3", linewidth=0.8)
    bottom.set_ylim(-0.8, 0.8)
    bottom.set_yticks([])
    bottom.set_xlabel(
        f"Change in {rise.supplier}'s share, {rise.before[0]}-{rise.before[1]} to {rise.after[0]}-{rise.after[1]} "
        "(percentage points)"
    )
    bottom.set_title(
        f"{rise.supplier}'s share of each sizeable importer's imports, release {rise.release}", fontsize=11
    )
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    _credit(fig)
    fig.alt_text = (  # type: ignore[attr-defined]  # one sentence saying what it shows, for the alt text
        f"Above, bars of the percent fall in {fall.supplier}'s deliveries to each of its {len(fall.clients)} sizeable "
        f"clients from {before[0]}-{before[1]} to {after[0]}-{after[1]}, {focus}'s fall of "
        f"{round_snapped(fall.focus_value, 0):.0f} percent ranked {fall.focus_rank}; below, one dot per sizeable "
        f"importer for the change in {rise.supplier}'s share of its imports, {rise.focus}'s rise of "
        f"{round_snapped(rise.focus_value, 0):.0f} points ranked {rise.focus_rank} of {len(rise.clients)}."
    )
    return fig
