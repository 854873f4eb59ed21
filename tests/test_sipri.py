"""The SIPRI TIV-table reader on real tables of every layout (cut from real exports, bytes unchanged)."""

from __future__ import annotations

import datetime as dt

import pytest

from sinoiran.readers import sipri_tiv
from sinoiran.readers.preamble import parse_generated


def cell(frame, supplier, recipient, year):
    rows = frame[(frame.supplier == supplier) & (frame.recipient == recipient) & (frame.year == year)]
    assert len(rows) <= 1
    return None if rows.empty else float(rows.tiv.iloc[0])


def test_2007_exporter_layout(real):
    table = sipri_tiv.read_tiv_table(real("tiv_2007_exporter_china.csv"))
    assert (table.orientation, table.country, table.generated) == ("by-supplier", "China", dt.date(2007, 11, 2))
    assert (table.years[0], table.years[-1]) == (1950, 2006)
    assert cell(table.deliveries, "China", "Iran", 2005) == 62
    assert cell(table.deliveries, "China", "Pakistan", 2006) == 164
    assert cell(table.deliveries, "China", "Iran", 1980) is None  # an empty cell is no delivery
    # The Total column is dropped and the Total row kept apart.
    assert "Total" not in set(table.deliveries.recipient)
    assert table.totals.set_index("year").tiv[[2004, 2005, 2006]].tolist() == [271, 223, 564]


def test_2016_importer_layout(real):
    table = sipri_tiv.read_tiv_table(real("tiv_2016_importer_iran.csv"))
    assert (table.orientation, table.country, table.generated) == ("by-recipient", "Iran", dt.date(2016, 7, 24))
    assert set(table.deliveries.recipient) == {"Iran"}
    assert cell(table.deliveries, "Russia", "Iran", 2006) == 368
    assert cell(table.deliveries, "China", "Iran", 2005) == 43
    assert cell(table.deliveries, "Belarus", "Iran", 2011) == 15
    assert "Soviet Union" in set(table.deliveries.supplier)  # a predecessor state stays apart from Russia
    assert table.totals.set_index("year").tiv[2006] == 423


def test_2016_importer_table_whole(real):
    table = sipri_tiv.read_tiv_table(real("tiv_2016_importer_egypt.csv"))
    assert (table.country, len(table.deliveries)) == ("Egypt", 319)
    assert (
        cell(table.deliveries, "China", "Egypt", 1979) == 200 and cell(table.deliveries, "China", "Egypt", 1980) == 270
    )
    assert cell(table.deliveries, "Bulgaria", "Egypt", 2014) == 0  # SIPRI's '0': delivered, under 0.5


def test_2022_exporter_layout_and_name_aliases(real):
    table = sipri_tiv.read_tiv_table(real("tiv_2022_exporter_usa.csv"))
    assert (table.orientation, table.country, table.generated) == ("by-supplier", "United States", dt.date(2022, 7, 28))
    assert cell(table.deliveries, "United States", "UAE", 2011) == 853
    assert cell(table.deliveries, "United States", "Afghanistan", 2009) == 280


def test_volume_layout_drops_range_and_percentage_columns(real):
    table = sipri_tiv.read_tiv_table(real("volume_2026_china.csv"))
    assert (table.orientation, table.country, table.generated) == ("by-supplier", "China", dt.date(2026, 7, 14))
    assert (table.years[0], table.years[-1]) == (2000, 2025)
    assert cell(table.deliveries, "China", "Iran", 2012) == 28
    assert cell(table.deliveries, "China", "Iran", 2016) is None
    assert table.deliveries.tiv.max() == 1807  # no range or sum column leaked in
    assert table.totals.set_index("year").tiv[[2005, 2006]].tolist() == [341, 769]


def test_tidy_columns_and_default_release(real):
    table = sipri_tiv.read_tiv_table(real("volume_2026_china.csv"))
    tidy = sipri_tiv.tidy(table)
    assert list(tidy.columns) == ["vintage", "supplier", "recipient", "year", "tiv"]
    assert set(tidy.vintage) == {"2026"}
    assert set(sipri_tiv.tidy(table, "2026-march").vintage) == {"2026-march"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Generated: 02 November 2007", dt.date(2007, 11, 2)),
        ("Data generated: 14 Jul 2026 2:57:40 AM", dt.date(2026, 7, 14)),
        ("Database search results ... the years from 2011 to 2021 - (created: 11-03-2023)", dt.date(2023, 3, 11)),
        ("no date here", None),
    ],
)
def test_parse_generated(text, expected):
    assert parse_generated(text) == expected
