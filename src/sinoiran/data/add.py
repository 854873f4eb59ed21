"""Add a SIPRI export a user downloaded to ``data/``, from a plain clone (no raw-sources folder needed).

``python -m sinoiran data add FILE [--vintage LABEL] [--recipients ...]``:

1. reads the file through the format registry, and says what it is;
2. labels its release from what the file says (its generation date and last
   year with data; see :mod:`sinoiran.base.releases`), and refuses a label
   given against it unless ``--accept-label``;
3. resolves the names given (``USA``, ``Turkiye``, ``UAE`` ...) against the
   names in the file, refusing an unknown one with the closest names, and
   refuses a filter that keeps no row;
4. keeps the file in the repository (``data/added/``, with its sha256,
   release and provenance in ``datapackage.json``), appends it to the sources
   manifest, and merges its rows into the committed tables with the build's
   own :func:`~sinoiran.data.build.assemble`, so that ``data build`` from the
   full raw folder gives the same tables;
5. writes all of it or nothing: the tables are validated in a scratch folder
   first, and ``data/`` is left as it was if anything fails.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sinoiran.base.errors import InputError, UsageError
from sinoiran.base.hashing import sha256
from sinoiran.base.names import resolve_all
from sinoiran.base.releases import release_year
from sinoiran.data.build import (
    FRAME_TABLES,
    Contribution,
    assemble,
    contribution,
    source_entry,
    write_package,
)
from sinoiran.data.schemas import TABLES
from sinoiran.data.sources import raw_sources
from sinoiran.data.vintages import manifest_path, read_manifest, vintages_from
from sinoiran.readers import formats, registers

#: Where added exports are kept, under the data folder.
ADDED = "added"


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


def _current_tables(out_dir: Path) -> dict:
    """The committed tables of ``out_dir``, checksum- and schema-checked."""
    from sinoiran.data.tables import load_table

    return {name: load_table(name, out_dir) for name in TABLES}


def add_export(
    file: str | Path,
    vintage: str | None = None,
    *,
    out_dir: str | Path,
    recipients: list[str] | None = None,
    suppliers: list[str] | None = None,
    accept_label: bool = False,
    sources_dir: str | Path | None = None,
) -> list[str]:
    """Add an export to the data folder ``out_dir``, all or nothing; return report lines (see the module docstring).

    ``sources_dir`` is not needed (the tables already built stand for the
    exports they came from); it is accepted for callers that have one.
    """
    file, out_dir = Path(file).resolve(), Path(out_dir).resolve()
    if not (out_dir / "datapackage.json").exists():
        raise InputError(out_dir, "not a data folder (no datapackage.json); run `python -m sinoiran data build` first")
    found = formats.detect(file)
    fmt = formats.FORMATS[found.format]
    if not fmt.addable:
        addable = ", ".join(f.name for f in formats.FORMATS.values() if f.addable)
        raise InputError(file, f"a {fmt.description}: data add takes {addable}")
    prefilter = None
    if found.format == "sipri-register":
        # The project's register table is Iran's deals (sipri_register_iran.csv): a register adds those only.
        held = registers.recipient_names(file, found.rows)
        asked = resolve_all(recipients or ["Iran"], held, what="recipient", where=f"in {file.name}")
        if set(asked) != {"Iran"}:
            raise UsageError(
                f"{file.name}: the register table holds Iran's deals only (data/sipri_register_iran.csv); "
                f"data add keeps a register's deals with Iran, not {', '.join(a for a in asked if a != 'Iran')}"
            )
        recipients = ["Iran"]
    if recipients and found.format == "sipri-register":
        held = registers.recipient_names(file, found.rows)
        recipients = resolve_all(recipients, held, what="recipient", where=f"in {file.name}")
        prefilter = frozenset(recipients)
    export = fmt.read(file, found.rows, recipients=prefilter)
    if recipients and found.format != "sipri-register":
        recipients = resolve_all(recipients, export.names("recipient"), what="recipient", where=f"in {file.name}")
    if suppliers:
        suppliers = resolve_all(suppliers, export.names("supplier"), what="supplier", where=f"in {file.name}")

    guess = export.release
    lines = [f"{file.name}: {export.described}"] + [f"  {note}" for note in export.notes]
    if vintage is None:
        if guess is None:
            raise UsageError(f"{file.name} prints no date and holds no dated rows: give its release with --vintage")
        vintage = guess.label
        lines.append(f"  release {vintage}: {guess.reason}")
    elif guess and release_year(vintage) != int(guess.label) and not accept_label:
        raise UsageError(
            f"--vintage {vintage} does not fit {file.name}: {guess.reason}; "
            f"use --vintage {guess.label}, or --accept-label to keep {vintage}"
        )

    manifest_file = manifest_path(out_dir)
    manifest_text = manifest_file.read_text(encoding="utf-8")
    manifest = read_manifest(manifest_file)
    if found.format == "sipri-register" and vintage in manifest.get("registers", {}):
        raise UsageError(
            f"{file.name}: a register of release {vintage} is held already; two registers of one release would "
            f"count its deals twice. Give this one its own label with --vintage (for example {vintage}b) and "
            "--accept-label"
        )
    relpath = f"{ADDED}/{file.name}"
    stored = out_dir / relpath
    if stored.exists() and sha256(stored) != sha256(file):
        raise InputError(stored, "a different file of that name was added before; rename the new file")
    if any(e.get("path") == relpath for e in manifest.get("exports", [])):
        raise InputError(file, f"already added, as {relpath}")

    entry_lines = _release_lines(vintage, found.format, export, manifest, file)
    keep: object = "all"
    if recipients or suppliers:
        rule: dict[str, list[str]] = {}
        if recipients:
            rule["recipients"] = list(recipients)
        if suppliers:
            rule["suppliers"] = list(suppliers)
        keep = [rule]
    elif found.format == "sipri-transfers":
        keep = "all"
    entry = {
        "path": relpath,
        "stored": "data",
        "format": found.format,
        "vintage": vintage,
        "keep": keep,
        "title": export.described.split(";")[0],
        "publisher": "SIPRI",
        "repository": "",
        "commit": "",
        "retrieved": dt.date.fromtimestamp(file.stat().st_mtime).isoformat(),
        "terms": "sipri",
        "note": f"Added with `python -m sinoiran data add` (sha256 {sha256(file)[:12]}...).",
    }
    if accept_label:
        entry["accept_label"] = True
    entry_lines += ["", "[[exports]]", *(f"{k} = {_toml_value(v)}" for k, v in entry.items())]
    if found.format != "sipri-register" and vintage in manifest.get("vintages", {}):
        manifest_text = _widen_release(manifest_text, vintage, export, manifest)
    # TOML allows a [vintages.X] table after the [[exports]] array: a table header names its own path.
    new_manifest = manifest_text.rstrip("\n") + "\n" + "\n".join(entry_lines) + "\n"

    import tomllib

    raw = next(s for s in raw_sources(tomllib.loads(new_manifest), manifest_file) if s.relpath == relpath)
    new = contribution(raw, export)
    kept = sum(len(frame) for frame in new.tables.values())
    if kept == 0:
        raise InputError(file, "the rules given keep no row of this export")
    current = _current_tables(out_dir)
    old = Contribution({t: current[t] for t in FRAME_TABLES.values()})
    tables, complete_new, holdings_new = assemble([old, new])
    for compiled in ("events", "un_embargoes", "paper_claims"):  # the project's own tables: kept as they are
        tables[compiled] = current[compiled]

    package = json.loads((out_dir / "datapackage.json").read_text(encoding="utf-8"))
    sources = {r["name"]: [s for s in r["sources"] if "sha256" in s] for r in package["resources"]}
    for frame_name, table in FRAME_TABLES.items():
        if frame_name in export.frames and table in new.tables:
            sources.setdefault(table, []).append(source_entry(raw, file))
    complete = {k: set(v) for k, v in package["complete_recipients"].items()}
    for label, names in complete_new.items():
        complete.setdefault(label, set()).update(names)
    releases = vintages_from(tomllib.loads(new_manifest))
    ordered = {v: sorted(complete[v]) for v in releases if v in complete}
    coverage = {k: list(v) for k, v in package.get("coverage", {}).items()}
    for label, holdings in holdings_new.items():
        coverage.setdefault(label, []).extend(h.to_json() for h in holdings)
    coverage = {v: coverage[v] for v in releases if v in coverage}
    write_package(
        tables,
        out_dir,
        manifest_text=new_manifest,
        sources=sources,
        complete=ordered,
        coverage=coverage,
        extra_files={relpath: file},
    )
    rows = {t: len(f) for t, f in new.tables.items() if len(f)}
    made_complete = sorted(complete_new.get(vintage, ()))
    lines.append(
        f"added {relpath} ({found.format}, release {vintage}): "
        + ", ".join(f"{n} rows to {t}" for t, n in rows.items())
        + (f"; complete in {vintage}: {', '.join(made_complete[:8])}" if made_complete else "")
        + ("..." if len(made_complete) > 8 else "")
    )
    lines.append(f"rebuilt {out_dir} (tables merged and validated; nothing else changed)")
    return lines


def _release_span(export: formats.Export, label: str) -> tuple[int, int]:
    """The first and last years a release holds through this export: its years, cut at the release's last data year."""
    deliveries = export.frames["deliveries"]
    first, last = export.years or (int(deliveries["year"].min()), int(deliveries["year"].max()))
    year = release_year(label)
    if year is not None:
        last = min(last, year - 1)
    return first, max(last, int(deliveries["year"].max()))


