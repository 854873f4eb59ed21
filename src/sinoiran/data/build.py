"""Build the project's tidy tables in ``data/`` from the raw exports the sources manifest lists.

Every export the manifest names is read through the one format registry
(:mod:`sinoiran.readers.formats`), and gives a :class:`Contribution`: the rows
it adds to each table (those the manifest keeps, labelled with its release) and
the recipients it makes complete. :func:`assemble` puts contributions
together (concatenated in manifest order, then sorted on each table's key), so
adding one export to a built ``data/`` (:mod:`sinoiran.data.add`) gives the same
bytes as building everything again.

Writing is all-or-nothing: every table is written to a scratch folder, read
back and validated, and only then moved into place, so a failed build never
leaves ``data/`` half old, half new.
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
from sinoiran.base.paths import data_dir
from sinoiran.base.releases import Holding, release_year
from sinoiran.data.embargoes import embargoes_table
from sinoiran.data.events import events_table
from sinoiran.data.paper import CATALOGUE_NAME, claims_table
from sinoiran.data.schemas import TABLES, TableSpec, frictionless_schema, validate
from sinoiran.data.sources import SIPRI_CREDIT, SIPRI_TERMS, RawSource, raw_sources, unlisted_files
from sinoiran.data.vintages import MANIFEST_NAME, manifest_path, read_manifest, register_vintages_from, vintages_from
from sinoiran.readers import formats
from sinoiran.readers.formats import Export

#: The table each frame of a reader's :class:`~sinoiran.readers.formats.Export` feeds.
FRAME_TABLES: dict[str, str] = {
    "deliveries": "sipri_tiv",
    "totals": "sipri_tiv_totals",
    "deals": "sipri_register",
    "items": "sipri_mirror_items",
    "rows": "sipri_deliveries",
    "trade": "dots_china_iran",
}

#: Which formats of raw export feed which table (from the registry: the frames each reader yields).
TABLE_FORMATS: dict[str, tuple[str, ...]] = {
    table: tuple(f.name for f in formats.FORMATS.values() if frame in f.yields) for frame, table in FRAME_TABLES.items()
} | {"events": (), "un_embargoes": (), "paper_claims": ()}

#: Provenance of the tables the project compiles itself rather than derives from raw exports.
COMPILED = {
    "events": "Compiled by the project from the documents named in the 'source' column",
    "un_embargoes": "Compiled by the project from the Security Council resolutions named in the 'source' column",
    "paper_claims": "Compiled by the project from the text of the paper being replicated (values as printed)",
}

#: How each derived table is ordered (after concatenation in manifest order; None keeps that order).
ORDER: dict[str, list[str] | None] = {
    "sipri_tiv": ["vintage", "supplier", "recipient", "year"],
    "sipri_tiv_totals": ["vintage", "country", "orientation", "year"],
    "sipri_register": None,
    "sipri_mirror_items": None,
    "sipri_deliveries": ["vintage", "supplier", "recipient", "year", "deal_id"],
    "dots_china_iran": ["reporter", "partner", "flow", "year"],
}


@dataclass
class Contribution:
    """What one export adds to the tables: rows per table, the pairs it holds in its release (after the
    manifest's keep rules) and the recipients it makes complete there."""

    tables: dict[str, pd.DataFrame]
    complete: dict[str, set[str]] = field(default_factory=dict)
    holdings: dict[str, list[Holding]] = field(default_factory=dict)


@dataclass
class Built:
    """The tables of one build, the exports they came from, and the recipients complete in each vintage."""

    tables: dict[str, pd.DataFrame]
    sources: list[RawSource]
    complete: dict[str, list[str]] = field(default_factory=dict)
    manifest: str = ""  # the text of the sources manifest the build read, written beside the tables
    coverage: dict[str, list[dict]] = field(default_factory=dict)  # per release, the pairs held (Holding.to_json)


def read_export(raw: RawSource, sources_dir: Path, data_folder: Path) -> Export:
    """Read one manifest entry's raw file, checking that its release label fits what the file says."""
    path = raw.location(sources_dir, data_folder)
    if not path.exists():
        where = f"the data folder {data_folder}" if raw.stored == "data" else f"the sources folder {sources_dir}"
        raise InputError(path, f"raw export missing from {where}")
    export = formats.read(path, raw.format, recipients=raw.recipients_only())
    guess = export.release
    if guess and not guess.inferred and not raw.accept_label and release_year(raw.vintage) != int(guess.label):
        raise InputError(path, f"{guess.reason}, but the manifest labels it {raw.vintage!r}")
    return export


def contribution(raw: RawSource, export: Export) -> Contribution:
    """The rows one export adds to each table (those the manifest keeps), and the recipients it completes."""
    out: dict[str, pd.DataFrame] = {}
    for frame_name, table in FRAME_TABLES.items():
        frame = export.frames.get(frame_name)
        if frame is None:
            continue
        if frame_name == "trade":
            counterpart = {"China": "Iran", "Iran": "China"}
            keep = (frame["partner"].eq("World") | frame["partner"].eq(frame["reporter"].map(counterpart))) & frame[
                "year"
            ].between(2000, 2020)
            out[table] = frame[keep]
            continue
        if frame_name == "totals":
            kept = frame  # SIPRI's printed totals of every table read
        elif frame_name in ("items", "rows"):
            kept = frame[raw.kept_items(frame)]
        else:
            kept = frame[raw.kept(frame)] if {"supplier", "recipient"} <= set(frame.columns) else frame
        if frame_name in ("deliveries", "totals", "deals", "rows"):
            kept = kept.copy()
            kept.insert(0, "vintage", raw.vintage)
        out[table] = kept.reset_index(drop=True)
    rules = (
        [(None, None)]
        if raw.keep_all
        else [(frozenset(r.suppliers) or None, frozenset(r.recipients) or None) for r in raw.keep]
    )
    held = [
        kept for h in export.holds for suppliers, recipients in rules if (kept := h.narrowed(suppliers, recipients))
    ]
    complete: dict[str, set[str]] = {}
    kept_recipients = set(out["sipri_tiv"]["recipient"]) if "sipri_tiv" in out else set()
    whole = {
        r
        for r in kept_recipients
        if any(h.suppliers is None and (h.recipients is None or r in h.recipients) for h in held)
    }
    if whole:
        complete[raw.vintage] = whole
    return Contribution(out, complete, {raw.vintage: held} if held else {})


def assemble(
    parts: list[Contribution],
) -> tuple[dict[str, pd.DataFrame], dict[str, set[str]], dict[str, list[Holding]]]:
    """Put contributions together: each table concatenated in order, then ordered as :data:`ORDER` says."""
    tables: dict[str, pd.DataFrame] = {}
    for table, order in ORDER.items():
        frames = [p.tables[table] for p in parts if table in p.tables]
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        if table == "sipri_tiv_totals" and len(frame):
            frame = frame.drop_duplicates()
        if order and len(frame):
            frame = frame.sort_values(order, kind="stable")
        tables[table] = frame.reset_index(drop=True)
    complete: dict[str, set[str]] = {}
    holdings: dict[str, list[Holding]] = {}
    for part in parts:
        for label, names in part.complete.items():
            complete.setdefault(label, set()).update(names)
        for label, held in part.holdings.items():
            holdings.setdefault(label, []).extend(held)
    return tables, complete, holdings


def coverage_json(holdings: dict[str, list[Holding]], manifest: dict) -> dict[str, list[dict]]:
    """The pairs each release holds, as ``datapackage.json`` records them (releases in manifest order)."""
    return {v: [h.to_json() for h in holdings[v]] for v in vintages_from(manifest) if v in holdings}


def _ordered_complete(complete: dict[str, set[str]], manifest: dict) -> dict[str, list[str]]:
    return {v: sorted(complete[v]) for v in vintages_from(manifest) if v in complete}


def build_tables(sources_dir: str | Path, manifest: Path | None = None) -> Built:
    """Read every raw export the manifest lists and return the project's tables.

    A recipient is *complete* in a vintage (its total imports are known) when an
    export of that vintage holds every supplier's deliveries to it and the
    manifest keeps them all: its SIPRI importer table, a transfers export of
    all countries, or the per-delivery mirror.
    """
    sources_dir = Path(sources_dir)
    if not sources_dir.is_dir():
        raise InputError(sources_dir, "sources folder not found (expected the raw SIPRI and IMF exports)")
    manifest = manifest or manifest_path()
    text = manifest.read_text(encoding="utf-8")
    sources = raw_sources(path=manifest)
    parts = [contribution(raw, read_export(raw, sources_dir, manifest.parent)) for raw in sources]
    tables, complete, holdings = assemble(parts)
    tables["events"] = events_table()
    tables["un_embargoes"] = embargoes_table()
    tables["paper_claims"] = claims_table()
    declared = read_manifest(manifest)
    return Built(tables, sources, _ordered_complete(complete, declared), text, coverage_json(holdings, declared))


def _umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes the file private; a table is as readable as any file
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def source_entry(raw: RawSource, path: Path) -> dict:
    """The provenance of one raw export as ``datapackage.json`` records it (with the sha256 of ``path``, its file)."""
    entry = {
        "title": raw.title,
        "path": raw.relpath if raw.stored == "sources" else f"data/{raw.relpath}",
        "publisher": raw.publisher,
        "repository": raw.repository,
        "commit": raw.commit,
        "retrieved": raw.commit_date,
        "vintage": raw.vintage,
        "sha256": sha256(path),
    }
    if raw.note:
        entry["note"] = raw.note
    return entry


def _licence(spec: TableSpec) -> list[dict]:
    if spec.name in ("events", "un_embargoes", "paper_claims"):
        return [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 (compiled by the project)"}]
    if spec.name == "dots_china_iran":
        return [{"name": "IMF-terms", "title": "IMF terms of use for data; cite the IMF Direction of Trade Statistics"}]
    return [{"name": "SIPRI-terms", "title": SIPRI_TERMS}]


def descriptor(
    tables_dir: Path, sources: dict[str, list[dict]], manifest: dict, complete: dict, coverage: dict
) -> dict:
    """The Frictionless data-package descriptor for the tables written in ``tables_dir``.

    ``sources`` gives, per table, the provenance entries of the raw exports it
    came from (:func:`source_entry`), in manifest order.
    """
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
                "sources": sources.get(name) or [{"title": COMPILED[name]}],
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
            for label, v in vintages_from(manifest).items()
        },
        "register_vintages": register_vintages_from(manifest),
        "complete_recipients": complete,
        "coverage": coverage,
        "resources": resources,
    }


