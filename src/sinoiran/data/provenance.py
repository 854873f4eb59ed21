"""Provenance of the project's tables, read from ``data/datapackage.json``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sinoiran.data.tables import load_table, read_package
from sinoiran.data.vintages import VINTAGES


def tables_overview(directory: Path | None = None) -> pd.DataFrame:
    """One row per table: file, title, rows, vintages, sources and its full sha256 (as in datapackage.json)."""
    package = read_package(directory)
    rows = []
    for resource in package["resources"]:
        frame = load_table(resource["name"], directory)
        vintages = sorted(frame["vintage"].unique()) if "vintage" in frame else []
        publishers = sorted({s.get("publisher", "the project") for s in resource["sources"]})
        rows.append(
            {
                "file": f"data/{resource['path']}",
                "contents": resource["title"],
                "rows": len(frame),
                "vintages": ", ".join(vintages) or "-",
                "from": "; ".join(publishers),
                "sha256": resource["hash"].removeprefix("sha256:"),
            }
        )
    return pd.DataFrame(rows)


def raw_sources(directory: Path | None = None) -> pd.DataFrame:
    """One row per raw export used: file, repository, commit date, vintage, full sha256."""
    package = read_package(directory)
    seen: dict[str, dict] = {}
    for resource in package["resources"]:
        for source in resource["sources"]:
            if "path" in source and source["path"] not in seen:
                seen[source["path"]] = {
                    "raw file": source["path"].split("/")[-1],
                    "publisher": source["publisher"],
                    "copied from": source["repository"].removeprefix("https://github.com/"),
                    "commit date": source["retrieved"],
                    "vintage": source["vintage"],
                    "sha256": source["sha256"],
                }
    return pd.DataFrame(list(seen.values()))


def vintages_overview() -> pd.DataFrame:
    """The SIPRI vintages held: generation date, last data year, suppliers covered, kind."""
    return pd.DataFrame(
        [
            {
                "vintage": v.label,
                "generated": v.generated,
                "years": f"{v.data_start}-{v.data_end}",
                "suppliers covered": v.suppliers_text,
                "kind": v.kind,
                "note": v.note,
            }
            for v in VINTAGES.values()
        ]
    )
