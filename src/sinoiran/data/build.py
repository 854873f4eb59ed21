"""Build the project's tidy tables in ``data/`` from the raw exports the sources manifest lists.

``build_tables`` reads every export named in ``data/sources.toml`` (through the
readers), keeps the rows the manifest says to keep, and returns the tables;
``write_package`` writes them with ``datapackage.json``. Writing is
all-or-nothing: every table is written to a scratch folder, read back and
validated, and only then moved into place, so a failed build never leaves
``data/`` half old, half new.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sinoiran.base.errors import InputError
from sinoiran.base.hashing import sha256
from sinoiran.data.events import events_table
from sinoiran.data.paper import claims_table
from sinoiran.data.schemas import TABLES, TableSpec, frictionless_schema, validate
from sinoiran.data.sources import SIPRI_CREDIT, SIPRI_TERMS, RawSource, of_format, raw_sources, unlisted_files
from sinoiran.data.vintages import MANIFEST_NAME, REGISTER_VINTAGES, VINTAGES, manifest_path
from sinoiran.readers import imf, mirror, registers, sipri_tiv, transfers

#: Which formats of raw export feed which table.
TABLE_FORMATS: dict[str, tuple[str, ...]] = {
    "sipri_tiv": ("sipri-tiv", "sipri-transfers", "mirror-json"),
    "sipri_tiv_totals": ("sipri-tiv",),
    "sipri_register": ("sipri-register",),
    "sipri_mirror_items": ("mirror-json",),
    "dots_china_iran": ("imf-dots",),
    "events": (),
    "paper_claims": (),
}

#: Provenance of the tables the project compiles itself rather than derives from raw exports.
COMPILED = {
    "events": "Compiled by the project from the documents named in the 'source' column",
    "paper_claims": "Compiled by the project from the text of the paper being replicated (values as printed)",
}


@dataclass
class Built:
    """The tables of one build, the exports they came from, and the recipients complete in each vintage."""

    tables: dict[str, pd.DataFrame]
    sources: list[RawSource]
    complete: dict[str, list[str]] = field(default_factory=dict)
    manifest: str = ""  # the text of the sources manifest the build read, written beside the tables


def _resolve(sources_dir: Path, raw: RawSource) -> Path:
    path = sources_dir / raw.relpath
    if not path.exists():
        raise InputError(path, f"raw export missing from the sources folder {sources_dir}")
    return path


def build_tables(sources_dir: str | Path, manifest: Path | None = None) -> Built:
    """Read every raw export the manifest lists and return the project's tables.

    A recipient is *complete* in a vintage (its total imports are known) when an
    export of that vintage holds every supplier's deliveries to it and the
    manifest keeps them all: its SIPRI importer table, a transfers export, or
    the per-delivery mirror.
    """
    sources_dir = Path(sources_dir)
    if not sources_dir.is_dir():
        raise InputError(sources_dir, "sources folder not found (expected the raw SIPRI and IMF exports)")
    manifest = manifest or manifest_path()
    sources = raw_sources(path=manifest)
    complete: dict[str, set[str]] = {}

    deliveries, totals = [], []
    for raw in of_format(sources, "sipri-tiv"):
        for table in sipri_tiv.read_tiv_tables(_resolve(sources_dir, raw)):
            if table.default_vintage != raw.vintage.split("-")[0]:
                raise InputError(table.path, f"generated {table.generated}, expected vintage {raw.vintage}")
            tidy = sipri_tiv.tidy(table, raw.vintage)
            deliveries.append(tidy[raw.kept(tidy)])
            tot = table.totals.copy()
            tot.insert(0, "vintage", raw.vintage)
            totals.append(tot)
            if table.orientation == "by-recipient" and raw.keeps_every_supplier_of(table.country):
                complete.setdefault(raw.vintage, set()).add(table.country)
    for raw in of_format(sources, "sipri-transfers"):
        tidy = transfers.tidy(transfers.read_transfers(_resolve(sources_dir, raw)), raw.vintage)
        kept = tidy[raw.kept(tidy)]
        deliveries.append(kept)
        complete.setdefault(raw.vintage, set()).update(r for r in kept["recipient"] if raw.keeps_every_supplier_of(r))

    item_frames = []
    for raw in of_format(sources, "mirror-json"):
        items = mirror.read_mirror(_resolve(sources_dir, raw))
        items = items[raw.kept(items)].reset_index(drop=True)
        item_frames.append(items)
        deliveries.append(mirror.yearly_tiv(items, raw.vintage))
        complete.setdefault(raw.vintage, set()).update(r for r in items["recipient"] if raw.keeps_every_supplier_of(r))
    items = pd.concat(item_frames, ignore_index=True) if item_frames else pd.DataFrame()

    tiv = pd.concat(deliveries, ignore_index=True)
    tiv = tiv.sort_values(["vintage", "supplier", "recipient", "year"], kind="stable").reset_index(drop=True)
    tiv_totals = (
        pd.concat(totals, ignore_index=True)
        .drop_duplicates()
        .sort_values(["vintage", "country", "orientation", "year"], kind="stable")
        .reset_index(drop=True)
    )

    deal_frames = []
    for raw in of_format(sources, "sipri-register"):
        # Filter while reading: older registers hold damaged rows for other recipients.
        deals = registers.read_register(_resolve(sources_dir, raw), raw.vintage, recipients=raw.recipients_only()).deals
        deal_frames.append(deals[raw.kept(deals)])
    deals = pd.concat(deal_frames, ignore_index=True)

    trade = pd.concat(
        [imf.read_dots_workbook(_resolve(sources_dir, raw)) for raw in of_format(sources, "imf-dots")],
        ignore_index=True,
    )
    counterpart = {"China": "Iran", "Iran": "China"}
    keep = (trade["partner"].eq("World") | trade["partner"].eq(trade["reporter"].map(counterpart))) & trade[
        "year"
    ].between(2000, 2020)
    trade = trade[keep].sort_values(["reporter", "partner", "flow", "year"], kind="stable").reset_index(drop=True)

    tables = {
        "sipri_tiv": tiv,
        "sipri_tiv_totals": tiv_totals,
        "sipri_register": deals,
        "sipri_mirror_items": items,
        "dots_china_iran": trade,
        "events": events_table(),
        "paper_claims": claims_table(),
    }
    return Built(
        tables,
        sources,
        {v: sorted(complete[v]) for v in VINTAGES if v in complete},
        manifest.read_text(encoding="utf-8"),
    )


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


def descriptor(tables_dir: Path, sources_dir: Path, built: Built) -> dict:
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
                "sources": [_source_entry(raw, sources_dir) for raw in of_format(built.sources, *TABLE_FORMATS[name])]
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
        "complete_recipients": built.complete,
        "resources": resources,
    }


def write_package(built: Built, out_dir: str | Path, sources_dir: str | Path) -> list[Path]:
    """Validate and write every table plus ``datapackage.json`` into ``out_dir``, all or nothing."""
    out_dir, sources_dir = Path(out_dir), Path(sources_dir)
    tables = built.tables
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
        package = descriptor(scratch, sources_dir, built)
        (scratch / "datapackage.json").write_text(
            json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        written = []
        for spec in TABLES.values():
            os.replace(scratch / spec.path, out_dir / spec.path)
            written.append(out_dir / spec.path)
        os.replace(scratch / "datapackage.json", out_dir / "datapackage.json")
        written.append(out_dir / "datapackage.json")
        # The manifest the build read travels with the tables, so out_dir is a complete data folder.
        (scratch / MANIFEST_NAME).write_text(built.manifest, encoding="utf-8")
        os.replace(scratch / MANIFEST_NAME, out_dir / MANIFEST_NAME)
        written.append(out_dir / MANIFEST_NAME)
        return written
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def build_data(sources_dir: str | Path, out_dir: str | Path, manifest: Path | None = None) -> list[Path]:
    """Read the raw exports in ``sources_dir`` and write ``out_dir`` (normally ``data/``).

    Files in the sources folder that the manifest does not name are reported on
    standard error (they are not read).
    """
    built = build_tables(sources_dir, manifest)
    for name in unlisted_files(Path(sources_dir), built.sources):
        print(f"not in the sources manifest (not read): {name}", file=sys.stderr)
    return write_package(built, out_dir, sources_dir)


def _toml_value(value: object) -> str:
    """A TOML literal for the simple values of the manifest (strings, integers, lists and tables of them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {value!r}")


def describe_export(path: Path, format: str) -> dict:
    """What an export says about itself: title, generation date, years covered, suppliers held."""
    if format == "sipri-tiv":
        tables = sipri_tiv.read_tiv_tables(path)
        years = [y for t in tables for y in t.years]
        by_supplier = [t.country for t in tables if t.orientation == "by-supplier"]
        return {
            "title": "; ".join(
                f"SIPRI TIV table, {'exports from' if t.orientation == 'by-supplier' else 'imports of'} {t.country}"
                for t in tables
            ),
            "generated": tables[0].generated,
            "years": (min(years), max(years)),
            "suppliers": by_supplier if len(by_supplier) == len(tables) else "all",
        }
    if format == "sipri-transfers":
        parsed = transfers.read_transfers(path)
        years = parsed.deliveries["year"]
        return {
            "title": f"SIPRI transfers export ({parsed.scope})",
            "generated": parsed.generated,
            "years": (int(years.min()), int(years.max())),
            "suppliers": "all",
        }
    if format == "sipri-register":
        return {"title": "SIPRI trade register", "generated": None, "years": None, "suppliers": None}
    raise InputError(path, f"data add reads SIPRI TIV tables, transfers exports and registers, not {format!r}")


def add_export(
    file: str | Path,
    vintage: str,
    *,
    sources_dir: str | Path,
    out_dir: str | Path,
    recipients: list[str] | None = None,
    suppliers: list[str] | None = None,
) -> list[str]:
    """Register a raw export in the sources manifest and rebuild ``out_dir``, all or nothing; return report lines.

    The file is copied into ``sources_dir/added/`` unless it is already inside
    the sources folder. A new vintage label gets a ``[vintages.LABEL]`` entry
    from what the file says (generation date, years, suppliers held). By
    default every row is kept, except for a transfers export, which holds every
    country pair: name the ``recipients`` to keep. The rebuild runs in a fresh
    process on a scratch copy of ``out_dir`` (so the new release is known to the
    schemas), and the scratch replaces ``out_dir`` only if it succeeds.
    """
    import subprocess

    from sinoiran.readers.detect import detect

    file, sources_dir, out_dir = Path(file).resolve(), Path(sources_dir).resolve(), Path(out_dir).resolve()
    if not sources_dir.is_dir():
        raise InputError(sources_dir, "sources folder not found; pass --sources DIR")
    format = detect(file).format
    about = describe_export(file, format)
    if format == "sipri-transfers" and not recipients:
        raise InputError(
            file, "a transfers export holds every country pair: name the recipients to keep with --recipients"
        )
    try:
        relpath = str(file.relative_to(sources_dir))
    except ValueError:
        target = sources_dir / "added" / file.name
        if target.exists() and sha256(target) != sha256(file):
            raise InputError(target, "a different file of that name is already in the sources folder") from None
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, target)
        relpath = str(target.relative_to(sources_dir))
    manifest_file = manifest_path(out_dir)
    manifest_text = manifest_file.read_text(encoding="utf-8")
    if f"path = {_toml_value(relpath)}" in manifest_text:
        raise InputError(file, f"already in the sources manifest as {relpath}")
    lines = []
    if vintage not in VINTAGES and format != "sipri-register":
        generated, (first, last) = about["generated"], about["years"]
        if generated.year != int(vintage.split("-")[0]):
            raise InputError(file, f"generated {generated:%d %b %Y}, which does not fit the vintage label {vintage!r}")
        lines += [
            "",
            f"[vintages.{_toml_value(vintage)}]",
            f"generated = {_toml_value(generated.isoformat())}",
            f"data_start = {first}",
            f"data_end = {last}",
            f"suppliers = {_toml_value(about['suppliers'])}",
            f"kind = {_toml_value('sipri-transfers' if format == 'sipri-transfers' else 'sipri-tiv-table')}",
            f"note = {_toml_value(f'Added by data add from {file.name}.')}",
        ]
    keep: object = "all"
    if recipients or suppliers:
        rule = {}
        if recipients:
            rule["recipients"] = list(recipients)
        if suppliers:
            rule["suppliers"] = list(suppliers)
        keep = [rule]
    entry = {
        "path": relpath,
        "format": format,
        "vintage": vintage,
        "keep": keep,
        "title": about["title"],
        "publisher": "SIPRI",
        "repository": "",
        "commit": "",
        "retrieved": _mtime_date(file),
        "terms": "sipri",
        "note": "Added with `python -m sinoiran data add`.",
    }
    lines += ["", "[[exports]]", *(f"{k} = {_toml_value(v)}" for k, v in entry.items())]
    # TOML allows a [vintages.X] table after the [[exports]] array: a table header names its own path.
    new_manifest = manifest_text.rstrip("\n") + "\n" + "\n".join(lines) + "\n"

    scratch = Path(tempfile.mkdtemp(prefix=".add-", dir=out_dir.parent))
    try:
        shutil.copytree(out_dir, scratch / "data")
        (scratch / "data" / manifest_file.name).write_text(new_manifest, encoding="utf-8")
        env = {**os.environ, "SINOIRAN_DATA": str(scratch / "data")}
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "sinoiran",
                "data",
                "build",
                "--sources",
                str(sources_dir),
                "--output",
                str(scratch / "data"),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            message = (result.stderr.strip().splitlines() or ["the rebuild failed"])[-1].removeprefix("error: ")
            raise InputError(file, f"rebuild with this export failed, data/ left unchanged: {message}")
        for path in sorted((scratch / "data").iterdir()):
            if path.is_file():
                os.replace(path, out_dir / path.name)
        return [f"added {relpath} ({format}, vintage {vintage}) to {manifest_file.name}; rebuilt {out_dir}"]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _mtime_date(path: Path) -> str:
    """The file's modification date (ISO), standing for the download date of an export added by hand."""
    import datetime as dt

    return dt.date.fromtimestamp(path.stat().st_mtime).isoformat()
