"""Every SIPRI export in use is recognised from its own header and read as what it is.

Fixtures are hand-built in the layouts of SIPRI's exports (no copy of a SIPRI file).
"""

from __future__ import annotations

import pandas as pd
import pytest

from sinoiran.analysis.trends import TrendParameters
from sinoiran.base.names import canonical_country, successor
from sinoiran.readers import detect, registers, sipri_tiv, transfers


@pytest.mark.parametrize(
    "name, expected",
    [
        ("tiv_2007_exporter.csv", "sipri-tiv"),
        ("tiv_2016_importer.csv", "sipri-tiv"),
        ("tiv_2022_exporter.csv", "sipri-tiv"),
        ("tiv_2026_volume.csv", "sipri-tiv"),
        ("volume_2025_two_tables.csv", "sipri-tiv"),
        ("register_2013.csv", "sipri-register"),
        ("register_2024.csv", "sipri-register"),
        ("register_2026.csv", "sipri-register"),
        ("register_2026_no_preamble.csv", "sipri-register"),
        ("transfers_2025.csv", "sipri-transfers"),
        ("mirror.json", "mirror-json"),
    ],
)
def test_each_export_is_recognised_from_its_header(fixture_path, name, expected):
    assert detect.detect(fixture_path(name)).format == expected


def test_volume_file_with_two_tables_one_year_and_many(fixture_path):
    germany, iran = sipri_tiv.read_tiv_tables(fixture_path("volume_2025_two_tables.csv"))
    # A single-year table whose Total row holds 2049: a data row, never a header.
    assert (germany.country, germany.orientation, germany.years) == ("Germany", "by-supplier", (2024,))
    assert germany.deliveries.set_index("recipient")["tiv"].to_dict() == {"Ukraine": 1200, "Egypt": 849, "Andorra": 0}
    assert germany.totals["tiv"].tolist() == [2049]
    # Named only by its "Total imports of Iran" row; rows are suppliers.
    assert (iran.country, iran.orientation, iran.years) == ("Iran", "by-recipient", (2023, 2024))
    assert set(iran.deliveries["supplier"]) == {"Russia", "China", "Turkey"}  # Türkiye, one spelling
    assert str(iran.generated) == "2025-04-24"
    tidy = sipri_tiv.tidy_all([germany, iran])
    assert len(tidy) == 7 and set(tidy["vintage"]) == {"2025"}


def test_transfers_export_sums_deliveries_and_keeps_estimates(fixture_path):
    parsed = transfers.read_transfers(fixture_path("transfers_2025.csv"))
    assert str(parsed.generated) == "2025-01-03" and parsed.scope == "from All countries to All countries"
    assert len(parsed.deliveries) == 6 and parsed.undelivered == 1  # an order with nothing delivered yet
    tidy = transfers.tidy(parsed).set_index(["supplier", "recipient", "year"])["tiv"]
    assert tidy[("China", "Iran", 2024)] == 17  # 4 + 13, two deals in one year
    assert tidy[("United States", "UAE", 2024)] == 31
    assert ("Germany", "Turkey", 2024) not in tidy.index  # no TIV value: left out, and reported
    report = transfers.estimate_report(parsed).set_index(["supplier", "recipient", "year"])
    assert report.loc[("China", "Iran", 2023), "tiv_estimated"] == 8  # order date and number estimated
    assert report.loc[("Russia", "Iran", 2023), "tiv_estimated"] == 0
    assert report.loc[("Germany", "Turkey", 2024), "unvalued_deliveries"] == 1


def test_register_without_preamble(fixture_path):
    register = registers.read_register(fixture_path("register_2026_no_preamble.csv"), "2026")
    assert register.layout == "2026" and register.generated is None
    assert set(register.deals["delivered_scope"]) == {"unstated"}
    assert register.deals.set_index("designation").loc["C-802", "number_delivered"] == 260


def test_country_spellings_are_one_and_predecessors_stay_apart():
    assert {canonical_country(n) for n in ("Turkey", "Turkiye", "Türkiye")} == {"Turkey"}
    assert canonical_country("Czech Republic") == canonical_country("Czechia") == "Czechia"
    assert canonical_country("Macedonia (FYROM)") == "North Macedonia"
    assert canonical_country("United Arab Emirates") == "UAE"
    assert canonical_country("Soviet Union") == "Soviet Union" and successor("Soviet Union") == "Russia"
    assert canonical_country("Germany (FRG)") == "Germany (FRG)" and successor("Germany (FRG)") == "Germany"


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"vintage": 2016}, {"vintage": "2016"}),
        ({"suppliers": ["Russia", "United States"]}, {"suppliers": ("Russia", "United States")}),
        ({"suppliers": '["Russia","United States"]'}, {"suppliers": ("Russia", "United States")}),
        ({"suppliers": "Russia, United States"}, {"suppliers": ("Russia", "United States")}),
        ({"window": "3", "break_year": 2009}, {"window": 3, "break_year": 2009}),
    ],
)
def test_parameters_survive_papermill(values, expected):
    params = TrendParameters.from_values(**values)
    assert {k: getattr(params, k) for k in expected} == expected


@pytest.mark.parametrize(
    "values, message",
    [
        ({"suppliers": 5}, "suppliers=5"),
        ({"suppliers": "[broken"}, "not a JSON list"),
        ({"window": "three"}, "window='three': must be a whole number"),
        ({"vintage": None}, "vintage=None"),
        ({"colour": "red"}, "unknown parameter"),
    ],
)
def test_each_bad_parameter_gets_one_clear_message(values, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[")):
        TrendParameters.from_values(**values)


def test_tidy_tables_from_every_format_have_the_same_columns(fixture_path):
    frames = [
        sipri_tiv.tidy_all(sipri_tiv.read_tiv_tables(fixture_path("volume_2025_two_tables.csv"))),
        sipri_tiv.tidy(sipri_tiv.read_tiv_table(fixture_path("tiv_2016_importer.csv"))),
        transfers.tidy(transfers.read_transfers(fixture_path("transfers_2025.csv"))),
    ]
    assert all(list(f.columns) == sipri_tiv.TIDY_COLUMNS for f in frames)
    assert all(pd.api.types.is_float_dtype(f["tiv"]) for f in frames)


@pytest.mark.slow
def test_papermill_with_a_numeric_vintage_and_a_json_supplier_list(tmp_path):
    import papermill

    from sinoiran.book.sensitivity import CHAPTER, glued_results

    output = tmp_path / "trends.ipynb"
    papermill.execute_notebook(
        str(CHAPTER),
        str(output),
        parameters={"vintage": 2016, "window": "3", "suppliers": '["China", "Russia"]'},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(CHAPTER.parent),
        log_output=False,
    )
    results = glued_results(output)
    assert results["vintage"] == "2016" and results["window"] == 3 and results["suppliers"] == "China/Russia"
