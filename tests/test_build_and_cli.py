"""The data build, the data check and the command line."""

from __future__ import annotations

import contextlib
import filecmp
import io
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from sinoiran import cli
from sinoiran.data import tables
from sinoiran.data.schemas import TABLES

from conftest import ROOT, SHARED_SOURCES, needs_sources


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """Run the command line in this process (no interpreter start-up), as `python -m sinoiran ARGS` would."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(args))
        except SystemExit as exit_:  # argparse's own errors
            code = exit_.code if isinstance(exit_.code, int) else 2
    return subprocess.CompletedProcess(["python", "-m", "sinoiran", *args], code, out.getvalue(), err.getvalue())


def test_the_module_runs_as_a_program():
    result = subprocess.run([sys.executable, "-m", "sinoiran", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "ingest" in result.stdout


def test_committed_data_passes_the_check():
    report = tables.check_data()
    assert len(report) == len(TABLES) and all(line.startswith("ok") for line in report)


def test_data_check_command_fails_on_a_damaged_table(data_copy):
    (data_copy / "events.csv").write_text("event_id,date\n")
    result = run_cli("data", "check", "--data", str(data_copy))
    assert result.returncode == 2
    assert "events.csv" in result.stderr and "checksum mismatch" in result.stderr


def test_ingest_command_writes_the_tidy_csv(tmp_path, real):
    out = tmp_path / "out" / "tidy.csv"
    result = run_cli("ingest", "sipri-tiv", str(real("tiv_2016_importer_iran.csv")), "--output", str(out))
    assert result.returncode == 0, result.stderr
    tidy = pd.read_csv(out)
    assert list(tidy.columns) == ["vintage", "supplier", "recipient", "year", "tiv"]
    assert set(tidy.vintage.astype(str)) == {"2016"}
    assert len(tidy) == 75  # every filled cell of the four suppliers' rows
    assert "by-recipient table for Iran" in result.stderr and "release 2016" in result.stderr


def test_ingest_command_vintage_label_and_totals(tmp_path, real):
    out, totals = tmp_path / "t.csv", tmp_path / "totals.csv"
    code = cli.main(
        [
            "ingest",
            "sipri-tiv",
            str(real("tiv_2022_exporter_usa.csv")),
            "--vintage",
            "2022-jul",
            "--output",
            str(out),
            "--totals",
            str(totals),
        ]
    )
    assert code == 0
    assert set(pd.read_csv(out).vintage) == {"2022-jul"}
    assert pd.read_csv(totals).set_index("year").tiv[[2005, 2011]].tolist() == [6787, 8943]


def test_ingest_filters_by_the_names_people_type(tmp_path, real):
    out = tmp_path / "t.csv"
    result = run_cli("ingest", str(real("transfers_2025rel_all_pairs.csv")), "--suppliers", "PRC", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert set(pd.read_csv(out).supplier) == {"China"}
    wrong = run_cli(
        "ingest", str(real("transfers_2025rel_all_pairs.csv")), "--recipients", "Iarn", "--output", str(out)
    )
    assert wrong.returncode == 2 and "unknown recipient 'Iarn'" in wrong.stderr and "closest: Iran" in wrong.stderr
    none = run_cli(
        "ingest",
        str(real("transfers_2025rel_all_pairs.csv")),
        "--recipients",
        "Fiji",
        "--suppliers",
        "China",
        "--output",
        str(out),
    )
    assert none.returncode == 2 and "no rows left" in none.stderr


def test_ingest_command_bad_file_keeps_the_old_output(tmp_path):
    out = tmp_path / "tidy.csv"
    out.write_text("previous good output\n")
    bad = tmp_path / "bad.csv"
    bad.write_text('"TIV of arms exports to Iran, 2005-2006"\nGenerated: 24 July 2016\n,,2005,2006\n,China,4x,1\n')
    result = run_cli("ingest", "sipri-tiv", str(bad), "--output", str(out))
    assert result.returncode == 2
    assert (
        result.stderr.startswith("error: ") and "bad.csv, column '2005', row 4: non-numeric TIV '4x'" in result.stderr
    )
    assert out.read_text() == "previous good output\n"


def test_data_build_without_sources_says_what_it_expects(tmp_path):
    result = run_cli("data", "build", "--sources", str(tmp_path / "missing"), "--output", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "sources folder not found" in result.stderr and "--sources DIR" in result.stderr


@needs_sources
@pytest.mark.slow
def test_data_build_reproduces_committed_data_byte_for_byte(tmp_path):
    out = tmp_path / "data"
    result = run_cli("data", "build", "--sources", str(SHARED_SOURCES), "--output", str(out))
    assert result.returncode == 0, result.stderr
    committed = sorted(p.name for p in (ROOT / "data").iterdir())
    assert sorted(p.name for p in out.iterdir()) == committed
    _, mismatch, errors = filecmp.cmpfiles(ROOT / "data", out, committed, shallow=False)
    assert mismatch == [] and errors == []


@needs_sources
def test_failed_build_leaves_existing_data_untouched(tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(SHARED_SOURCES, sources)
    out = tmp_path / "data"
    shutil.copytree(ROOT / "data", out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    damaged = sources / "sipri-tiv-import-2016-mauhai" / "TIV-Import-IRA-1950-2015.csv"
    damaged.chmod(0o644)
    damaged.write_text(damaged.read_text().replace(",China,", ",China,x", 1))
    result = run_cli("data", "build", "--sources", str(sources), "--output", str(out))
    assert result.returncode == 2 and "TIV-Import-IRA-1950-2015.csv" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