def _release_lines(label: str, format: str, export: formats.Export, manifest: dict, file: Path) -> list[str]:
    """The manifest table for a release the manifest does not declare yet (nothing if it does; see
    :func:`_widen_release`)."""
    if format == "sipri-register":
        if label in manifest.get("registers", {}):
            return []
        return [
            "",
            f"[registers.{_toml_value(label)}]",
            f"note = {_toml_value(f'Added by data add from {file.name}.')}",
        ]
    if label in manifest.get("vintages", {}):
        return []
    first, last = _release_span(export, label)
    generated = export.generated.isoformat() if export.generated else ""
    return [
        "",
        f"[vintages.{_toml_value(label)}]",
        f"generated = {_toml_value(generated)}",
        f"data_start = {first}",
        f"data_end = {last}",
        f"suppliers = {_toml_value(_suppliers_held(export))}",
        f"kind = {_toml_value('sipri-transfers' if format == 'sipri-transfers' else 'sipri-tiv-table')}",
        f"note = {_toml_value(f'Added by data add from {file.name}.')}",
    ]


def _suppliers_held(export: formats.Export) -> str | list[str]:
    """'all' if the export holds every supplier of some recipient, else the suppliers it names."""
    return "all" if export.complete else sorted(export.names("supplier"))


def _widen_release(text: str, label: str, export: formats.Export, manifest: dict) -> str:
    """The manifest text with an existing release widened to hold what a new export of it adds
    (more suppliers, earlier or later years), so that the coverage check knows."""
    import re

    declared = manifest["vintages"][label]
    first, last = _release_span(export, label)
    held = _suppliers_held(export)
    old = declared.get("suppliers", "all")
    suppliers = "all" if "all" in (old, held) else sorted(set(old) | set(held))
    changes = {
        "data_start": min(int(declared["data_start"]), first),
        "data_end": max(int(declared["data_end"]), last),
        "suppliers": suppliers,
    }
    header = f"[vintages.{_toml_value(label)}]"
    start = text.index(header)
    end = text.find("\n[", start + len(header))
    end = len(text) if end == -1 else end
    block = text[start:end]
    for key, value in changes.items():
        block = re.sub(rf"(?m)^{key} = .*$", f"{key} = {_toml_value(value)}", block)
    return text[:start] + block + text[end:]