def sources_by_table(built: Built, sources_dir: Path, data_folder: Path) -> dict[str, list[dict]]:
    """Per table, the provenance entries of the exports of the formats that feed it."""
    return {
        table: [
            source_entry(raw, raw.location(sources_dir, data_folder)) for raw in built.sources if raw.format in fmts
        ]
        for table, fmts in TABLE_FORMATS.items()
    }


def write_package(
    tables: dict[str, pd.DataFrame],
    out_dir: str | Path,
    *,
    manifest_text: str,
    sources: dict[str, list[dict]],
    complete: dict[str, list[str]],
    coverage: dict[str, list[dict]],
    extra_files: dict[str, Path] | None = None,
) -> list[Path]:
    """Validate and write every table, ``datapackage.json`` and the manifest into ``out_dir``, all or nothing.

    The tables are validated against the releases ``manifest_text`` declares
    (the manifest written with them), so a new release is known to the checks.
    ``extra_files`` (name under ``out_dir`` -> file) are copied in with them.
    """
    import tomllib

    from sinoiran.data.tables import read_table_file

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = tomllib.loads(manifest_text)
    scratch = Path(tempfile.mkdtemp(prefix=".build-", dir=out_dir))
    previous = os.environ.get("SINOIRAN_DATA")
    try:
        (scratch / MANIFEST_NAME).write_text(manifest_text, encoding="utf-8")
        os.environ["SINOIRAN_DATA"] = str(scratch)  # the schemas read the releases from the manifest being written
        for name, spec in TABLES.items():
            validate(tables[name], spec, source=f"{spec.path} (being built)")
            write_csv(tables[name], scratch / spec.path)
        # Read back through the same loader the chapters use, so what is
        # written is exactly what will validate on read.
        for spec in TABLES.values():
            read_table_file(scratch / spec.path, spec)
        package = descriptor(scratch, sources, manifest, complete, coverage)
        (scratch / "datapackage.json").write_text(
            json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        for name, source in (extra_files or {}).items():
            (scratch / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, scratch / name)
        written = []
        for name, _source in (extra_files or {}).items():
            (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(scratch / name, out_dir / name)
            written.append(out_dir / name)
        for spec in TABLES.values():
            os.replace(scratch / spec.path, out_dir / spec.path)
            written.append(out_dir / spec.path)
        os.replace(scratch / "datapackage.json", out_dir / "datapackage.json")
        written.append(out_dir / "datapackage.json")
        # The manifest the build read travels with the tables, so out_dir is a complete data folder.
        os.replace(scratch / MANIFEST_NAME, out_dir / MANIFEST_NAME)
        written.append(out_dir / MANIFEST_NAME)
        return written
    finally:
        if previous is None:
            os.environ.pop("SINOIRAN_DATA", None)
        else:
            os.environ["SINOIRAN_DATA"] = previous
        shutil.rmtree(scratch, ignore_errors=True)


def build_data(sources_dir: str | Path, out_dir: str | Path, manifest: Path | None = None) -> list[Path]:
    """Read the raw exports in ``sources_dir`` and write ``out_dir`` (normally ``data/``).

    Exports added with ``data add`` are read from ``data/added/`` of the
    manifest's folder. Files in the sources folder that the manifest does not
    name are reported on standard error (they are not read).
    """
    manifest = manifest or manifest_path()
    built = build_tables(sources_dir, manifest)
    for name in unlisted_files(Path(sources_dir), [s for s in built.sources if s.stored == "sources"]):
        print(f"not in the sources manifest (not read): {name}", file=sys.stderr)
    added = {f"{s.relpath}": manifest.parent / s.relpath for s in built.sources if s.stored == "data"}
    # The claims catalogue the paper_claims table is made from travels with the tables, as the manifest does.
    added[CATALOGUE_NAME] = manifest.parent / CATALOGUE_NAME
    same_folder = Path(out_dir).resolve() == manifest.parent.resolve()
    return write_package(
        built.tables,
        out_dir,
        manifest_text=built.manifest,
        sources=sources_by_table(built, Path(sources_dir), manifest.parent),
        complete=built.complete,
        coverage=built.coverage,
        extra_files=None if same_folder else added,
    )


def default_data_dir() -> Path:
    """The data folder commands work on by default (``$SINOIRAN_DATA`` or the project's ``data/``)."""
    return data_dir()
