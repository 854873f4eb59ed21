"""Helpers for chapters: glue values into the prose, display tables and figures.

Every number these helpers store is rounded by the precision policy of
:mod:`sinoiran.base.precision`, so that stored outputs reproduce on any machine;
figures are kept under test by what they show (:func:`figure_content`), not by
their pixels.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd
from myst_nb import glue

from sinoiran.base.precision import PRECISION, Precision, as_python, stored
from sinoiran.book.display import Table, table
from sinoiran.claims import for_display, verdict_summary
from sinoiran.data.vintages import VINTAGES


def precision_table() -> Table:
    """The precision policy as a table for the book: kind, how it is stored, what it is used for."""
    rows = [{"Kind": kind, "Stored as": rule.describe(), "Used for": rule.used_for} for kind, rule in PRECISION.items()]
    rows.append({"Kind": "integers", "Stored as": "exactly", "Used for": "counts and years"})
    return table(pd.DataFrame(rows), uuid="precision")


def stored_frame(frame: pd.DataFrame, kind: str | Precision | dict[str, str] = "number") -> pd.DataFrame:
    """A copy of ``frame`` whose float cells are rounded by the policy: one kind (or rule) for all, or one per column.

    Float columns and floats inside object columns (mixed text and numbers) are
    rounded; everything else is kept. The index is kept as it is.
    """
    result = frame.copy()
    for position, name in enumerate(result.columns):
        column_kind = kind.get(name, "number") if isinstance(kind, dict) else kind
        rule = column_kind if isinstance(column_kind, Precision) else PRECISION[column_kind]
        column = result.iloc[:, position]
        if pd.api.types.is_float_dtype(column.dtype):
            values = column.map(lambda v, rule=rule: rule.round(float(v)), na_action="ignore").astype(column.dtype)
        elif column.dtype == object:
            values = column.map(lambda v, rule=rule: rule.round(float(v)) if isinstance(as_python(v), float) else v)
        else:
            continue
        result.isetitem(position, values)
    return result


def glue_number(name: str, value: numbers.Real, kind: str = "number") -> None:
    """Glue a number for ``{glue:text}`name:format``` in the prose, rounded by the policy for ``kind``.

    Refuses NaN: an unknown is never printed; say so in the prose instead.
    """
    value = as_python(value)
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"glue_number({name!r}): not a number: {value!r}")
    if value != value:  # NaN
        raise ValueError(f"glue_number({name!r}): value is NaN; say in the prose that it is not available instead")
    glue(name, stored(value, kind), display=False)


def glue_json(name: str, value, kind: str = "number") -> None:
    """Glue a JSON dump of ``value`` (sorted keys) with every float rounded by the policy for ``kind``."""
    import json

    glue_text(name, json.dumps(stored(value, kind), sort_keys=True, default=float))


def glue_text(name: str, text: str) -> None:
    """Glue a short piece of text (a vintage label, a verdict)."""
    glue(name, str(text), display=False)


def glue_figure(name: str, figure, alt: str | None = None) -> None:
    """Glue a matplotlib figure for ``{glue:figure}`` as SVG (vector: crisp at any width), and close it.

    ``alt`` is the figure's alternative text, one sentence saying what it shows;
    by default the text its plotting function gave it (:func:`sinoiran.book.plots.describe`).
    A figure without one is refused. The text is the SVG's ``<title>``, which the
    book's Sphinx extension makes the image's ``alt``.

    The SVG is written without a date and with a fixed hash salt, so that it is the
    same on every run on one machine; across machines the drawing may differ in the
    last digits of a coordinate, so nbval does not compare it (``conftest.py``).
    What the figure shows is compared instead: its content (:func:`figure_content`,
    at the policy's ``figure`` precision) and its alternative text are glued beside
    it as ``<name>_content``, so a change to a plotted value, label, legend entry or
    description still fails strict nbval.
    """
    import matplotlib.pyplot as plt

    from sinoiran.book.plots import alt_text

    alt = alt or alt_text(figure)
    if not alt or not alt.strip():
        raise ValueError(f"glue_figure({name!r}): give the figure an alternative text (alt=...), one sentence")
    glue(name, VectorFigure(figure, alt), display=False)
    glue(f"{name}_content", FigureContent(f"alt: {alt}\n{figure_content(figure)}"), display=False)
    plt.close(figure)


class VectorFigure:
    """A figure as SVG for the book (``image/svg+xml``) titled with its alternative text, with matplotlib's
    usual text form."""

    def __init__(self, figure, alt: str = "") -> None:
        import io
        import re
        from html import escape

        import matplotlib as mpl

        buffer = io.StringIO()
        with mpl.rc_context({"svg.hashsalt": "sinoiran"}):
            figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
        svg = buffer.getvalue()
        if alt:  # the first element of the drawing: what screen readers and the book's alt read
            svg = re.sub(r"(<svg\b[^>]*>)", lambda m: f"{m[1]}\n <title>{escape(alt)}</title>", svg, count=1)
        self.svg = svg
        self.alt = alt
        self.text = repr(figure)

    def _repr_svg_(self) -> str:
        return self.svg

    def __repr__(self) -> str:
        return self.text


class FigureContent:
    """Plain text that stands for a figure in the stored outputs (its repr is the text itself)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def figure_content(figure) -> str:
    """What a matplotlib figure shows, as CSV text: one row per drawn element, numbers at ``figure`` precision.

    Rows: every line (its label and x/y data), every bar or patch (x, width,
    height), every filled area (the vertices' bounds), every scatter (offsets),
    every text (titles, axis labels, annotations, legend entries, figure
    notes), and each axes' limits. Pixels, colours and fonts are left out: they
    are how the figure is drawn, not what it says.
    """
    from matplotlib.collections import PathCollection, PolyCollection
    from matplotlib.patches import Rectangle

    rule = PRECISION["figure"]

    def numbers_text(values) -> str:
        flat = np.asarray(values, dtype=float).ravel()
        return " ".join("nan" if not math.isfinite(v) else f"{rule.round(float(v)):g}" for v in flat)

    rows: list[tuple[str, str, str, str]] = []
    for text in figure.texts:
        rows.append(("figure", "text", text.get_text(), ""))
    for index, ax in enumerate(figure.axes):
        where = f"axes {index}"
        rows.append((where, "title", ax.get_title(), ""))
        rows.append((where, "xlabel", ax.get_xlabel(), numbers_text(ax.get_xlim())))
        rows.append((where, "ylabel", ax.get_ylabel(), numbers_text(ax.get_ylim())))
        for line in ax.get_lines():
            x, y = line.get_data()
            rows.append((where, "line", str(line.get_label()), f"x: {numbers_text(x)} | y: {numbers_text(y)}"))
        for patch in ax.patches:
            if isinstance(patch, Rectangle):
                values = [patch.get_x(), patch.get_y(), patch.get_width(), patch.get_height()]
                rows.append((where, "bar", str(patch.get_label()), numbers_text(values)))
        for collection in ax.collections:
            if isinstance(collection, PathCollection):
                rows.append((where, "points", str(collection.get_label()), numbers_text(collection.get_offsets())))
            elif isinstance(collection, PolyCollection):
                for path in collection.get_paths():
                    vertices = np.asarray(path.vertices, dtype=float)
                    bounds = [vertices[:, 0].min(), vertices[:, 0].max(), vertices[:, 1].min(), vertices[:, 1].max()]
                    rows.append((where, "area", str(collection.get_label()), numbers_text(bounds)))
        for text in ax.texts:
            rows.append((where, "text", text.get_text(), numbers_text(text.get_position())))
        legend = ax.get_legend()
        if legend is not None:
            for text in legend.get_texts():
                rows.append((where, "legend", text.get_text(), ""))
    for legend in figure.legends:
        for text in legend.get_texts():
            rows.append(("figure", "legend", text.get_text(), ""))
    return pd.DataFrame(rows, columns=["where", "element", "label", "values"]).to_csv(index=False).strip()


def glue_claims(ledger, claim_ids: list[str]) -> None:
    """Glue each claim's verdict summary as ``v_<ID with underscores>`` for the prose."""
    for claim_id in claim_ids:
        glue_text("v_" + claim_id.replace("-", "_"), verdict_summary(ledger, claim_id))


def claim_reason(ledger, claim_id: str) -> str:
    """The one-sentence reason of a claim's verdict, from the newest SIPRI release (or register) that can test
    it, preferring SIPRI's own releases to a derived mirror; a claim no source can test gives the reason it
    cannot."""
    rows = ledger[ledger["claim_id"] == claim_id]
    if rows.empty:
        raise KeyError(f"{claim_id}: not in the ledger")
    testable = rows[rows["verdict"] != "not-testable"]
    if testable.empty:
        return str(rows["reason"].iloc[-1])
    own = testable[[not (v in VINTAGES and VINTAGES[v].kind == "derived-mirror") for v in testable["vintage"]]]
    return str((own if not own.empty else testable)["reason"].iloc[-1])


def glue_reasons(ledger, claim_ids: list[str]) -> None:
    """Glue each claim's reason (:func:`claim_reason`) as ``why_<ID with underscores>`` for the prose."""
    for claim_id in claim_ids:
        glue_text("why_" + claim_id.replace("-", "_"), claim_reason(ledger, claim_id))


def verdict_rows(ledger, claim_ids: list[str], uuid: str) -> Table:
    """The ledger rows of some claims (claim, release, printed and recomputed value, verdict), coloured by verdict."""
    shown = for_display(ledger[ledger["claim_id"].isin(claim_ids)])
    columns = ["claim_id", "vintage", "paper_value", "recomputed_value", "verdict"]
    return table(shown[columns], key=["claim_id", "vintage"], uuid=uuid)
