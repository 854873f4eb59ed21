"""Load the project's tables from ``data/``, checked on every read.

Every loader verifies the file's sha256 against ``datapackage.json`` and
validates the content against its pandera schema before returning it, so no
chapter ever sees a table that was edited by hand or damaged. Paths are
resolved from the package, not from the working directory, so notebooks run
the same from any folder; ``SINOIRAN_DATA`` points at another data folder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from sinoiran.base.errors import InputError
from sinoiran.base.hashing import sha256
from sinoiran.base.paths import data_dir
from sinoiran.data import reads
from sinoiran.data.schemas import TABLES, TableSpec, read_dtypes, validate
from sinoiran.data.vintages import REGISTER_VINTAGES, check_vintage


def read_table_file(path: str | Path, spec: TableSpec) -> pd.DataFrame:
    """Read one table's CSV with the spec's dtypes and validate it (no checksum check)."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found")
    if path.stat().st_size == 0:
        raise InputError(path, "file is empty")
    header = pd.read_csv(path, nrows=0).columns.tolist()
    dtypes = read_dtypes(spec)
    missing = [c for c in dtypes if c not in header]
    if missing:
        raise InputError(path, f"missing column(s): {', '.join(missing)}", column=missing[0])
    frame = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])
    for name, dtype in dtypes.items():
        frame[name] = _convert(path, frame[name], name, dtype)
    frame = frame.astype({n: _final_dtype(spec, n) for n in dtypes})
    return validate(frame, spec, source=str(path))


def _convert(path: Path, column: pd.Series, name: str, dtype: str) -> pd.Series:
    """Convert a string column, naming the first unreadable cell's row."""
    if dtype == "string":
        return column
    if dtype == "boolean":
        mapping = {"True": True, "False": False}
        bad = column.notna() & ~column.isin(list(mapping))
        converted = column.map(mapping)
    else:
        converted = pd.to_numeric(column, errors="coerce")
        bad = column.notna() & converted.isna()
        if dtype == "Int64":
            whole = converted.dropna() == converted.dropna().round()
            bad = bad | (converted.notna() & ~whole.reindex(column.index, fill_value=True))
    if bad.any():
        row = int(bad.idxmax())
        kind = {"boolean": "True/False", "Int64": "a whole number", "float64": "a number"}[dtype]
        raise InputError(path, f"not {kind}: {column[row]!r}", column=name, row=row + 2)
    return converted


def _final_dtype(spec: TableSpec, name: str) -> str:
    dtype = str(spec.schema.columns[name].dtype)
    return {
        "string[python]": "string[python]",
        "int64": "int64",
        "Int64": "Int64",
        "float64": "float64",
        "bool": "bool",
        "boolean": "boolean",
    }[dtype]


#: The files read through the package's loaders (see :mod:`sinoiran.data.reads`).
FILES_READ = reads.FILES_READ


def read_package(directory: Path | None = None) -> dict:
    """The parsed ``datapackage.json`` of a data folder (every table's checksum: a reader depends on all)."""
    FILES_READ.add(str((Path(directory or data_dir()) / "datapackage.json").resolve()))
    return _read_package(directory)


def complete_recipients(directory: Path | None = None) -> dict[str, list[str]]:
    """Per release, the recipients whose every supplier a release holds (from ``datapackage.json``).

    Recorded as a dependency on that one field (``datapackage.json::complete_recipients``), not on the
    whole file, whose checksums change with every table."""
    path = (Path(directory or data_dir()) / "datapackage.json").resolve()
    FILES_READ.add(f"{path}::complete_recipients")
    return _read_package(directory)["complete_recipients"]


def _read_package(directory: Path | None = None) -> dict:
    directory = directory or data_dir()
    path = Path(directory) / "datapackage.json"
    if not path.exists():
        raise InputError(path, "file not found (run `python -m sinoiran data build` to create data/)")
    return json.loads(path.read_text(encoding="utf-8"))


def verify_checksum(directory: Path, resource: dict) -> None:
    """Raise :class:`InputError` if a table's bytes differ from the recorded sha256."""

    path = Path(directory) / resource["path"]
    if not path.exists():
        raise InputError(path, "file not found")
    expected = resource["hash"].removeprefix("sha256:")
    actual = sha256(path)
    if actual != expected:
        raise InputError(
            path,
            f"checksum mismatch: sha256 {actual[:12]}... but datapackage.json records {expected[:12]}... "
            "(the file was changed after it was built; rebuild with `make data`)",
        )


