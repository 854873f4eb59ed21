"""The book's table formatter, the ledger page and the Sphinx extension's pure parts."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from sinoiran.book import ledger_page
from sinoiran.book.display import MISSING, VERDICT_COLOURS, cell_text, header, infer_kind, kind_text, table
from sinoiran.book.sphinx_fixes import author_year_label, execution_record_nodes, ledger_href, link_claim_ids
from sinoiran.data.paper import BY_ID

from conftest import ROOT
from stored_tables import stored_tables, tables_in_html

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def test_headers_are_for_people():
    assert header("tiv") == "TIV (millions)"
    assert header("claim_id") == "Claim"
    assert header("gap_to_nearest_pct") == "Nearest release vs printed (%)"
    assert header("some_new_column") == "Some new column"
    assert header(2011.0) == "2011"
    assert header("Already Human") == "Already Human"
    assert header("mean 2005-2007") == "Mean 2005-2007"


@pytest.mark.parametrize(
    ("value", "decimals", "year", "text"),
    [
        (None, None, False, MISSING),
        (math.nan, 2, False, MISSING),
        (2011.0, None, True, "2011"),
        (2011, None, False, "2,011"),
        (2011, None, True, "2011"),
        (12345.678, None, False, "12,346"),
        (0.123456, None, False, "0.1235"),
        (2.675, 2, False, "2.67"),  # the policy's rounding (the same on every machine)
        (5.0, 1, False, "5.0"),
        (True, None, False, "yes"),
        ("", None, False, MISSING),
    ],
)
def test_cell_text(value, decimals, year, text):
    assert cell_text(value, decimals, year) == text


def test_table_drops_a_plain_index_keeps_a_named_one_and_shows_years_as_years():
    frame = pd.DataFrame({"year": [2005.0, 2006.0], "tiv": [1.34, math.nan]})
    shown = table(frame, decimals=1)
    assert list(shown.frame.columns) == ["Year", "TIV (millions)"]
    assert shown.frame["Year"].tolist() == ["2005", "2006"]
    assert shown.frame["TIV (millions)"].tolist() == ["1.3", MISSING]
    html = shown._repr_html_()
    assert "row_heading" not in html and "sinoiran-table" in html
    named = table(frame.set_index("year"))
    assert named.frame.columns[0] == "Year"


def test_wide_tables_are_split_and_repeat_the_key_column():
    frame = pd.DataFrame({"supplier": ["China", "Russia"], **{str(y): [1.0, 2.0] for y in range(2000, 2014)}})
    shown = table(frame, max_columns=6)
    assert len(shown.parts) == 3
    assert all(part.columns[0] == "Supplier" and len(part.columns) <= 6 for part in shown.parts)
    assert list(shown.frame.columns) == ["Supplier", *[str(y) for y in range(2000, 2014)]]


def test_verdicts_are_coloured_and_the_html_is_the_same_on_every_run():
    frame = pd.DataFrame({"claim_id": ["MAIN-CHN-SUM"], "verdict": ["differs"]})
    first, second = table(frame)._repr_html_(), table(frame)._repr_html_()
    assert first == second
    assert VERDICT_COLOURS["differs"] in first


def test_no_cell_is_cut_short():
    long_text = "word " * 80
    shown = table(pd.DataFrame({"reason": [long_text]}))
    assert long_text.strip() in shown._repr_html_()
    assert "..." not in shown._repr_html_() and "…" not in shown._repr_html_()


# --- numbers by kind ------------------------------------------------------------------------------


def test_kinds_are_inferred_from_values_not_names():
    assert infer_kind(pd.Series([1992, 2011])) == "year"
    assert infer_kind(pd.Series([1992.0, math.nan])) == "year"
    assert infer_kind(pd.Series([2.0, 16.0])) == "count"  # HAC lags, years before: whole numbers
    assert infer_kind(pd.Series([20051])) == "count"
    assert infer_kind(pd.Series([0.751, 0.189])) == "statistic"
    assert infer_kind(pd.Series(["China", 2005], dtype=object)) == "text"
    assert infer_kind(pd.Series([True, False])) == "text"


def test_kinds_write_their_values():
    assert kind_text(1992.0, "year") == "1992"
    assert kind_text(2.0, "count", decimals=4) == "2"
    assert kind_text(20051, "text") == "20051"
    assert kind_text(0.751, "percent", decimals=0) == "75"
    assert kind_text(0.0001, "p_value") == "< 0.001"
    assert kind_text(0.0372, "p_value") == "0.037"
    assert kind_text(1234.56, "tiv") == "1,234.6"
    with pytest.raises(ValueError, match="unknown column kind"):
        kind_text(1.0, "colour")


def test_a_percent_column_is_multiplied_and_labelled_once():
    shown = table(pd.DataFrame({"description": ["anti-ship missile"], "share": [0.751]}), kinds={"share": "percent"})
    assert list(shown.frame.columns) == ["Description", "Share (%)"]  # "(%)" once: the header had it
    assert shown.frame["Share (%)"].tolist() == ["75.1"]
    wide = table(pd.DataFrame({"China": [0.5], "Russia": [0.25]}, index=pd.Index([2005], name="year")), kinds="percent")
    assert list(wide.frame.columns) == ["Year", "China (%)", "Russia (%)"]
    assert wide.frame.iloc[0].tolist() == ["2005", "50", "25"]


def test_key_and_verdict_columns_come_first():
    frame = pd.DataFrame(
        {"claim_id": ["MAIN-CHN-SUM"], "vintage": ["2016"], "paper_value": ["470"], "verdict": ["differs"]}
    )
    shown = table(frame, key=["claim_id", "vintage"])
    assert list(shown.frame.columns) == ["Claim", "Release", "Verdict", "Printed in the paper"]
    html = shown._repr_html_()
    assert 'tabindex="0"' in html and 'role="region"' in html  # the keyboard reaches a table that scrolls
    assert re.search(r'<td[^>]*class="[^"]*\bkey\b', html) and re.search(r'<td[^>]*class="[^"]*\bverdict\b', html)


#: A year written like a count: "1,992", "2,011.0000".
YEAR_WITH_SEPARATOR = re.compile(r"^(1,[89]\d\d|2,[01]\d\d)(\.\d+)?$")
WHOLE_WITH_DECIMALS = re.compile(r"^-?[\d,]+\.0+$")
NUMBER = re.compile(r"^[-+]?[\d,]*\.?\d+$")
#: Kinds under which a value such as 2,000 is an amount, not a year.
AMOUNT_KINDS = {"kind-count", "kind-tiv", "kind-money", "kind-statistic"}


def display_problems(tables) -> list[str]:
    """What a reader would stumble on in the displayed tables: years with separators or decimals, whole
    numbers with decimals, and percent columns that hold fractions."""
    problems = []
    for shown in tables:
        for column in shown.columns:
            where = f"{shown.chapter}: {column.header!r}"
            cells = [c for c in column.cells if c and c != MISSING]
            rate_free = re.sub(r"\b(a|per) year\b", " ", column.header, flags=re.I)  # "TIV millions a year" is a rate
            about_years = re.search(r"\b(year|years|from|to)\b", rate_free, re.I) is not None
            if not (column.classes & AMOUNT_KINDS) or about_years:
                years = [c for c in cells if YEAR_WITH_SEPARATOR.match(c)]
                if years:
                    problems.append(f"{where}: years written with a separator {years[:3]}")
            if "kind-year" in column.classes and any(not c.isdigit() for c in cells):
                problems.append(f"{where}: a year column with other text {cells[:3]}")
            if "kind-count" in column.classes and any("." in c for c in cells):
                problems.append(f"{where}: a count with decimals {cells[:3]}")
            if cells and all(WHOLE_WITH_DECIMALS.match(c) for c in cells):
                problems.append(f"{where}: whole numbers shown with decimals {cells[:3]}")
            numbers = [float(c.replace(",", "")) for c in cells if NUMBER.match(c)]
            if "(%)" in column.header and numbers and all(abs(v) < 1 for v in numbers):
                problems.append(f"{where}: a percent column that holds fractions {cells[:3]}")
    return problems


def test_every_displayed_table_shows_numbers_by_kind():
    """Every table of every chapter, as stored: no year with a separator, no whole number with decimals,
    no "(%)" column of fractions."""
    tables = stored_tables(CHAPTERS)
    assert len(tables) > 80
    assert display_problems(tables) == []


def test_the_display_check_catches_what_a_name_list_got_wrong():
    """The defects of the formatter that decided kinds from a list of names, as it rendered them."""
    html = (
        '<table class="sinoiran-table"><thead><tr><th>Ordered</th><th>HAC lags</th><th>Share (%)</th></tr></thead>'
        "<tbody><tr><td>1,992</td><td>2.0000</td><td>0.751</td></tr>"
        "<tr><td>2,011</td><td>3.0000</td><td>0.189</td></tr></tbody></table>"
    )
    from stored_tables import ShownTable

    problems = display_problems([ShownTable("old", columns) for columns in tables_in_html(html)])
    assert len(problems) == 3, problems


# --- the ledger page -------------------------------------------------------------------------------


def _ledger() -> pd.DataFrame:
    from sinoiran import claims
    from sinoiran.data import tables

    return claims.ledger(tables.load_inputs())


@pytest.fixture(scope="module")
def ledger() -> pd.DataFrame:
    return _ledger()


def test_every_claim_has_one_anchored_entry_with_index_entries(ledger):
    text = ledger_page.entries(ledger)
    for claim_id in ledger["claim_id"].unique():
        assert text.count(f"({ledger_page.anchor(claim_id)})=") == 1
        assert f"{{index}} !single: {claim_id}\n" in text
    assert "{index} !single: 470\n" in text  # the paper's headline figure is findable by search
    prose = [line for line in text.splitlines() if not line.startswith("<table")]
    assert not any("$470" in line.replace("\\$470", "") for line in prose)  # escaped: never read as maths


def test_the_interactive_ledger_holds_every_row(ledger):
    html = ledger_page.interactive(ledger)
    assert html.count("<tr>") == len(ledger) + 1
    assert 'class="sinoiran-filter"' in html


def test_the_overview_has_one_row_per_claim(ledger):
    assert len(ledger_page.overview(ledger).frame) == ledger["claim_id"].nunique()


def test_displayed_values_use_the_printed_precision(ledger):
    from sinoiran import claims

    shown = claims.for_display(ledger).set_index(["claim_id", "vintage"])
    assert shown.loc[("MAIN-2011-SHARE", "-"), "recomputed_value"] == "0.53"
    chn = shown.loc[("MAIN-CHN-SUM", "2016"), "recomputed_value"]
    assert "." not in chn  # "$470 million" is printed to the million
    assert BY_ID["MAIN-CHN-MEAN"].printed_decimals == 1
    assert BY_ID["MAIN-NEIGHBOURS-UAE"].printed_decimals == 0  # "$4.9 billion", in millions
    ranges = ledger_page.ranges_table(claims.amount_ranges(ledger)).frame.set_index("Claim")
    assert ranges.loc["MAIN-CHN-MEAN", "Lowest release"].count(".") == 1
    assert ranges.loc["MAIN-CHN-MEAN", "Lowest release"].split(".")[1].isdigit()
    assert len(ranges.loc["MAIN-CHN-MEAN", "Lowest release"].split(".")[1]) == 1


# --- the Sphinx extension ------------------------------------------------------------------------


def test_claim_ids_in_code_spans_and_table_cells_become_links():
    body = (
        '<p><code class="docutils literal notranslate"><span class="pre">MAIN-CHN-SUM</span></code></p>'
        '<td id="x" class="data">MAIN-RUS-SUM</td><td>MAIN-NOT-A-CLAIM</td>'
    )
    linked = link_claim_ids(body, lambda c: ledger_href("html", "claims_ledger.html", c))
    assert 'href="claims_ledger.html#claim-main-chn-sum"' in linked
    assert 'href="claims_ledger.html#claim-main-rus-sum"' in linked
    assert "MAIN-NOT-A-CLAIM</td>" in linked and linked.count("<a ") == 2
    assert ledger_href("singlehtml", "index.html", "MAIN-CHN-SUM") == "#claim-main-chn-sum"


def test_reference_labels_are_author_year():
    from pybtex.database import parse_string

    bib = parse_string(
        "@misc{a, author={Beehner, Lionel}, year={2006}} @misc{b, author={A, B and C, D and E, F}, year={2012}}"
        " @misc{c, author={{Stockholm International Peace Research Institute}}, year={2026}}",
        "bibtex",
    )
    assert author_year_label(bib.entries["a"]) == "Beehner 2006"
    assert author_year_label(bib.entries["b"]) == "A et al. 2012"
    assert author_year_label(bib.entries["c"]) == "Stockholm International Peace Research Institute 2026"


def test_the_execution_record_renders_commit_and_run_times():
    record = {
        "commit": "abc123",
        "inputs_key": "k",
        "built_at": "2026-11-30T12:00:00+00:00",
        "chapters": {"trends.ipynb": {"seconds": 4.25, "executed_at": "2026-11-30T11:59:00+00:00", "this_build": True}},
    }
    text = "".join(node.astext() for node in execution_record_nodes(record))
    assert "abc123" in text and "trends.ipynb" in text and "4.2" in text and "this build" in text
    assert "No execution record" in execution_record_nodes(None)[0].astext()
