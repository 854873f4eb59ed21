"""Registers, the 2026 mirror and IMF DOTS workbooks, on hand-made fixtures."""

from __future__ import annotations

from sinoiran.readers import imf, mirror, registers


def test_register_2013_layout_filters_before_parsing(fixture_path):
    # The Turkey->Nigeria row has a damaged delivery range; it is outside the subset.
    reg = registers.read_register(fixture_path("register_2013.csv"), "2013", recipient="Iran")
    assert reg.layout == "2013"
    deals = reg.deals.set_index("designation")
    assert list(deals.index) == ["C-802/CSS-N-8", "C-704"]
    c802 = deals.loc["C-802/CSS-N-8"]
    assert (c802.delivery_first, c802.delivery_last, c802.number_delivered) == (1994, 2012, 380)
    assert c802.delivery_years == "" and c802.delivered_scope == "all"
    assert bool(deals.loc["C-704"].order_year_uncertain)
    assert "comment" not in " ".join(reg.deals.columns).lower()


def test_register_2024_layout_flags_and_tiv(fixture_path):
    reg = registers.read_register(fixture_path("register_2024.csv"), "2024", recipient="Iran")
    deals = reg.deals.set_index("designation")
    assert reg.layout == "2024"
    assert deals.loc["Tor-M1"].tiv_delivered == 362.5
    assert deals.loc["QW-11"].delivery_years == "2006;2007;2008"
    assert bool(deals.loc["QW-11"].order_year_uncertain) and not bool(deals.loc["QW-11"].number_ordered_uncertain)
    assert bool(deals.loc["QW-11"].number_delivered_uncertain)


def test_register_2026_layout_records_scope(fixture_path):
    reg = registers.read_register(fixture_path("register_2026.csv"), "2026", recipient="Iran")
    assert reg.layout == "2026" and reg.generated.year == 2026
    (deal,) = reg.deals.itertuples()
    assert (deal.designation, deal.number_delivered, deal.delivered_scope) == ("C-802", 260, "2000-2025")
    assert (deal.tiv_total_order, deal.tiv_delivered) == (342, 234)


def test_mirror_items_and_yearly_sums(fixture_path):
    items = mirror.read_mirror(fixture_path("mirror.json"))
    assert len(items) == 5
    yearly = mirror.yearly_tiv(items, "2026-mirror")
    china_iran = yearly[(yearly.supplier == "China") & (yearly.recipient == "Iran")].set_index("year").tiv
    assert china_iran.to_dict() == {2005: 28.5, 2006: 3.0}


def test_dots_workbook_values_and_estimate_flag(dots_workbook):
    trade = imf.read_dots_workbook(dots_workbook)
    assert set(trade.reporter) == {"China"}
    row = trade[(trade.partner == "Iran") & (trade.flow == "imports_cif") & (trade.year == 2011)].iloc[0]
    assert row.value_usd_m == 30264.8 and bool(row.estimated)
    fob = trade[(trade.partner == "Iran") & (trade.flow == "exports_fob") & (trade.year == 2011)].iloc[0]
    assert fob.value_usd_m == 14797.108 and not bool(fob.estimated)
    # An empty cell is no record, not a zero.
    assert trade[(trade.partner == "World") & (trade.flow == "imports_cif")].year.tolist() == [2010]
