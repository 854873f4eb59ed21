"""Bad input stops with a clear error that names the file, and the column and row where known.

One test per kind of damage; each writes a small broken file and checks the
message, so that a reader of the error can go straight to the problem.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sinoiran import cli
from sinoiran.base.errors import InputError
from sinoiran.data import tables
from sinoiran.readers import formats, mirror, registers, sipri_tiv, transfers

GOOD = (
    '"TIV of arms exports to Iran, 2005-2007"\n'
    "Generated: 24 July 2016\n"
    ",,2005,2006,2007,Total\n"
    ",China,43,54,47,144\n"
    ",Russia,15,368,283,666\n"
    ",Total,58,422,330,810\n"
)


def write(tmp_path: Path, text: str, name: str = "table.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def expect(path: Path, *, column: str | None = None, row: int | None = None, match: str):
    """Context manager: InputError whose message names path (and column/row)."""

    class _Check:
        def __enter__(self):
            self.ctx = pytest.raises(InputError, match=match)
            self.info = self.ctx.__enter__()
            return self.info

        def __exit__(self, *exc):
            handled = self.ctx.__exit__(*exc)
            err = self.info.value
            assert path.name in str(err)
            if column is not None:
                assert err.column == column and f"column {column!r}" in str(err)
            if row is not None:
                assert err.row == row and f"row {row}" in str(err)
            return handled

    return _Check()


def test_good_table_parses(tmp_path):
    assert len(sipri_tiv.read_tiv_table(write(tmp_path, GOOD)).deliveries) == 6


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.csv"
    with expect(path, match="file not found"):
        sipri_tiv.read_tiv_table(path)


def test_empty_file(tmp_path):
    path = write(tmp_path, "\n \n")
    with expect(path, match="file is empty"):
        sipri_tiv.read_tiv_table(path)


def test_non_numeric_tiv(tmp_path):
    path = write(tmp_path, GOOD.replace(",Russia,15,368", ",Russia,15,n/a"))
    with expect(path, column="2006", row=5, match="non-numeric TIV 'n/a'"):
        sipri_tiv.read_tiv_table(path)


def test_negative_tiv(tmp_path):
    path = write(tmp_path, GOOD.replace(",China,43,54,47", ",China,43,-54,47"))
    with expect(path, column="2006", row=4, match="negative TIV '-54'"):
        sipri_tiv.read_tiv_table(path)


def test_duplicate_key(tmp_path):
    path = write(tmp_path, GOOD.replace(",Total,58", ",China,1,2,3,6\n,Total,58"))
    with expect(path, row=6, match="duplicate key: 'China' already listed at row 4"):
        sipri_tiv.read_tiv_table(path)


def test_table_without_generation_date(tmp_path):
    path = write(tmp_path, GOOD.replace("Generated: 24 July 2016\n", ""))
    with expect(path, match="no generation date"):
        sipri_tiv.read_tiv_table(path)


def test_truncated_row(tmp_path):
    path = write(tmp_path, GOOD.replace(",Russia,15,368,283,666", ",Russia,15"))
    with expect(path, column="Russia", row=5, match="truncated row"):
        sipri_tiv.read_tiv_table(path)


def test_year_outside_the_tables_range(tmp_path):
    path = write(tmp_path, GOOD.replace(",,2005,2006,2007,Total", ",,2005,2006,2017,Total"))
    with expect(path, column="2017", row=3, match="outside the table's range 2005-2007"):
        sipri_tiv.read_tiv_table(path)


def test_no_year_header(tmp_path):
    path = write(tmp_path, "just,some,text\n1,2,3\n")
    with expect(path, match="no header row with year columns"):
        sipri_tiv.read_tiv_table(path)


def test_country_cannot_be_identified(tmp_path):
    text = "Data generated: 14 Jul 2026\nRecipient,2010,2011\nIran,1,2\n"
    path = write(tmp_path, text)
    # A 'Recipient' column says the table is by supplier, but no row names the supplier.
    with expect(path, match="cannot tell which country"):
        sipri_tiv.read_tiv_table(path)


def test_register_missing_column(tmp_path, real):
    text = real("register_2024.csv").read_text(encoding="cp1252").replace("Weapon designation", "Designation?")
    path = write(tmp_path, text, "register.csv")
    with expect(path, row=1, match="missing column 'Weapon designation'"):
        registers.read_register(path, "2024")


def test_register_truncated_row_inside_the_subset(tmp_path, real):
    lines = real("register_2024.csv").read_text(encoding="cp1252").splitlines()
    lines[2] = ",".join(lines[2].split(",")[:5])  # the 9M338 deal for Iran, cut after five cells
    path = write(tmp_path, "\n".join(lines) + "\n", "register.csv")
    with expect(path, row=3, match="truncated row"):
        registers.read_register(path, "2024", recipient="Iran")


def test_mirror_negative_tiv(tmp_path):
    path = write(tmp_path, json.dumps({"China": {"2005": {"Iran": [["1", "-3", "x", "y"]]}}}), "mirror.json")
    with expect(path, column="China/2005/Iran[0]", match="negative TIV"):
        mirror.read_mirror(path)


def test_unknown_vintage():
    with pytest.raises(ValueError, match="unknown vintage '1999'; known vintages: 2007, 2016"):
        tables.tiv_deliveries("1999")


def test_checksum_mismatch(data_copy):
    path = data_copy / "sipri_tiv.csv"
    path.write_text(path.read_text().replace("2016,China,Iran,2005,43.0", "2016,China,Iran,2005,430.0"))
    with expect(path, match="checksum mismatch"):
        tables.load_table("sipri_tiv", data_copy)


def _rehash(directory: Path, name: str) -> None:
    """Record a table's new sha256, as an editor who also 'fixed' the checksum would."""
    from sinoiran.base.hashing import sha256

    package_path = directory / "datapackage.json"
    package = json.loads(package_path.read_text())
    for resource in package["resources"]:
        if resource["name"] == name:
            resource["hash"] = "sha256:" + sha256(directory / resource["path"])
    package_path.write_text(json.dumps(package))


