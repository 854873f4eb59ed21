"""The SIPRI TIV reader on one hand-made fixture per layout."""

from __future__ import annotations

import datetime as dt

import pytest

from sinoiran.readers import sipri_tiv


def cell(frame, supplier, recipient, year):
    rows = frame[(frame.supplier == supplier) & (frame.recipient == recipient) & (frame.year == year)]
    assert len(rows) <= 1
    return None if rows.empty else float(rows.tiv.iloc[0])


def test_2007_exporter_layout(fixture_path):
    table = sipri_tiv.read_tiv_table(fixture_path("tiv_2007_exporter.csv"))
    assert table.orientation == "by-supplier"
    assert table.country == "China"
    assert table.generated == dt.date(2007, 11, 2)
    assert table.years == (2004, 2005, 2006)
    assert cell(table.deliveries, "China", "Iran", 2005) == 62
    # '0' is a delivery below 0.5 million TIV; an empty cell is no delivery.
    assert cell(table.deliveries, "China", "Pakistan", 2005) == 0
    assert cell(table.deliveries, "China", "Pakistan", 2004) is None
    assert "Sudan" not in set(table.deliveries.recipient)
    # The Total column is dropped and the Total row kept apart.
    assert "Total" not in set(table.deliveries.recipient)
    assert table.totals.set_index("year").tiv.to_dict() == {2004: 112, 2005: 62, 2006: 88}


def test_2016_importer_layout(fixture_path):
    table = sipri_tiv.read_tiv_table(fixture_path("tiv_2016_importer.csv"))
    assert (table.orientation, table.country, table.generated) == ("by-recipient", "Iran", dt.date(2016, 7, 24))
    assert set(table.deliveries.recipient) == {"Iran"}
    assert cell(table.deliveries, "Russia", "Iran", 2006) == 368
    assert cell(table.deliveries, "Belarus", "Iran", 2005) == 0
    assert cell(table.deliveries, "Belarus", "Iran", 2006) is None
    assert "Soviet Union" not in set(table.deliveries.supplier)
    assert table.totals.tiv.sum() == 58 + 422 + 330


def test_2022_exporter_layout_and_name_aliases(fixture_path):
    table = sipri_tiv.read_tiv_table(fixture_path("tiv_2022_exporter.csv"))
    assert (table.orientation, table.country, table.generated) == ("by-supplier", "United States", dt.date(2022, 7, 28))
    assert cell(table.deliveries, "United States", "UAE", 2011) == 1184
    assert cell(table.deliveries, "United States", "Turkey", 2011) == 12
    assert cell(table.deliveries, "United States", "Pakistan", 2011) == 0


def test_2026_volume_layout_drops_range_and_percentage_columns(fixture_path):
    table = sipri_tiv.read_tiv_table(fixture_path("tiv_2026_volume.csv"))
    assert (table.orientation, table.country, table.generated) == ("by-supplier", "China", dt.date(2026, 7, 14))
    assert table.years == (2010, 2011, 2012)
    assert cell(table.deliveries, "China", "Iran", 2012) == 28
    assert cell(table.deliveries, "China", "Bahamas", 2012) == 0  # "0 " with a trailing space
    assert table.deliveries.tiv.max() == 748  # no range/sum column leaked in
    assert table.totals.tiv.tolist() == [800, 669, 622]


def test_tidy_columns_and_default_vintage(fixture_path):
    table = sipri_tiv.read_tiv_table(fixture_path("tiv_2026_volume.csv"))
    tidy = sipri_tiv.tidy(table)
    assert list(tidy.columns) == ["vintage", "supplier", "recipient", "year", "tiv"]
    assert set(tidy.vintage) == {"2026"}
    assert set(sipri_tiv.tidy(table, "2026-march").vintage) == {"2026-march"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Generated: 02 November 2007", dt.date(2007, 11, 2)),
        ("Data generated: 14 Jul 2026 2:57:40 AM", dt.date(2026, 7, 14)),
        ("no date here", None),
    ],
)
def test_parse_generated(text, expected):
    assert sipri_tiv.parse_generated(text) == expected