def load_table(name: str, directory: Path | None = None) -> pd.DataFrame:
    """Load one table by name after checking its checksum and schema. Returns a copy."""
    directory = Path(directory or data_dir()).resolve()
    if name in TABLES:
        FILES_READ.add(str(directory / TABLES[name].path))
    return _load_cached(name, str(directory), _mtime(directory, name)).copy()


def _mtime(directory: Path, name: str) -> tuple[float, float]:
    spec = TABLES[name]
    return (
        (directory / spec.path).stat().st_mtime if (directory / spec.path).exists() else 0.0,
        (directory / "datapackage.json").stat().st_mtime if (directory / "datapackage.json").exists() else 0.0,
    )


@lru_cache(maxsize=32)
def _load_cached(name: str, directory: str, _stamp: tuple[float, float]) -> pd.DataFrame:
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; tables: {', '.join(TABLES)}")
    package = _read_package(Path(directory))  # for the table's own checksum only: not a dependency on the others
    resources = {r["name"]: r for r in package["resources"]}
    if name not in resources:
        raise InputError(Path(directory) / "datapackage.json", f"no resource named {name!r}")
    verify_checksum(Path(directory), resources[name])
    return read_table_file(Path(directory) / TABLES[name].path, TABLES[name])


def check_data(directory: Path | None = None) -> list[str]:
    """Check every resource's checksum and schema; return one line per table checked.

    Raises :class:`InputError` at the first problem.
    """
    directory = Path(directory or data_dir())
    package = read_package(directory)
    names = {r["name"] for r in package["resources"]}
    missing = [n for n in TABLES if n not in names]
    if missing:
        raise InputError(directory / "datapackage.json", f"resource(s) missing: {', '.join(missing)}")
    report = []
    for resource in package["resources"]:
        spec = TABLES.get(resource["name"])
        if spec is None:
            raise InputError(directory / "datapackage.json", f"unknown resource {resource['name']!r}")
        verify_checksum(directory, resource)
        frame = read_table_file(directory / resource["path"], spec)
        report.append(f"ok  {resource['path']}: {len(frame)} rows, sha256 verified, schema valid")
    return report


# --- convenience loaders used by the chapters --------------------------------------------


def tiv_deliveries(vintage: str | None = None, *, directory: Path | None = None) -> pd.DataFrame:
    """SIPRI TIV deliveries (millions of TIV), optionally for one vintage."""
    frame = load_table("sipri_tiv", directory)
    if vintage is not None:
        frame = frame[frame["vintage"] == check_vintage(vintage)].reset_index(drop=True)
    return frame


def register_deals(vintage: str | None = None, *, directory: Path | None = None) -> pd.DataFrame:
    """Trade-register deals with Iran as recipient, optionally for one register vintage."""
    frame = load_table("sipri_register", directory)
    if vintage is not None:
        frame = frame[frame["vintage"] == check_vintage(vintage, REGISTER_VINTAGES)].reset_index(drop=True)
    return frame


def dots_trade(*, directory: Path | None = None) -> pd.DataFrame:
    """IMF DOTS China-Iran trade, US$ million."""
    return load_table("dots_china_iran", directory)


def events(*, directory: Path | None = None) -> pd.DataFrame:
    """The dated events table, with ``date`` as a pandas Timestamp."""
    frame = load_table("events", directory)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def un_embargoes(*, directory: Path | None = None) -> pd.DataFrame:
    """The UN arms embargoes table, with ``adopted`` and ``ended`` as pandas Timestamps (``ended`` NaT while in force)."""
    frame = load_table("un_embargoes", directory)
    for column in ("adopted", "ended"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


__all__ = [
    "check_data",
    "data_dir",
    "dots_trade",
    "events",
    "load_table",
    "read_package",
    "complete_recipients",
    "register_deals",
    "tiv_deliveries",
    "un_embargoes",
]


@dataclass(frozen=True)
class Inputs:
    """The validated tables the claims ledger reads (each as its loader returns it)."""

    tiv: pd.DataFrame
    register: pd.DataFrame
    dots: pd.DataFrame
    events: pd.DataFrame
    deliveries: pd.DataFrame  # SIPRI's per-delivery rows (Iran as recipient), with unit TIVs and estimate flags


def load_inputs(directory: Path | None = None) -> Inputs:
    """Load (checksum- and schema-checked) the tables the claims ledger needs."""
    return Inputs(
        tiv=tiv_deliveries(directory=directory),
        register=register_deals(directory=directory),
        dots=dots_trade(directory=directory),
        events=events(directory=directory),
        deliveries=load_table("sipri_deliveries", directory),
    )
