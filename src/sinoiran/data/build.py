"""Build the project's tidy tables in ``data/`` from the raw exports.

``build_tables`` reads the raw files named in :mod:`sinoiran.data.sources` and
returns the tables; ``write_package`` writes them with ``datapackage.json``.
Writing is all-or-nothing: every table is written to a scratch folder,
read back and validated, and only then moved into place, so a failed build
never leaves ``data/`` half old, half new.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from sinoiran.base.errors import InputError
from sinoiran.base.hashing import sha256
from sinoiran.base.names import NEIGHBOURS
from sinoiran.data.events import events_table
from sinoiran.data.paper import claims_table
from sinoiran.data.schemas import TABLES, TableSpec, frictionless_schema, validate
from sinoiran.data.sources import (
    DOTS_WORKBOOKS,
    MIRROR,
    REGISTERS,
    SIPRI_CREDIT,
    SIPRI_TERMS,
    TIV_TABLES,
    RawSource,
)
from sinoiran.data.vintages import REGISTER_VINTAGES, VINTAGES
from sinoiran.readers import imf, mirror, registers, sipri_tiv

#: Which raw files feed which table.
TABLE_SOURCES: dict[str, list[RawSource]] = {
    "sipri_tiv": [*TIV_TABLES, MIRROR],
    "sipri_tiv_totals": TIV_TABLES,
    "sipri_register": REGISTERS,
    "sipri_mirror_items": [MIRROR],
    "dots_china_iran": DOTS_WORKBOOKS,
    "events": [],
    "paper_claims": [],
}


#: Provenance of the tables the project compiles itself rather than derives from raw exports.
COMPILED = {
    "events": "Compiled by the project from the documents named in the 'source' column",
    "paper_claims": "Compiled by the project from the text of the paper being replicated (values as printed)",
}


#: Recipients whose deliveries from *every* supplier are kept; for the others only
#: US deliveries are kept, so their total imports cannot be computed from sipri_tiv.
COMPLETE_RECIPIENTS: tuple[str, ...] = ("Iran",)


def in_scope(frame: pd.DataFrame) -> pd.Series:
    """Rows the analysis needs: anything to Iran, and US deliveries to the four neighbours."""
    return (frame["recipient"] == "Iran") | (
        (frame["supplier"] == "United States") & frame["recipient"].isin(NEIGHBOURS)
    )


def _resolve(sources_dir: Path, raw: RawSource) -> Path:
    path = sources_dir / raw.relpath
    if not path.exists():
        raise InputError(path, f"raw export missing from the sources folder {sources_dir}")
    return path


def build_tables(sources_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Read every raw export and return the project's tables, keyed by table name."""
    sources_dir = Path(sources_dir)
    if not sources_dir.is_dir():
        raise InputError(sources_dir, "sources folder not found (expected the raw SIPRI and IMF exports)")

    deliveries, totals = [], []
    for raw in TIV_TABLES:
        table = sipri_tiv.read_tiv_table(_resolve(sources_dir, raw))
        if table.default_vintage != raw.vintage:
            raise InputError(table.path, f"generated {table.generated}, expected vintage {raw.vintage}")
        tidy = sipri_tiv.tidy(table, raw.vintage)
        deliveries.append(tidy[in_scope(tidy)])
        tot = table.totals.copy()
        tot.insert(0, "vintage", raw.vintage)
        totals.append(tot)

    items = mirror.read_mirror(_resolve(sources_dir, MIRROR))
    items = items[in_scope(items)].reset_index(drop=True)
    deliveries.append(mirror.yearly_tiv(items, MIRROR.vintage))

    tiv = pd.concat(deliveries, ignore_index=True)
    tiv = tiv.sort_values(["vintage", "supplier", "recipient", "year"], kind="stable").reset_index(drop=True)
    tiv_totals = (
        pd.concat(totals, ignore_index=True)
        .drop_duplicates()
        .sort_values(["vintage", "country", "orientation", "year"], kind="stable")
        .reset_index(drop=True)
    )

    deals = pd.concat(
        [registers.read_register(_resolve(sources_dir, raw), raw.vintage, recipient="Iran").deals for raw in REGISTERS],
        ignore_index=True,
    )

    trade = pd.concat([imf.read_dots_workbook(_resolve(sources_dir, raw)) for raw in DOTS_WORKBOOKS], ignore_index=True)
    counterpart = {"China": "Iran", "Iran": "China"}
    keep = (trade["partner"].eq("World") | trade["partner"].eq(trade["reporter"].map(counterpart))) & trade[
        "year"
    ].between(2000, 2020)
    trade = trade[keep].sort_values(["reporter", "partner", "flow", "year"], kind="stable").reset_index(drop=True)

    return {
        "sipri_tiv": tiv,
        "sipri_tiv_totals": tiv_totals,
        "sipri_register": deals,
        "sipri_mirror_items": items,
        "dots_china_iran": trade,
        "events": events_table(),
        "paper_claims": claims_table(),
    }


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a table as UTF-8 CSV with '\\n' line ends and no index (byte-stable).

    The file is written next to its target and moved into place, so a failed
    write never leaves a half-written file or destroys the previous one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        frame.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _source_entry(raw: RawSource, sources_dir: Path) -> dict:
    entry = {
        "title": raw.title,
        "path": raw.relpath,
        "publisher": raw.publisher,
        "repository": raw.repository,
        "commit": raw.commit,
        "retrieved": raw.commit_date,
        "vintage": raw.vintage,
        "sha256": sha256(sources_dir / raw.relpath),
    }
    if raw.note:
        entry["note"] = raw.note
    return entry


