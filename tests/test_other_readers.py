"""Registers, the 2026 mirror and IMF DOTS workbooks (the SIPRI files cut from real exports, bytes unchanged)."""

from __future__ import annotations

from sinoiran.readers import imf, mirror, registers


def test_register_2013_layout_filters_before_parsing(real):
    # The Turkey->Nigeria row has a damaged delivery range ('194 - 2008'); it is outside the subset.
    reg = registers.read_register(real("register_2013.csv"), "2013", recipient="Iran")
    assert reg.layout == "2013" and len(reg.deals) == 7
    deals = reg.deals.set_index("designation")
    c802 = deals.loc["C-802/CSS-N-8"]
    assert (c802.delivery_first, c802.delivery_last, c802.number_delivered) == (1994, 2012, 380)
    assert c802.delivery_years == "" and c802.delivered_scope == "all"
    assert bool(deals.loc["C-704"].order_year_uncertain)
    assert "comment" not in " ".join(reg.deals.columns).lower()
    assert "Nigeria" in reg.recipients_seen  # named in the file, though not parsed


def test_register_2024_windows_1252_and_a_record_broken_over_two_lines(real):
    reg = registers.read_register(real("register_2024.csv"), "2024")
    assert reg.layout == "2024" and reg.rejoined == (8,)
    deals = reg.deals.set_index("designation")
    assert deals.loc["9M338"].tiv_delivered == 187.5 and deals.loc["9M338"].delivery_years == "2006;2007"
    assert bool(deals.loc["JY-14"].order_year_uncertain) and bool(deals.loc["JY-14"].number_delivered_uncertain)
    # The BTR-3 record is broken by a line end inside its comment; joined, its TIV columns are read.
    assert (deals.loc["BTR-3"].tiv_per_unit, deals.loc["BTR-3"].tiv_delivered) == (0.25, 3.25)
    assert "ship engine" in deals.index  # the line with Windows-1252 bytes ('Wärtsilä') is read


def test_register_2026_layout_records_scope(real):
    reg = registers.read_register(real("register_2026_china.csv"), "2026", recipient="Iran")
    assert reg.layout == "2026" and reg.generated.year == 2026
    deals = reg.deals.set_index("designation")
    assert (deals.loc["C-802"].number_delivered, deals.loc["C-802"].delivered_scope) == (260, "2000-2025")
    assert (deals.loc["C-802"].tiv_total_order, deals.loc["C-802"].tiv_delivered) == (342, 234)


def test_mirror_items_and_yearly_sums(real):
    items = mirror.read_mirror(real("mirror_2026.json"))
    yearly = mirror.yearly_tiv(items, "2026-mirror").set_index(["supplier", "recipient", "year"]).tiv
    assert yearly[("China", "Iran", 2005)] == 38.0  # SOURCE.md's key value for the 2026 file
    assert yearly[("Russia", "Iran", 2006)] == 368.85


def test_dots_workbook_values_and_estimate_flag(dots_workbook):
    trade = imf.read_dots_workbook(dots_workbook)
    assert set(trade.reporter) == {"China"}
    row = trade[(trade.partner == "Iran") & (trade.flow == "imports_cif") & (trade.year == 2011)].iloc[0]
    assert row.value_usd_m == 30264.8 and bool(row.estimated)
    fob = trade[(trade.partner == "Iran") & (trade.flow == "exports_fob") & (trade.year == 2011)].iloc[0]
    assert fob.value_usd_m == 14797.108 and not bool(fob.estimated)
    # An empty cell is no record, not a zero.
    assert trade[(trade.partner == "World") & (trade.flow == "imports_cif")].year.tolist() == [2010]
