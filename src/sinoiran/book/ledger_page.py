"""The claims ledger as a reviewer reads it: an overview, one anchored entry per claim, and the full table.

* :func:`overview` is one row per claim (what the paper says in short, the
  printed figure, and the verdicts across releases), narrow enough for a phone.
* :func:`entries` is MyST Markdown with one section per claim, anchored at
  ``#claim-<id in lower case>`` (:func:`anchor`) and carrying index entries for
  the claim ID and the printed figure, so that the search box finds "470" and
  "MAIN-CHN-SUM".
* :func:`interactive` is the whole ledger as one HTML table that the book's
  ``ledger.js`` makes searchable and sortable in the browser, with no network.

Every claim ID elsewhere in the book links to its entry (the Sphinx extension in
:mod:`sinoiran.book.sphinx_fixes` uses :func:`anchor`).
"""

from __future__ import annotations

import html

import pandas as pd

from sinoiran.book.display import MISSING, VERDICT_COLOURS, Table, table
from sinoiran.claims import for_display, verdict_summary
from sinoiran.data.paper import BY_ID, CLAIM_IDS

#: The page that holds the entries (a Sphinx docname).
LEDGER_DOCNAME = "chapters/claims_ledger"


def anchor(claim_id: str) -> str:
    """The HTML id of a claim's entry: ``MAIN-CHN-SUM`` -> ``claim-main-chn-sum``."""
    return "claim-" + claim_id.lower()


def overview(ledger: pd.DataFrame) -> Table:
    """One row per claim: ID, section, the claim in short, the printed figure, and its verdicts by release."""
    rows = []
    for claim_id in [c for c in CLAIM_IDS if c in set(ledger["claim_id"])]:
        claim = BY_ID[claim_id]
        rows.append(
            {
                "Claim": claim_id,
                "The paper says": claim.paraphrase,
                "Printed": claim.paper_value or MISSING,
                "Verdicts (release)": verdict_summary(ledger, claim_id),
            }
        )
    return table(pd.DataFrame(rows), uuid="overview")


def entries(ledger: pd.DataFrame) -> str:
    """MyST Markdown: one anchored section per claim with the paper's words in short, the printed value,
    and a compact table with a row per release (verdict, recomputed value) and the reason below it.

    Render with the cell's ``markdown_format: myst`` (targets, index entries and
    headings are MyST). The per-claim table is HTML in the book's compact table
    style, with the verdicts in the ledger's colours."""
    shown = for_display(ledger)
    blocks = []
    for claim_id in [c for c in CLAIM_IDS if c in set(ledger["claim_id"])]:
        claim = BY_ID[claim_id]
        index_terms = [claim_id, *_printed_numbers(claim.paper_value)]
        printed = _md(claim.paper_value) if claim.paper_value else "no figure"
        unit = f" ({_md(claim.unit)})" if claim.unit else ""
        rows = shown[shown["claim_id"] == claim_id]
        cells = [
            (row["vintage"], _text(row["recomputed_value"]), row["verdict"], _text(row["reason"]))
            for _, row in rows.iterrows()
        ]
        blocks.append(
            "\n".join(
                [
                    f"({anchor(claim_id)})=",
                    f"#### {claim_id}",
                    "",
                    # One index directive per term; "!" makes this the term's main entry.
                    *(f"```{{index}} !single: {term}\n```" for term in index_terms),
                    "",
                    f"*{_md(claim.section)}.* {_md(claim.paraphrase)}. **Printed:** {printed}{unit}; "
                    f"**period** {_md(claim.period)}; **source cited** {_md(claim.cited_source)}.",
                    "",
                    _entry_table(cells),
                ]
            )
        )
    return "\n\n".join(blocks) + "\n"