def test_schema_violation_names_column_and_line(data_copy):
    path = data_copy / "sipri_tiv.csv"
    lines = path.read_text().splitlines()
    line_no = next(i for i, line in enumerate(lines, 1) if line.startswith("2016,China,Iran,2005,"))
    lines[line_no - 1] = "2016,China,Iran,2005,-43.0"
    path.write_text("\n".join(lines) + "\n")
    _rehash(data_copy, "sipri_tiv")
    with expect(path, column="tiv", row=line_no, match="greater_than_or_equal_to"):
        tables.load_table("sipri_tiv", data_copy)


def test_duplicate_key_in_a_data_table(data_copy):
    path = data_copy / "dots_china_iran.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n")
    _rehash(data_copy, "dots_china_iran")
    with expect(path, match="duplicate key"):
        tables.load_table("dots_china_iran", data_copy)


def test_missing_column_in_a_data_table(data_copy):
    path = data_copy / "events.csv"
    lines = [",".join(line.split(",")[:-1]) for line in path.read_text().splitlines()]
    path.write_text("\n".join(lines) + "\n")
    _rehash(data_copy, "events")
    with expect(path, column="china_vote", match="missing column"):
        tables.load_table("events", data_copy)


def test_non_numeric_value_in_a_data_table(data_copy):
    path = data_copy / "sipri_tiv.csv"
    lines = path.read_text().splitlines()
    lines[1] = ",".join(lines[1].split(",")[:4] + ["lots"])
    path.write_text("\n".join(lines) + "\n")
    _rehash(data_copy, "sipri_tiv")
    with expect(path, column="tiv", row=2, match="not a number: 'lots'"):
        tables.load_table("sipri_tiv", data_copy)


def test_year_after_the_vintage_in_a_data_table(data_copy):
    path = data_copy / "sipri_tiv.csv"
    lines = path.read_text().splitlines()
    line_no = next(i for i, line in enumerate(lines, 1) if line.startswith("2007,"))
    fields = lines[line_no - 1].split(",")
    fields[3] = "2010"  # the 2007 release has data up to 2006 only
    lines[line_no - 1] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n")
    _rehash(data_copy, "sipri_tiv")
    with expect(path, row=line_no, match="last data year"):
        tables.load_table("sipri_tiv", data_copy)


# --- exports that are not country pairs, damaged exports, unknown files, bad output paths -------

VOLUME_PREAMBLE = "Volume of transfers of major arms\nSource: SIPRI Arms Transfers Database (c) SIPRI.\nData generated: 24 Apr 2025 7:48:48 PM\n\n"


def test_aggregate_exports_to_all_is_refused_as_what_it_is(tmp_path):
    path = write(
        tmp_path,
        '"TIV of arms exports to all, 2010-2011"\nGenerated: 28 July 2022\n,2010,2011,Total\nIndia,3000,3500,6500\nTotal,3000,3500,6500\n',
    )
    with expect(path, match="exports to all'\\): its rows are importing countries"):
        sipri_tiv.read_tiv_table(path)


def test_aggregate_exports_from_all_is_refused_as_what_it_is(tmp_path):
    path = write(
        tmp_path,
        '"TIV of arms exports from all, 2010-2011"\nGenerated: 28 July 2022\n,2010,2011,Total\nUnited States,9000,9500,18500\nTotal,9000,9500,18500\n',
    )
    with expect(path, match="its rows are exporting countries"):
        sipri_tiv.read_tiv_table(path)


def test_table_by_weapon_category_is_refused(tmp_path):
    path = write(
        tmp_path,
        VOLUME_PREAMBLE
        + "Recipient,2024,2024-2024,Percentage\nAircraft,500,500,50%\nMissiles,300,300,30%\nShips,200,200,20%\nTotal exports from France,1000,1000,100%\n",
    )
    with expect(path, match="by weapon category \\(rows such as Aircraft, Missiles, Ships\\)"):
        sipri_tiv.read_tiv_table(path)


