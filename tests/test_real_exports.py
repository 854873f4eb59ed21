"""Real exports, as users bring them: every raw file is read right or refused by name, whatever its text looks like.

Three checks, all on real files:

* the fixtures of ``tests/fixtures/real/`` are byte-for-byte cuts of the raw files they name;
* every raw export in ``../shared/sources`` goes through ``ingest`` (the format detected from the
  file): it is read, and one value checked by hand against the file's ``SOURCE.md`` is right, or it
  is refused in one line that says what the file is;
* a fuzz test changes each raw file's line ends, encoding, separator and length, and truncates it at
  random points: every variant is read to the same rows (or a subset of them, for a truncated file),
  or refused in one line with exit status 2, never a traceback or another status.

The raw exports are not in the repository; the tests that need them skip with the reason where
``../shared/sources`` is absent.
"""

from __future__ import annotations

import contextlib
import csv
import io
import random
from pathlib import Path

import pandas as pd
import pytest
from cut_fixtures import fixture_bytes, fixtures

from sinoiran import cli
from sinoiran.base.errors import InputError
from sinoiran.readers import formats

from conftest import REAL, SHARED_SOURCES, needs_sources

#: What each raw export is, and one value checked by hand (from its SOURCE.md): file -> (format, check).
#: A check is (filter, column, expected): the sum of ``column`` over the rows the filter keeps.
READ: dict[str, tuple[str, tuple[dict, str, float]]] = {
    "imf-dots-samleblanc/DOTS_40.xlsx": (
        "imf-dots",
        ({"partner": "Iran", "flow": "exports_fob", "year": 2011}, "value_usd_m", 14797.1),
    ),
    "imf-dots-samleblanc/DOTS_95.xlsx": (
        "imf-dots",
        ({"partner": "China", "flow": "imports_cif", "year": 2011}, "value_usd_m", 10043.1),
    ),
    "sipri-aggregates-2024-mjhofmann/import-export-values_1950-2024.csv": (
        "sipri-aggregate",
        ({"country": "World", "year": 1950}, "tiv", 8130),
    ),
    "sipri-aggregates-2024-mjhofmann/import-export-values_1950-2024_1950-2024.csv": (
        "sipri-aggregate",
        ({"country": "United States", "year": 1950}, "tiv", 1388),
    ),
    "sipri-china-exports-2026-DCL/sipri_tiv_table_2000_2025.csv": (
        "sipri-tiv",
        ({"recipient": "Iran", "year": range(2005, 2012)}, "tiv", 309),
    ),
    "sipri-china-exports-2026-DCL/trade_register_china_2000_2025.csv": (
        "sipri-register",
        ({"recipient": "Iran", "designation": "C-802"}, "number_delivered", 260),
    ),
    "sipri-per-year-transfers-bewelge/armsTransfers.json": (
        "mirror-json",
        ({"supplier": "China", "recipient": "Iran", "year": range(2005, 2012)}, "tiv", 309.5),
    ),
    "sipri-tiv-export-2007-jywarren/TIV-Export-AFG-CHI-1950.csv": (
        "sipri-tiv",
        ({"recipient": "Iran", "year": range(2000, 2007)}, "tiv", 61 + 88 + 125 + 102 + 112 + 62 + 74),
    ),
    "sipri-tiv-export-2007-jywarren/TIV-Export-AFG-RUS-1950.csv": (
        "sipri-tiv",
        ({"recipient": "Iran", "year": 2005}, "tiv", 264),
    ),
    "sipri-tiv-export-2007-jywarren/TIV-Export-AFG-USA-1950.csv": (
        "sipri-tiv",
        ({"recipient": "UAE", "year": range(2005, 2007)}, "tiv", 1371 + 1392),
    ),
    "sipri-tiv-export-2022-360info/TIV-Export-CHI-1950-2021.csv": (
        "sipri-tiv",
        ({"recipient": "Iran", "year": range(2005, 2012)}, "tiv", 338),
    ),
    "sipri-tiv-export-2022-360info/TIV-Export-RUS-1950-2021.csv": (
        "sipri-tiv",
        ({"recipient": "Iran", "year": range(2005, 2012)}, "tiv", 795),
    ),
    "sipri-tiv-export-2022-360info/TIV-Export-USA-1950-2021.csv": (
        "sipri-tiv",
        ({"recipient": "Pakistan", "year": range(2005, 2012)}, "tiv", 2430),
    ),
    "sipri-tiv-import-2016-mauhai/TIV-Import-IRA-1950-2015.csv": (
        "sipri-tiv",
        ({"supplier": "China", "year": range(2005, 2012)}, "tiv", 355),
    ),
    "sipri-tiv-import-2016-mauhai/TIV-Import-PAK-1950-2015.csv": (
        "sipri-tiv",
        ({"supplier": "United States", "year": range(2005, 2012)}, "tiv", 2246),
    ),
    "sipri-tiv-import-2016-mauhai/TIV-Import-SAU-1950-2015.csv": (
        "sipri-tiv",
        ({"supplier": "United States", "year": range(2005, 2012)}, "tiv", 1683),
    ),
    "sipri-tiv-import-2016-mauhai/TIV-Import-TUR-1950-2015.csv": (
        "sipri-tiv",
        ({"supplier": "United States", "year": range(2005, 2012)}, "tiv", 732),
    ),
    "sipri-tiv-import-2016-mauhai/TIV-Import-UAE-1950-2015.csv": (
        "sipri-tiv",
        ({"supplier": "United States", "year": range(2005, 2012)}, "tiv", 4812),
    ),
    "sipri-trade-register-2024-claytonb3/trade-register.csv": (
        "sipri-register",
        ({"recipient": "Iran", "designation": "Tor-M1"}, "tiv_delivered", 362.5),
    ),
    "sipri-transfers-2023-luke20332/DealsAndTIVs-2023-03-11.txt": (
        "sipri-transfers",
        ({"supplier": "China", "recipient": "Iran", "year": 2011}, "tiv", 45.9),
    ),
    "sipri-transfers-2025rel-nagehanrdogan/trade_register.csv": (
        "sipri-transfers",
        ({"supplier": "China", "recipient": "Iran", "year": range(2005, 2012)}, "tiv", 309.5),
    ),
}