def _entry_table(cells: list[tuple[str, str, str, str]]) -> str:
    """One claim's rows: release, verdict and value side by side (narrow enough for a phone), and the reason on
    a row of its own below them, the full width of the table."""
    head = "".join(f'<th scope="col">{label}</th>' for label in ("Release", "Verdict", "Recomputed"))
    body = "".join(
        f'<tr><td class="key">{html.escape(vintage)}</td>'
        f'<td class="verdict" style="{_verdict_style(verdict)}">{html.escape(verdict)}</td>'
        f"<td{_numeric_class(value)}>{html.escape(value)}</td></tr>"
        f'<tr class="sinoiran-why"><td colspan="3"><strong>Why:</strong> {html.escape(why)}</td></tr>'
        for vintage, value, verdict, why in cells
    )
    return (
        '<div class="sinoiran-scroll-x" role="region" tabindex="0" aria-label="Verdicts by release">\n'
        f'<table class="sinoiran-table sinoiran-entry"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\n'
        "</div>"
    )


def _numeric_class(value: str) -> str:
    """``class="num"`` (right-aligned, kept on one line) for a number; words wrap like any text."""
    import re

    return ' class="num"' if re.fullmatch(r"[-+$]?[\d,.]+%?|–", value.strip()) else ""


def _verdict_style(verdict: str) -> str:
    return f"background-color: {VERDICT_COLOURS[verdict]}; color: #111" if verdict in VERDICT_COLOURS else ""


def _text(value) -> str:
    """A cell's text: a dash for a missing value."""
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return MISSING
    return str(value)


def interactive(ledger: pd.DataFrame) -> str:
    """The whole ledger as one HTML table for ``ledger.js`` (filter box, sortable headers); works offline."""
    shown = for_display(ledger)
    # Key and verdict first: on a phone they stay on screen while the rest scrolls.
    columns = {
        "claim_id": "Claim",
        "vintage": "Release",
        "verdict": "Verdict",
        "paper_value": "Printed",
        "recomputed_value": "Recomputed",
        "reason": "Why",
    }
    roles = {"claim_id": "key", "vintage": "key", "verdict": "verdict"}
    head = "".join(f'<th scope="col">{html.escape(label)}</th>' for label in columns.values())
    body = []
    for _, row in shown.iterrows():
        cells = []
        for column in columns:
            text = _text(row[column])
            style = f' style="{_verdict_style(text)}"' if column == "verdict" else ""
            style += f' class="{roles[column]}"' if column in roles else ""
            if column == "claim_id":
                text_html = f'<a href="#{anchor(text)}">{html.escape(text)}</a>'
            else:
                text_html = html.escape(text)
            cells.append(f"<td{style}>{text_html}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<div class="sinoiran-interactive">'
        '<label>Filter the ledger: <input type="search" class="sinoiran-filter" '
        'placeholder="a claim ID, a release, a verdict, a word" aria-label="Filter the ledger"></label>'
        '<p class="sinoiran-count" aria-live="polite"></p>'
        '<div class="sinoiran-scroll" role="region" tabindex="0" aria-label="The whole ledger">'
        '<table class="sinoiran-table sinoiran-sortable">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div></div>"
    )


def _printed_numbers(printed: str) -> list[str]:
    """The numbers in a printed figure, as a reader would type them: "$4.9 billion" -> ["4.9"]."""
    import re

    return re.findall(r"\d+(?:\.\d+)?", printed or "")


def _md(text: str) -> str:
    """Text safe in MyST inline syntax (no math from "$", no emphasis from "*", no roles from backticks)."""
    escaped = html.escape(text or "", quote=False)  # <, > and & as entities
    for char in "\\`*_$[]{}|":  # the backslash first, so that added escapes are not escaped again
        escaped = escaped.replace(char, "\\" + char)
    return escaped.replace("\n", " ")


def ranges_table(ranges: pd.DataFrame) -> Table:
    """:func:`sinoiran.claims.amount_ranges` for a reader: each amount at the precision the paper prints it with."""
    shown = ranges.copy()
    for column in ("paper", "lowest", "highest"):
        shown[column] = [
            f"{value:,.{BY_ID[claim_id].printed_decimals}f}"
            for claim_id, value in zip(shown["claim_id"], shown[column], strict=True)
        ]
    shown["gap_to_nearest_pct"] = shown["gap_to_nearest_pct"].map(lambda v: f"{v:+.1f}")
    return table(shown, uuid="ranges")