def test_a_data_row_whose_numbers_look_like_years_is_never_a_header(tmp_path):
    # A block cut without its header: "Total exports from Germany,2049,2050" must not become the header.
    path = write(tmp_path, VOLUME_PREAMBLE + "Ukraine,1200,1201,59%\nTotal exports from Germany,2049,2050,100%\n")
    with expect(path, match="no header row with year columns found"):
        sipri_tiv.read_tiv_tables(path)


def test_unexpected_line_after_the_last_volume_table(tmp_path):
    path = write(
        tmp_path,
        VOLUME_PREAMBLE
        + "Recipient,2024,Percentage\nEgypt,849,100%\nTotal exports from Germany,849,100%\nsomething else,1,2\n",
    )
    with expect(path, row=8, match="unexpected line after the last table"):
        sipri_tiv.read_tiv_tables(path)


TRANSFERS_HEADER = ",".join(transfers.HEADER)


def test_truncated_transfers_row(tmp_path):
    path = write(
        tmp_path,
        "Data generated: 3 Jan 2025 9:16:02 PM\n"
        + TRANSFERS_HEADER
        + "\n101,China,Iran,C-704,anti-ship missile,Missiles,2019,Yes,20\n",
    )
    with expect(path, row=3, match="truncated row: 9 cells where the header has 17"):
        transfers.read_transfers(path)


def test_transfers_flag_that_is_not_yes_or_no(tmp_path):
    row = "101,China,Iran,C-704,anti-ship missile,Missiles,2019,Maybe,20,No,2023,No,New,0.4,0.4,8,No"
    path = write(tmp_path, "Data generated: 3 Jan 2025 9:16:02 PM\n" + TRANSFERS_HEADER + "\n" + row + "\n")
    with expect(path, column="Order date is estimate", row=3, match="not a Yes/No flag: 'Maybe'"):
        transfers.read_transfers(path)


def test_transfers_export_missing_a_column(tmp_path):
    header = TRANSFERS_HEADER.replace(",Local production", "")
    path = write(tmp_path, "Data generated: 3 Jan 2025 9:16:02 PM\n" + header + "\n")
    with expect(path, column="Local production", match="missing column"):
        transfers.read_transfers(path)


def test_file_of_no_known_format_names_the_nearest_one(tmp_path):
    path = write(
        tmp_path,
        "Transfers of major conventional arms from China to Iran.\nDeal,Buyer,Seller,When\n1,Iran,China,2005\n",
    )
    with expect(path, match="not a complete SIPRI trade register.*line 2"):
        formats.detect(path)
    other = write(tmp_path, "a,b,c\n1,2,3\n", name="other.csv")
    with expect(other, match="not an export this package reads"):
        formats.detect(other)


@pytest.mark.parametrize("target", ["folder", "a-file/out.csv"])
def test_bad_output_paths_give_one_line_and_status_2(tmp_path, real, capsys, target):
    (tmp_path / "folder").mkdir()
    (tmp_path / "a-file").write_text("not a folder")
    code = cli.main(["ingest", str(real("tiv_2016_importer_iran.csv")), "--output", str(tmp_path / target)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: ")
    assert ("is a folder" if target == "folder" else "cannot create the folder") in err


def test_register_without_a_date_is_labelled_from_its_data_and_says_so(tmp_path, real, capsys):
    output = tmp_path / "r.csv"
    code = cli.main(["ingest", str(real("register_2026_china_no_preamble.csv")), "--output", str(output)])
    assert code == 0 and "prints no generation date" in capsys.readouterr().err
    assert set(pd.read_csv(output)["vintage"].astype(str)) == {"2016"}  # the cut's last delivery year is 2015
    code = cli.main(
        [
            "ingest",
            "sipri-register",
            str(real("register_2026_china_no_preamble.csv")),
            "--vintage",
            "2026",
            "--output",
            str(output),
        ]
    )
    assert code == 0 and set(pd.read_csv(output)["vintage"].astype(str)) == {"2026"}


def test_transfers_value_without_a_delivery_year(tmp_path):
    row = "101,China,Iran,C-704,anti-ship missile,Missiles,2019,No,20,No,,No,New,0.4,0.4,8,No"
    path = write(tmp_path, "Data generated: 3 Jan 2025 9:16:02 PM\n" + TRANSFERS_HEADER + "\n" + row + "\n")
    with expect(path, column="Delivery year", row=3, match="a delivery value without a delivery year"):
        transfers.read_transfers(path)


def test_damaged_rows_of_other_recipients_can_be_left_unread(tmp_path, real, capsys):
    register = str(real("register_2013.csv"))
    code = cli.main(["ingest", "sipri-register", register, "--vintage", "2013", "--output", str(tmp_path / "all.csv")])
    err = capsys.readouterr().err
    assert code == 2 and "unreadable delivery years '194 - 2008'" in err and err.count("\n") == 1
    assert "give --recipients" in err
    code = cli.main(
        [
            "ingest",
            "sipri-register",
            register,
            "--vintage",
            "2013",
            "--recipients",
            "Iran",
            "--output",
            str(tmp_path / "iran.csv"),
        ]
    )
    assert code == 0 and (tmp_path / "iran.csv").exists()
