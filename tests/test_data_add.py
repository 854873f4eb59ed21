"""Bring your own SIPRI data: ``data add`` works from a plain clone, keeps the export, merges all or nothing.

The exports added are real (cut from real downloads, ``tests/fixtures/real/SOURCES.toml``): the 2016
importer table of Egypt, a recipient ``data/`` does not hold in that release, and every delivery to
Myanmar from the 2023 interim site's all-pairs transfers export (the release of 2022, which ``data/``
holds for Iran and its neighbours only). None of these tests needs ``../shared``, except the one that
rebuilds everything from the raw exports and compares.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from sinoiran.base.errors import InputError, UsageError
from sinoiran.data.add import add_export

from conftest import REAL, SHARED_SOURCES, needs_sources

EGYPT = REAL / "tiv_2016_importer_egypt.csv"
MYANMAR = REAL / "transfers_2022rel_myanmar.txt"
#: Every delivery to Venezuela from the 2025 all-pairs export, which data/ already holds whole.
VENEZUELA_2025 = REAL / "transfers_2025rel_venezuela.csv"


def glued_texts(notebook: Path) -> dict[str, str]:
    """The text values an executed chapter glued, by name."""
    import ast

    found = {}
    for cell in json.loads(notebook.read_text())["cells"]:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            text = out.get("data", {}).get("application/papermill.record/text/plain")
            if name and text and text.startswith(("'", '"')):
                found[name] = ast.literal_eval(text)
    return found


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_importer_table_is_added_to_its_release_and_kept_in_the_repository(data_copy):
    lines = add_export(EGYPT, out_dir=data_copy)
    assert "release 2016" in "\n".join(lines) and "after SIPRI's March 2016 update" in "\n".join(lines)
    assert (data_copy / "added" / EGYPT.name).read_bytes() == EGYPT.read_bytes()
    manifest = tomllib.loads((data_copy / "sources.toml").read_text())
    entry = manifest["exports"][-1]
    assert (entry["path"], entry["stored"], entry["vintage"], entry["format"]) == (
        f"added/{EGYPT.name}",
        "data",
        "2016",
        "sipri-tiv",
    )
    package = json.loads((data_copy / "datapackage.json").read_text())
    assert "Egypt" in package["complete_recipients"]["2016"]
    tiv = pd.read_csv(data_copy / "sipri_tiv.csv")
    cells = tiv[(tiv.vintage.astype(str) == "2016") & (tiv.recipient == "Egypt")].set_index(["supplier", "year"])["tiv"]
    assert cells[("China", 1980)] == 270 and len(cells) == 319
    sources = next(r for r in package["resources"] if r["name"] == "sipri_tiv")["sources"]
    assert sources[-1]["path"] == f"data/added/{EGYPT.name}" and len(sources[-1]["sha256"]) == 64
    check = subprocess.run(
        [sys.executable, "-m", "sinoiran", "data", "check", "--data", str(data_copy)],
        capture_output=True,
        text=True,
        env={**os.environ, "SINOIRAN_DATA": str(data_copy)},
    )
    assert check.returncode == 0, check.stderr


def test_a_transfers_export_widens_its_release_and_names_go_through_the_alias_table(data_copy):
    lines = add_export(MYANMAR, out_dir=data_copy, recipients=["Burma"])
    said = "\n".join(lines)
    assert "release 2022" in said and "generated 11 Mar 2023, in the month of SIPRI's update" in said
    assert "complete in 2022: Myanmar" in said
    manifest = tomllib.loads((data_copy / "sources.toml").read_text())
    assert manifest["exports"][-1]["keep"] == [{"recipients": ["Myanmar"]}]
    package = json.loads((data_copy / "datapackage.json").read_text())
    assert package["coverage"]["2022"][-1] == {
        "suppliers": "all",
        "recipients": ["Myanmar"],
        "first": 2011,
        "last": 2021,
    }
    assert "Myanmar" in package["complete_recipients"]["2022"] and "Iran" not in package["complete_recipients"]["2022"]
    tiv = pd.read_csv(data_copy / "sipri_tiv.csv")
    china = tiv[(tiv.vintage.astype(str) == "2022") & (tiv.supplier == "China") & (tiv.recipient == "Myanmar")]
    assert china.set_index("year")["tiv"][2011] == pytest.approx(277, abs=0.5)


def test_an_export_whose_rows_data_already_holds_is_refused_whole(data_copy):
    before = snapshot(data_copy)
    with pytest.raises(InputError, match="duplicate key"):
        add_export(VENEZUELA_2025, out_dir=data_copy, recipients=["Venezuela"])
    assert snapshot(data_copy) == before


def test_names_that_match_nothing_are_refused_with_suggestions(data_copy):
    before = snapshot(data_copy)
    with pytest.raises(UsageError, match="unknown recipient 'Myanmr' in .*closest: Myanmar"):
        add_export(MYANMAR, out_dir=data_copy, recipients=["Myanmr"])
    with pytest.raises(InputError, match="keep no row"):  # both names are in the file, but no China-Fiji row
        add_export(REAL / "transfers_2025rel_all_pairs.csv", out_dir=data_copy, recipients=["Fiji"], suppliers=["PRC"])
    assert snapshot(data_copy) == before


def test_a_label_against_what_the_file_says_is_refused_unless_accepted(data_copy):
    with pytest.raises(UsageError, match=r"--vintage 2023 does not fit .*11 Mar 2023, in the month of SIPRI's update"):
        add_export(MYANMAR, "2023", out_dir=data_copy)
    add_export(MYANMAR, "2023-interim", out_dir=data_copy, accept_label=True)
    manifest = tomllib.loads((data_copy / "sources.toml").read_text())
    assert manifest["exports"][-1]["accept_label"] is True and "2023-interim" in manifest["vintages"]


def test_a_failed_add_leaves_data_untouched(data_copy, tmp_path):
    before = snapshot(data_copy)
    # Iran's 2016 importer table again: its rows are already in data/, so the merged table has duplicate keys.
    again = tmp_path / "TIV-Import-IRA-again.csv"
    shutil.copyfile(REAL / "tiv_2016_importer_iran.csv", again)
    with pytest.raises(InputError, match="duplicate key"):
        add_export(again, out_dir=data_copy)
    with pytest.raises(InputError, match="data add takes"):
        add_export(REAL / "aggregate_2024_imports.csv", out_dir=data_copy)
    assert snapshot(data_copy) == before


@needs_sources
@pytest.mark.slow
def test_data_build_from_the_raw_folder_reproduces_the_added_tables(data_copy, tmp_path):
    add_export(EGYPT, out_dir=data_copy)
    add_export(MYANMAR, out_dir=data_copy, recipients=["Myanmar"])
    rebuilt = tmp_path / "rebuilt"
    result = subprocess.run(
        [sys.executable, "-m", "sinoiran", "data", "build", "--sources", str(SHARED_SOURCES), "--output", str(rebuilt)],
        capture_output=True,
        text=True,
        env={**os.environ, "SINOIRAN_DATA": str(data_copy)},
    )
    assert result.returncode == 0, result.stderr
    names = sorted(str(p.relative_to(data_copy)) for p in data_copy.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(data_copy, rebuilt, names, shallow=False)
    assert mismatch == [] and errors == []


@pytest.mark.slow
def test_the_readme_journey_in_a_fresh_clone_with_nothing_beside_it(tmp_path):
    """Add an importer table and a transfers export, then rerun the trends and own-country chapters for them,
    with names as people type them, in a copy of the repository with no ../shared beside it."""
    from sinoiran.make.grid import glued_results

    from workspace import copy_env, copy_project

    clone = copy_project(tmp_path / "clone" / "project")
    assert not (clone.parent / "shared").exists()
    env = copy_env(clone)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(args, cwd=clone, env=env, capture_output=True, text=True)

    for command in (
        [sys.executable, "-m", "sinoiran", "data", "add", str(EGYPT)],
        [sys.executable, "-m", "sinoiran", "data", "add", str(MYANMAR), "--recipients", "Burma"],
    ):
        added = run(*command)
        assert added.returncode == 0, added.stderr
    trends_out, own_out = tmp_path / "egypt.ipynb", tmp_path / "myanmar.ipynb"
    papermill = [sys.executable, "-m", "papermill", "--cwd", "chapters", "--no-progress-bar"]
    egypt = run(
        *papermill,
        "chapters/trends.ipynb",
        str(trends_out),
        *("-p", "vintage", "2016", "-p", "recipient", "Egypt", "-p", "suppliers", "USA, Russian Federation"),
        *("-p", "start_year", "1992", "-p", "end_year", "2015", "-p", "break_year", "2011"),
    )
    assert egypt.returncode == 0, egypt.stderr[-3000:]
    results = glued_results(trends_out)
    assert (results["recipient"], results["suppliers"], results["denominator"]) == (
        "Egypt",
        "United States/Russia",
        "all suppliers",
    )
    myanmar = run(
        *papermill,
        "chapters/own_country.ipynb",
        str(own_out),
        *("-p", "vintage", "2022", "-p", "recipient", "Burma", "-p", "suppliers", "Russian Federation, PRC"),
        *("-p", "start_year", "2011", "-p", "end_year", "2021", "-p", "break_year", "2016"),
    )
    assert myanmar.returncode == 0, myanmar.stderr[-3000:]
    glued = glued_texts(own_out)
    assert (glued["recipient_name"], glued["leader_name"], glued["follower_name"]) == ("Myanmar", "Russia", "China")
    # A misspelt name gets one line with the closest names, not an authoring message.
    wrong = run(
        *papermill,
        "chapters/trends.ipynb",
        str(tmp_path / "wrong.ipynb"),
        *("-p", "vintage", "2016", "-p", "suppliers", "Chna, Russia"),
    )
    assert wrong.returncode != 0 and "unknown supplier 'Chna' in vintage 2016; closest: China" in wrong.stderr
    assert "glue_number" not in wrong.stderr
