"""Helpers for chapters: glue values into the prose without numpy reprs or stray figures."""

from __future__ import annotations

import numbers

import numpy as np
from myst_nb import glue


def as_python(value):
    """Convert numpy scalars to plain Python numbers, so glue stores ``309.0``, not ``np.float64(309.0)``."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def glue_number(name: str, value: numbers.Real) -> None:
    """Glue a number for ``{glue:text}`name:format``` in the prose; refuse NaN (an unknown is never printed)."""
    value = as_python(value)
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"glue_number({name!r}): not a number: {value!r}")
    if value != value:  # NaN
        raise ValueError(f"glue_number({name!r}): value is NaN; say in the prose that it is not available instead")
    glue(name, value, display=False)


def glue_text(name: str, text: str) -> None:
    """Glue a short piece of text (a vintage label, a verdict)."""
    glue(name, str(text), display=False)


def glue_figure(name: str, figure) -> None:
    """Glue a matplotlib figure for ``{glue:figure}`` and close it, so it is not also shown inline."""
    import matplotlib.pyplot as plt

    glue(name, figure, display=False)
    plt.close(figure)


#: Background colours of verdicts in styled tables (colour-blind-safe pairs, light enough for black text).
VERDICT_COLOURS = {
    "reproduced": "#b7e4c7",
    "supported": "#b7e4c7",
    "arithmetic-consistent": "#d8f3dc",
    "differs": "#f4c7c3",
    "not-supported": "#f4c7c3",
    "arithmetic-inconsistent": "#fbe3e1",
    "not-testable": "#e9ecef",
}


def style_verdicts(frame, uuid: str, columns: list[str] | None = None):
    """A pandas Styler that colours verdict cells; ``uuid`` fixes the HTML ids so outputs are reproducible."""

    def colour(value):
        return f"background-color: {VERDICT_COLOURS[value]}" if value in VERDICT_COLOURS else ""

    styler = frame.style.set_uuid(uuid).hide(axis="index") if frame.index.name is None else frame.style.set_uuid(uuid)
    subset = columns if columns is not None else list(frame.columns)
    return StyledTable(frame, styler.map(colour, subset=subset).format(number_text, na_rep="-"))


class StyledTable:
    """A styled table for notebooks: HTML from the Styler, and a plain-text form without memory addresses.

    (A bare pandas Styler's text form is ``<... Styler at 0x7f...>``, which
    changes on every run and would make stored outputs differ for no reason.)
    """

    def __init__(self, frame, styler) -> None:
        self.frame = frame
        self.styler = styler

    def _repr_html_(self) -> str:
        return self.styler.to_html()

    def __repr__(self) -> str:
        return self.frame.to_string()


def number_text(value) -> str:
    """Readable text for a table cell: four significant digits for numbers, the value itself otherwise."""
    value = as_python(value)
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)


def glue_claims(ledger, claim_ids: list[str]) -> None:
    """Glue each claim's verdict summary as ``v_<ID with underscores>`` for the prose."""
    from sinoiran.claims import verdict_summary

    for claim_id in claim_ids:
        glue_text("v_" + claim_id.replace("-", "_"), verdict_summary(ledger, claim_id))


def verdict_rows(ledger, claim_ids: list[str], uuid: str):
    """The ledger rows of some claims (id, vintage, printed and recomputed value, verdict), coloured by verdict."""
    rows = ledger[ledger["claim_id"].isin(claim_ids)][["claim_id", "vintage", "paper_value", "recomputed_value", "verdict"]]
    return style_verdicts(rows, uuid=uuid, columns=["verdict"])
