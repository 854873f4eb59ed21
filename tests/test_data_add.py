"""Bring your own SIPRI data: ``data add`` works from a plain clone, keeps the export, merges all or nothing.

The exports added are real (cut from real downloads, ``tests/fixtures/real/SOURCES.toml``): the 2016
importer table of Egypt, a recipient ``data/`` does not hold, and every delivery to Venezuela from the
2025 release's all-pairs transfers export. None of these tests needs ``../shared``, except the one that
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
VENEZUELA = REAL / "transfers_2025rel_venezuela.csv"


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


def test_a_transfers_export_adds_a_release_and_names_go_through_the_alias_table(data_copy):
    lines = add_export(VENEZUELA, out_dir=data_copy, recipients=["Venezuela (Bolivarian Republic of)"])
    assert "release 2025" in "\n".join(lines) and "complete in 2025: Venezuela" in "\n".join(lines)
    manifest = tomllib.loads((data_copy / "sources.toml").read_text())
    assert manifest["vintages"]["2025"]["data_end"] == 2024 and manifest["vintages"]["2025"]["suppliers"] == "all"
    package = json.loads((data_copy / "datapackage.json").read_text())
    assert package["coverage"]["2025"] == [
        {"suppliers": "all", "recipients": ["Venezuela"], "first": 1995, "last": 2024}
    ]
    tiv = pd.read_csv(data_copy / "sipri_tiv.csv")
    russia = tiv[(tiv.vintage.astype(str) == "2025") & (tiv.supplier == "Russia") & (tiv.recipient == "Venezuela")]
    assert russia.set_index("year")["tiv"][2007] == pytest.approx(740, abs=0.5)


def test_names_that_match_nothing_are_refused_with_suggestions(data_copy):
    before = snapshot(data_copy)
    with pytest.raises(UsageError, match="unknown recipient 'Venezuala' in .*closest: Venezuela"):
        add_export(VENEZUELA, out_dir=data_copy, recipients=["Venezuala"])
    with pytest.raises(InputError, match="keep no row"):  # both names are in the file, but no China-Fiji row
        add_export(REAL / "transfers_2025rel_all_pairs.csv", out_dir=data_copy, recipients=["Fiji"], suppliers=["PRC"])
    assert snapshot(data_copy) == before


def test_a_label_against_what_the_file_says_is_refused_unless_accepted(data_copy):
    with pytest.raises(UsageError, match=r"--vintage 2026 does not fit .*12 Feb 2026, before SIPRI's March 2026"):
        add_export(VENEZUELA, "2026", out_dir=data_copy)
    add_export(VENEZUELA, "2026-feb", out_dir=data_copy, accept_label=True)
    manifest = tomllib.loads((data_copy / "sources.toml").read_text())
    assert manifest["exports"][-1]["accept_label"] is True and "2026-feb" in manifest["vintages"]


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
    add_export(VENEZUELA, out_dir=data_copy, recipients=["Venezuela"])
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
    from sinoiran.book.sensitivity import glued_results

    from workspace import copy_env, copy_project

    clone = copy_project(tmp_path / "clone" / "project")
    assert not (clone.parent / "shared").exists()
    env = copy_env(clone)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(args, cwd=clone, env=env, capture_output=True, text=True)

    for command in (
        [sys.executable, "-m", "sinoiran", "data", "add", str(EGYPT)],
        [sys.executable, "-m", "sinoiran", "data", "add", str(VENEZUELA), "--recipients", "Venezuela"],
    ):
        added = run(*command)
        assert added.returncode == 0, added.stderr
    trends_out, own_out = tmp_path / "egypt.ipynb", tmp_path / "venezuela.ipynb"
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
    venezuela = run(
        *papermill,
        "chapters/own_country.ipynb",
        str(own_out),
        *("-p", "vintage", "2025", "-p", "recipient", "Venezuela", "-p", "suppliers", "PRC, Russia"),
        *("-p", "start_year", "1995", "-p", "end_year", "2024", "-p", "break_year", "2014"),
    )
    assert venezuela.returncode == 0, venezuela.stderr[-3000:]
    glued = json.dumps(json.loads(own_out.read_text()))
    assert "Venezuela" in glued and "China" in glued
    # A misspelt name gets one line with the closest names, not an authoring message.
    wrong = run(
        *papermill,
        "chapters/trends.ipynb",
        str(tmp_path / "wrong.ipynb"),
        *("-p", "vintage", "2016", "-p", "suppliers", "Chna, Russia"),
    )
    assert wrong.returncode != 0 and "unknown supplier 'Chna' in vintage 2016; closest: China" in wrong.stderr
    assert "glue_number" not in wrong.stderr