#: Raw exports refused, and what the refusal must say the file is.
REFUSED: dict[str, str] = {
    # One damaged row of another recipient ('194 - 2008'); reading with --recipients leaves it unread.
    "sipri-trade-register-2013-stevenlsenior/trade_register_report.csv": "unreadable delivery years '194 - 2008'",
    "sipri-per-year-transfers-bewelge/armsTransfers.pre2025.json": "a JSON deal list of SIPRI data",
}


def raw_exports() -> list[str]:
    """Every raw export in the sources folder (provenance notes and the project's own extracts left out)."""
    if not SHARED_SOURCES.is_dir():
        return []
    return sorted(
        str(p.relative_to(SHARED_SOURCES))
        for p in SHARED_SOURCES.rglob("*")
        if p.is_file() and p.name != "SOURCE.md" and not p.name.startswith("EXTRACT_")
    )


def ingest(path: Path, output: Path, *extra: str) -> tuple[int, str]:
    """``python -m sinoiran ingest PATH --output OUTPUT`` in this process: (exit status, standard error)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["ingest", str(path), "--output", str(output), *extra])
    return code, err.getvalue()


def keep(frame: pd.DataFrame, where: dict) -> pd.DataFrame:
    for column, value in where.items():
        frame = frame[frame[column].isin(value if isinstance(value, range) else [value])]
    return frame


# --- the fixtures are real ------------------------------------------------------------------------


@needs_sources
@pytest.mark.parametrize("entry", [e for e in fixtures() if not e.get("index")], ids=lambda e: e["file"])
def test_each_fixture_is_a_byte_for_byte_cut_of_its_raw_file(entry):
    raw = (SHARED_SOURCES / entry["source"]).read_bytes()
    assert (REAL / entry["file"]).read_bytes() == fixture_bytes(entry, raw)


def test_every_fixture_names_its_origin():
    named = {e["file"] for e in fixtures()}
    on_disk = {p.name for p in REAL.iterdir() if p.name != "SOURCES.toml"}
    assert on_disk == named
    assert all(e["repository"].startswith("https://github.com/") and len(e["commit"]) == 40 for e in fixtures())


# --- every raw export is read right or refused by name ---------------------------------------------


def test_the_sweep_knows_every_raw_export():
    if not SHARED_SOURCES.is_dir():
        pytest.skip(f"raw exports not present at {SHARED_SOURCES} (they are not distributed with the repository)")
    assert set(raw_exports()) == set(READ) | set(REFUSED)


@needs_sources
@pytest.mark.parametrize("name", sorted(READ), ids=lambda n: n.split("/")[-1])
def test_each_raw_export_is_read_and_one_value_is_right(name, tmp_path):
    output = tmp_path / "out.csv"
    code, err = ingest(SHARED_SOURCES / name, output)
    assert code == 0, err
    fmt, (where, column, expected) = READ[name]
    assert f"[{fmt}]" in err
    frame = pd.read_csv(output)
    assert keep(frame, where)[column].sum() == pytest.approx(expected, abs=0.05)


@needs_sources
@pytest.mark.parametrize("name", sorted(REFUSED), ids=lambda n: n.split("/")[-1])
def test_each_refused_raw_export_gets_one_line_that_says_what_it_is(name, tmp_path):
    code, err = ingest(SHARED_SOURCES / name, tmp_path / "out.csv")
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: ")
    assert REFUSED[name] in err


# --- fuzz: the text of real files changed as downloads and spreadsheets change it -----------------


def _text_variants(raw: bytes, name: str) -> dict[str, bytes]:
    """The same content as other text: other line ends, encodings, separators, a ';' ending every line."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
        encoding = "cp1252"
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    variants = {
        "LF": "\n".join(lines).encode(encoding),
        "CRLF": "\r\n".join(lines).encode(encoding),
        "CR only": "\r".join(lines).encode(encoding),
        "UTF-8 with BOM": b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8"),
        "UTF-16": "\n".join(lines).encode("utf-16"),
    }
    with contextlib.suppress(UnicodeEncodeError):
        variants["Windows-1252"] = "\n".join(lines).encode("cp1252")
    if name.endswith(".json"):
        return {k: v for k, v in variants.items() if k in ("LF", "CRLF", "UTF-8 with BOM")}
    trailing = sum(line.endswith(";") for line in lines if line) > len([line for line in lines if line]) / 2
    if not trailing:
        delimiter = ";" if sum(line.count(";") for line in lines) > sum(line.count(",") for line in lines) else ","
        other = "," if delimiter == ";" else ";"
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
        switched = io.StringIO()
        csv.writer(switched, delimiter=other, lineterminator="\n").writerows(rows)
        variants[f"'{other}'-separated"] = switched.getvalue().encode("utf-8")
        variants["';' ending every line"] = "\n".join(f"{line};" if line else line for line in lines).encode("utf-8")
    return variants


