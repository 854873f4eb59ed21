"""Bring your own SIPRI data: `data add` registers an export and rebuilds data/, and the trends chapter runs on it.

Works on scratch copies of data/ and of the raw sources (the test skips where the
raw exports are absent, as in a user's clone).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from sinoiran.base.errors import InputError
from sinoiran.data.build import add_export
from sinoiran.data.sources import raw_sources

from conftest import FIXTURES, ROOT, SHARED_SOURCES, needs_sources

pytestmark = [needs_sources, pytest.mark.slow]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("add")
    shutil.copytree(SHARED_SOURCES, root / "sources")
    for path in (root / "sources").rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.copytree(ROOT / "data", root / "data")
    return root


def test_data_add_registers_a_new_release_and_rebuilds(workspace):
    before = (workspace / "data" / "sipri_tiv.csv").read_text()
    lines = add_export(
        FIXTURES / "tiv_2025_importer_egypt.csv", "2025", sources_dir=workspace / "sources", out_dir=workspace / "data"
    )
    assert "vintage 2025" in lines[0]
    manifest = tomllib.loads((workspace / "data" / "sources.toml").read_text())
    assert manifest["vintages"]["2025"]["data_end"] == 2024 and manifest["vintages"]["2025"]["suppliers"] == "all"
    added = [s for s in raw_sources(manifest) if s.vintage == "2025"]
    assert [s.relpath for s in added] == ["added/tiv_2025_importer_egypt.csv"]
    assert (workspace / "sources" / "added" / "tiv_2025_importer_egypt.csv").exists()
    after = (workspace / "data" / "sipri_tiv.csv").read_text()
    assert after.startswith(before.splitlines()[0]) and "2025,China,Egypt,2024,100.0" in after
    check = subprocess.run(
        [sys.executable, "-m", "sinoiran", "data", "check", "--data", str(workspace / "data")],
        capture_output=True,
        text=True,
        env={**os.environ, "SINOIRAN_DATA": str(workspace / "data")},
    )
    assert check.returncode == 0, check.stderr


def test_trends_chapter_runs_on_the_added_recipient_with_no_hand_edit(workspace):
    import papermill

    from sinoiran.book.sensitivity import CHAPTER, glued_results

    if "2025" not in (workspace / "data" / "sources.toml").read_text():
        add_export(
            FIXTURES / "tiv_2025_importer_egypt.csv",
            "2025",
            sources_dir=workspace / "sources",
            out_dir=workspace / "data",
        )
    output = workspace / "egypt.ipynb"
    os.environ["SINOIRAN_DATA"] = str(workspace / "data")  # the kernel inherits it
    try:
        papermill.execute_notebook(
            str(CHAPTER),
            str(output),
            kernel_name="python3",
            progress_bar=False,
            cwd=str(CHAPTER.parent),
            parameters={
                "vintage": 2025,
                "recipient": "Egypt",
                "start_year": 2000,
                "end_year": 2024,
                "break_year": 2012,
                "suppliers": "China, Russia",
            },
        )
    finally:
        del os.environ["SINOIRAN_DATA"]
    results = glued_results(output)
    assert results["recipient"] == "Egypt" and results["denominator"] == "all suppliers"
    assert results["overtaking_year"] == 2020  # China's fitted share passes Russia's in the hand-built table


def test_a_failed_add_leaves_data_untouched(workspace, tmp_path):
    before = {p.name: p.read_bytes() for p in (workspace / "data").iterdir() if p.is_file()}
    wrong = tmp_path / "wrong.csv"
    wrong.write_text((FIXTURES / "tiv_2025_importer_egypt.csv").read_text().replace("17 March 2025", "17 March 2019"))
    with pytest.raises(InputError, match="does not fit the vintage label"):
        add_export(wrong, "2031", sources_dir=workspace / "sources", out_dir=workspace / "data")
    transfers = FIXTURES / "transfers_2025.csv"
    with pytest.raises(InputError, match="name the recipients to keep"):
        add_export(transfers, "2025", sources_dir=workspace / "sources", out_dir=workspace / "data")
    # The file passes the checks up front but the rebuild refuses it (generated in 2025, labelled 2016):
    # the rebuild runs on a scratch copy, so data/ and its manifest stay as they were.
    mislabelled = tmp_path / "egypt_as_2016.csv"
    shutil.copyfile(FIXTURES / "tiv_2025_importer_egypt.csv", mislabelled)
    with pytest.raises(
        InputError, match="rebuild with this export failed, data/ left unchanged: .*expected vintage 2016"
    ):
        add_export(mislabelled, "2016", sources_dir=workspace / "sources", out_dir=workspace / "data")
    after = {p.name: p.read_bytes() for p in (workspace / "data").iterdir() if p.is_file()}
    assert after == before