def _licence(spec: TableSpec) -> list[dict]:
    if spec.name in ("events", "paper_claims"):
        return [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 (compiled by the project)"}]
    if spec.name == "dots_china_iran":
        return [{"name": "IMF-terms", "title": "IMF terms of use for data; cite the IMF Direction of Trade Statistics"}]
    return [{"name": "SIPRI-terms", "title": SIPRI_TERMS}]


def descriptor(tables_dir: Path, sources_dir: Path) -> dict:
    """The Frictionless data-package descriptor for the tables written in ``tables_dir``."""
    resources = []
    for name, spec in TABLES.items():
        path = tables_dir / spec.path
        resources.append(
            {
                "name": name,
                "path": spec.path,
                "title": spec.title,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": path.stat().st_size,
                "hash": f"sha256:{sha256(path)}",
                "schema": frictionless_schema(spec),
                "sources": [_source_entry(raw, sources_dir) for raw in TABLE_SOURCES[name]]
                or [{"title": COMPILED[name]}],
                "licenses": _licence(spec),
            }
        )
    return {
        "name": "sinoiran-data",
        "title": "Tidy tables for the Sino-Iranian arms-trade replication package",
        "profile": "tabular-data-package",
        "description": (
            "The project's own tables, built by `python -m sinoiran data build` from public raw exports "
            "(not shipped). Figures only: SIPRI's free-text comments are not included."
        ),
        "credit": SIPRI_CREDIT,
        "vintages": {
            label: {
                "generated": v.generated,
                "data_start": v.data_start,
                "data_end": v.data_end,
                "suppliers": v.suppliers_text,
                "kind": v.kind,
                "note": v.note,
            }
            for label, v in VINTAGES.items()
        },
        "register_vintages": REGISTER_VINTAGES,
        "complete_recipients": list(COMPLETE_RECIPIENTS),
        "resources": resources,
    }


def write_package(tables: dict[str, pd.DataFrame], out_dir: str | Path, sources_dir: str | Path) -> list[Path]:
    """Validate and write every table plus ``datapackage.json`` into ``out_dir``, all or nothing."""
    out_dir, sources_dir = Path(out_dir), Path(sources_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".build-", dir=out_dir))
    try:
        for name, spec in TABLES.items():
            validate(tables[name], spec, source=f"{spec.path} (being built)")
            write_csv(tables[name], scratch / spec.path)
        # Read back through the same loader the chapters use, so what is
        # written is exactly what will validate on read.
        from sinoiran.data.tables import read_table_file

        for spec in TABLES.values():
            read_table_file(scratch / spec.path, spec)
        package = descriptor(scratch, sources_dir)
        (scratch / "datapackage.json").write_text(
            json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        written = []
        for spec in TABLES.values():
            os.replace(scratch / spec.path, out_dir / spec.path)
            written.append(out_dir / spec.path)
        os.replace(scratch / "datapackage.json", out_dir / "datapackage.json")
        written.append(out_dir / "datapackage.json")
        return written
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def build_data(sources_dir: str | Path, out_dir: str | Path) -> list[Path]:
    """Read the raw exports in ``sources_dir`` and write ``out_dir`` (normally ``data/``)."""
    return write_package(build_tables(sources_dir), out_dir, sources_dir)
