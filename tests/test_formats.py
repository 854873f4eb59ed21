"""Every SIPRI export in use is recognised from what it says about itself and read as what it is.

The fixtures are cut from real exports, bytes unchanged (``tests/fixtures/real/SOURCES.toml`` names each
file's origin; ``tests/test_real_exports.py`` checks the cuts). Each expected value below was read off
the raw file by hand.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from sinoiran.analysis.trends import TrendParameters
from sinoiran.base.errors import InputError
from sinoiran.base.names import UnknownName, actor_kind, canonical_country, resolve, successor
from sinoiran.base.releases import suggest_release
from sinoiran.readers import formats, transfers


@pytest.mark.parametrize(
    "name, expected",
    [
        ("tiv_2007_exporter_china.csv", "sipri-tiv"),
        ("tiv_2016_importer_iran.csv", "sipri-tiv"),
        ("tiv_2016_importer_egypt.csv", "sipri-tiv"),
        ("tiv_2022_exporter_usa.csv", "sipri-tiv"),
        ("volume_2026_china.csv", "sipri-tiv"),
        ("aggregate_2024_imports.csv", "sipri-aggregate"),
        ("aggregate_2024_exports_by.csv", "sipri-aggregate"),
        ("register_2013.csv", "sipri-register"),
        ("register_2024.csv", "sipri-register"),
        ("register_2026_china.csv", "sipri-register"),
        ("register_2026_china_no_preamble.csv", "sipri-register"),
        ("transfers_2025rel_all_pairs.csv", "sipri-transfers"),
        ("transfers_2023_interim.txt", "sipri-transfers"),
        ("mirror_2026.json", "mirror-json"),
    ],
)
def test_each_real_export_is_recognised_from_its_own_header(real, name, expected):
    assert formats.detect(real(name)).format == expected


def test_current_site_transfers_export_keeps_sipri_estimate_as_a_number(real):
    parsed = transfers.read_transfers(real("transfers_2025rel_all_pairs.csv"))
    assert parsed.layout == "current site" and parsed.generated == dt.date(2026, 2, 12)
    assert parsed.scope == "from All countries to All countries" and parsed.all_suppliers
    rows = parsed.deliveries
    assert len(rows) == 19  # the CRLF line ends and the ';' ending every line are gone
    # 'SIPRI estimate' is the unit TIV of the weapon as new; 'TIV deal unit' is lower for second-hand weapons.
    tanks = rows[rows["designation"] == "T-72M1"].iloc[0]
    assert (tanks.unit_tiv_new, tanks.unit_tiv_deal, bool(tanks.second_hand)) == (2.6, 1.04, True)
    qw11 = rows[(rows["designation"] == "QW-11") & (rows["year"] == 2006)].iloc[0]
    assert (qw11.unit_tiv_new, qw11.unit_tiv_deal, qw11.tiv, bool(qw11.second_hand)) == (0.08, 0.08, 8.0, False)
    assert bool(qw11.order_date_estimated) and not bool(qw11.year_estimated)
    # Empty '... is estimate' flags are unknown, never "no".
    fiji = rows[rows["recipient"] == "Fiji"].iloc[0]
    assert pd.isna(fiji.order_date_estimated) and pd.isna(fiji.numbers_estimated) and pd.isna(fiji.year_estimated)
    # Non-state recipients are kept as SIPRI names them.
    assert {"African Union**", "Hezbollah (Lebanon)*"} <= set(rows["recipient"])
    tidy = transfers.tidy(parsed, "2025").set_index(["supplier", "recipient", "year"])["tiv"]
    assert tidy[("China", "Iran", 2010)] == 18  # QW-11 8 + C-704 10, two deals in one year
    assert tidy[("Zimbabwe", "Czechia", 2001)] == 4  # the last line, which has no line end


def test_interim_site_transfers_export_semicolons_seller_buyer_and_footer(real):
    parsed = transfers.read_transfers(real("transfers_2023_interim.txt"))
    assert parsed.layout == "2023 interim site" and parsed.generated == dt.date(2023, 3, 11)
    assert parsed.requested == (2011, 2021) and parsed.all_suppliers
    assert len(parsed.deliveries) == 11  # the copyright footer is not a row
    tidy = transfers.tidy(parsed, "2022").set_index(["supplier", "recipient", "year"])["tiv"]
    assert tidy[("China", "Iran", 2011)] == 36  # C-704 15 + Type-86 3 + C-802 18
    assert tidy[("China", "Iran", 2012)] == 6.5  # C-801 4.5 + QW-11 2


def test_releases_are_labelled_by_sipris_update_not_the_download_date(real):
    assert formats.read(real("transfers_2025rel_all_pairs.csv")).release.label == "2025"  # 12 Feb 2026
    assert formats.read(real("transfers_2023_interim.txt")).release.label == "2022"  # 11 Mar 2023, data to 2021
    assert formats.read(real("volume_2026_china.csv")).release.label == "2026"  # 14 Jul 2026
    assert formats.read(real("aggregate_2024_imports.csv")).release.label == "2024"  # its 2024 column is empty
    undated = formats.read(real("register_2026_china_no_preamble.csv")).release
    assert undated.inferred and "no generation date" in undated.reason
    assert suggest_release(dt.date(2025, 3, 20), 2024).label == "2025"
    assert suggest_release(dt.date(2025, 3, 2), 2023).label == "2024"


def test_aggregates_are_read_as_totals_never_as_pairs(real):
    imports = formats.read(real("aggregate_2024_imports.csv"))
    totals = imports.frames["aggregates"].set_index(["country", "year"])["tiv"]
    assert set(imports.frames) == {"aggregates"} and set(imports.frames["aggregates"]["flow"]) == {"imports"}
    assert totals[("Iran", 1950)] == 4 and totals[("Iran", 1952)] == 0  # SIPRI's '0 ' with a space
    assert totals[("World", 1950)] == 8130
    assert ("Iran", 2024) not in totals.index  # the year not yet covered is empty
    exports = formats.read(real("aggregate_2024_exports_by.csv")).frames["aggregates"]
    assert set(exports["flow"]) == {"exports"}
    assert {"United States", "Soviet Union", "Russia", "China", "unknown supplier(s)", "World"} == set(
        exports["country"]
    )


def test_volume_table_by_supplier_drops_range_and_percentage_columns(real):
    export = formats.read(real("volume_2026_china.csv"))
    cells = export.frames["deliveries"].set_index(["recipient", "year"])["tiv"]
    assert cells[("Iran", 2005)] == 38 and cells[("Pakistan", 2009)] == 748
    assert export.frames["deliveries"]["tiv"].max() < 2000  # the 14,103 of '2000-2025' did not leak in
    assert export.frames["totals"].set_index("year")["tiv"][2000] == 309
    assert export.complete == frozenset()  # a by-supplier table completes no recipient


def test_register_without_preamble(real):
    export = formats.read(real("register_2026_china_no_preamble.csv"))
    deals = export.frames["deals"].set_index("designation")
    assert export.generated is None and set(deals["delivered_scope"]) == {"unstated"}
    assert deals.loc["C-802", "number_delivered"] == 260


def test_country_spellings_are_one_and_predecessors_stay_apart():
    assert {canonical_country(n) for n in ("Turkey", "Turkiye", "Türkiye")} == {"Turkey"}
    assert canonical_country("Czech Republic") == canonical_country("Czechia") == "Czechia"
    assert canonical_country("Macedonia (FYROM)") == "North Macedonia"
    assert canonical_country("United Arab Emirates") == "UAE"
    assert canonical_country("Soviet Union") == "Soviet Union" and successor("Soviet Union") == "Russia"
    assert canonical_country("Germany (FRG)") == "Germany (FRG)" and successor("Germany (FRG)") == "Germany"


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("USA", "United States"),
        ("US", "United States"),
        ("u.s.a.", "United States"),
        ("United States of America", "United States"),
        ("Turkiye", "Turkey"),
        ("Türkiye", "Turkey"),
        ("UAE", "UAE"),
        ("United Arab Emirates", "UAE"),
        ("Russian Federation", "Russia"),
        ("PRC", "China"),
        ("china", "China"),
        ("Cote d'Ivoire", "Côte d'Ivoire"),
    ],
)
def test_names_people_type_resolve_to_the_datas_spelling(typed, expected):
    held = ["United States", "Turkey", "UAE", "Russia", "China", "Chad", "Côte d'Ivoire", "PRC (Israel/Palestine)*"]
    assert resolve(typed, held) == expected


def test_a_party_is_found_by_the_name_people_type():
    """SIPRI marks non-state parties with '*' and their country: 'Hezbollah' is 'Hezbollah (Lebanon)*', 'NATO' is
    'NATO**'; a name two parties share is not guessed, and a state's name is not a party's."""
    held = ["Lebanon", "Hezbollah (Lebanon)*", "NATO**", "LTTE (Sri Lanka)*", "Houthi rebels (Yemen)*"]
    assert resolve("Hezbollah", held) == "Hezbollah (Lebanon)*" and resolve("nato", held) == "NATO**"
    assert resolve("Lebanon", held) == "Lebanon"
    with pytest.raises(UnknownName, match="closest"):
        resolve("rebels", ["Syria rebels*", "Darfur rebels (Sudan)*"])


def test_an_unknown_name_is_refused_with_the_closest_names():
    held = ["China", "Chad", "Chile", "Russia", "South Korea", "North Korea"]
    with pytest.raises(UnknownName, match=r"unknown supplier 'Chna' in release 2016; closest: China, Chad"):
        resolve("Chna", held, what="supplier", where="in release 2016")
    with pytest.raises(UnknownName, match="closest: South Korea, North Korea"):
        resolve("Korea", held)


def test_a_known_name_the_data_lack_is_named_as_what_it_is():
    """'Turkiye' is a name the project knows (Turkey): when a file does not hold it, say so and list what the
    file holds, rather than suggesting spellings of something else."""
    with pytest.raises(
        UnknownName,
        match=r"recipient 'Turkiye' is Turkey, which is not among the 2 recipients in x\.csv \(Greece, Iran\)",
    ):
        resolve("Turkiye", ["Greece", "Iran"], what="recipient", where="in x.csv")
    with pytest.raises(UnknownName, match=r"unknown recipient 'Iran' in x\.csv; 1 name held: Afghanistan"):
        resolve("Iran", ["Afghanistan"], what="recipient", where="in x.csv")


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


def test_tidy_tables_from_every_format_have_the_same_columns(real):
    frames = [
        formats.read(real(name)).frames["deliveries"]
        for name in ("volume_2026_china.csv", "tiv_2016_importer_iran.csv", "transfers_2025rel_all_pairs.csv")
    ]
    assert all(list(f.columns) == ["supplier", "recipient", "year", "tiv"] for f in frames)
    assert all(pd.api.types.is_float_dtype(f["tiv"]) for f in frames)


@pytest.mark.slow
def test_papermill_with_a_numeric_vintage_and_a_json_supplier_list(tmp_path):
    import papermill

    from sinoiran.make.grid import CHAPTER, glued_results

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


# --- layouts met in real downloads people committed (read from a public code index) --------------


def test_a_file_of_many_volume_tables_skips_empty_tables_and_dates_an_undated_first_one(real):
    start = formats.read(real("volume_2024_many_tables_start.csv"))
    assert start.notes == ["the first table prints no date; dated 10 Oct 2024 from the next table's"]
    cells = start.frames["deliveries"].set_index(["supplier", "recipient", "year"])["tiv"]
    assert cells[("United Kingdom", "United States", 1950)] == 329  # by recipient: 'Total exports to United States'
    end = formats.read(real("volume_2024_many_tables_end.csv"))
    assert "2 table(s) with a header and no rows skipped (line 53, 113)" in end.notes[-1]
    recipients = set(end.frames["deliveries"]["recipient"])
    assert {"Yugoslavia", "Zambia", "ZAPU (Zimbabwe)*", "Zimbabwe"} == recipients
    assert end.complete == frozenset(recipients)  # importer tables: every supplier of each recipient


def test_a_register_saved_without_its_flag_columns_leaves_the_flags_unknown(real):
    deals = formats.read(real("register_no_flag_columns.csv")).frames["deals"]
    assert deals["order_year_uncertain"].isna().all() and deals["number_delivered_uncertain"].isna().all()
    first = deals.iloc[0]
    assert (first.designation, first.number_ordered, first.tiv_delivered) == ("Mi-24V/Mi-35", 4, 13.6)


def test_a_register_a_spreadsheet_padded_with_semicolons(real):
    deals = formats.read(real("register_2025_excel_semicolons.csv")).frames["deals"].set_index("designation")
    assert deals.loc["C-802"].delivery_years == "2000;2001;2002" and deals.loc["C-802"].tiv_delivered == 22.5


def test_a_one_supplier_transfers_export_holds_that_suppliers_pairs_only(real):
    export = formats.read(real("transfers_2025_from_usa.csv"))
    (held,) = export.holds
    assert (held.suppliers, held.recipients, held.first, held.last) == (frozenset({"United States"}), None, 1950, 2024)
    assert export.complete == frozenset()


@pytest.mark.parametrize(
    "name, says",
    [
        ("register_rtf.txt", "an RTF (rich text) document"),
        ("regional_2024.csv", "deliveries to world regions"),
        ("api_deals_cr_only.csv", "coded deal list ('buyercod,sellercod"),
        ("backend_dump.csv", "a dump of the SIPRI site's internal records"),
        ("tiv_2023_all_by_category.csv", "by weapon category"),
    ],
)
def test_files_that_are_not_country_pairs_are_refused_for_what_they_are(real, name, says):
    with pytest.raises(InputError, match=re.escape(says)):
        formats.read(real(name))


def test_old_site_aggregates_to_all_are_totals_with_non_state_rows(real):
    totals = formats.read(real("tiv_2023_to_all_start.csv")).frames["aggregates"]
    assert {"Amal (Lebanon)*", "African Union**"} <= set(totals["country"])
    assert (
        actor_kind("Amal (Lebanon)*") == "non-state actor"
        and actor_kind("African Union**") == "international organisation"
    )