def _rows(path: Path, name: str, tmp: Path, *, per_delivery: bool) -> tuple[int, str, set[tuple] | None]:
    """Ingest a file; (exit status, standard error, the rows read: one tuple per row, or None if refused).

    For a transfers export (``per_delivery``) the rows are its deliveries, not their sums, so that a cut file's
    rows are a subset of the whole file's. The release label is left out: it is read from the file's last year."""
    output, deliveries = tmp / "out.csv", tmp / "rows.csv"
    for stale in (output, deliveries):
        stale.unlink(missing_ok=True)
    extra = ("--deliveries", str(deliveries)) if per_delivery else ()
    try:
        code, err = ingest(path, output, *extra)
    except Exception as error:  # noqa: BLE001 - the point of the test: no exception may escape the command
        pytest.fail(f"{name}: {type(error).__name__} escaped the command: {error}")
    if code != 0:
        return code, err, None
    table = pd.read_csv(deliveries if extra else output, dtype=str, keep_default_na=False)
    return code, err, set(table.drop(columns=["vintage"], errors="ignore").itertuples(index=False, name=None))


def fuzz_targets() -> list[str]:
    """Every raw export in ../shared/sources (where present) and every fixture cut from a real export."""
    return [*raw_exports(), *sorted(f"fixtures/{p.name}" for p in REAL.iterdir() if p.name != "SOURCES.toml")]


def _source(name: str) -> Path:
    return REAL / name.removeprefix("fixtures/") if name.startswith("fixtures/") else SHARED_SOURCES / name


@pytest.mark.slow
@pytest.mark.parametrize("name", fuzz_targets(), ids=lambda n: n.split("/")[-1])
def test_fuzz_every_real_export(name, tmp_path):
    source = _source(name)
    raw = source.read_bytes()
    try:
        per_delivery = formats.detect(source).format == "sipri-transfers"
    except InputError:
        per_delivery = False
    code, err, original = _rows(source, name, tmp_path, per_delivery=per_delivery)
    assert code in (0, 2) and err.count("\n") == 1, err
    variants: dict[str, bytes] = {} if name.endswith(".xlsx") else _text_variants(raw, name)
    rng = random.Random(f"{name}-20051")
    for cut in sorted(rng.sample(range(1, len(raw)), 4)):
        variants[f"truncated at byte {cut}"] = raw[:cut]
    for label, data in variants.items():
        path = tmp_path / f"variant{source.suffix}"
        path.write_bytes(data)
        code, err, rows = _rows(path, name, tmp_path, per_delivery=per_delivery)
        assert code in (0, 2), f"{name}, {label}: exit status {code}"
        assert err.count("\n") == 1 and (code == 0 or err.startswith("error: ")), f"{name}, {label}: {err}"
        if label.startswith("truncated"):
            # A cut file reads to some of the original's rows, never to a row the original does not hold.
            if rows is not None and original is not None:
                assert rows <= original, f"{name}, {label}: rows that the whole file does not hold"
            continue
        # The same content in other text reads to the same rows, or is refused as the original is.
        assert (rows is None) == (original is None), f"{name}, {label}: {err}"
        assert rows == original, f"{name}, {label}: other rows than the original's"
