"""``make book`` (``python -m sinoiran book``): execute what is stale, then let Sphinx re-read only what
changed, and say in one sentence what happened.

1. When nothing the book depends on changed since the last build (data, code,
   lock, pages, config, commit; the HTML present), nothing runs at all.
2. The stale chapters run on warm kernels into the cache
   (:func:`sinoiran.make.execute.execute_stale`).
3. The execution record (commit, inputs key, every chapter's run time) is written
   for the reproducibility report.
4. Sphinx builds the HTML from the cache, re-reading the pages whose sources
   changed, the chapters just executed and the pages that glue from them
   (:mod:`sinoiran.make.pages`), also those of an earlier ``--execute-only``
   build; every page on the first build.

What the build did is written to ``_build/book-build.json``.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

from sinoiran.base.paths import PROJECT_ROOT
from sinoiran.make import record
from sinoiran.make.execute import execute_stale
from sinoiran.make.keys import DEPENDENCIES, dependency_key
from sinoiran.make.pages import to_reread
from sinoiran.make.project import (
    BUILD_RECORD,
    EXECUTION_RECORD,
    STAMP,
    book_sources,
    chapters,
    docname,
    source_commit,
)
from sinoiran.make.sphinx import note_reread, pending, run_sphinx


def write_execution_record(root: Path, key: str, this_build: set[str]) -> Path:
    """``_build/execution-record.json``: the commit, the inputs' key, and every chapter's real run time.

    The reproducibility report renders it at build time (a Sphinx directive, not a
    chapter output, so stored outputs stay the same from run to run)."""
    chapters_run = {
        name: {"seconds": run["seconds"], "executed_at": run["executed_at"], "this_build": name in this_build}
        for name, run in sorted(record.load(root).items())
    }
    out = root / EXECUTION_RECORD
    out.write_text(
        json.dumps(
            {
                "commit": source_commit(root),
                "inputs_key": key,
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "chapters": chapters_run,
            },
            indent=1,
        )
    )
    return out


def build_book(root: Path = PROJECT_ROOT, jobs: int | None = None, execute_only: bool = False) -> dict[str, object]:
    """Execute what is stale into the cache, then run Sphinx (warnings as errors) over it; with
    ``execute_only``, stop after the execution (no HTML). Returns what the build did (also written to
    ``_build/book-build.json``)."""
    key = dependency_key(root)
    # The commit is part of the stamp: the reproducibility report names it.
    whole = dependency_key(root, DEPENDENCIES + book_sources(root)) + " " + source_commit(root)
    html = root / "_build" / "html" / "index.html"
    stamp = root / STAMP
    if not execute_only and stamp.exists() and stamp.read_text() == whole and html.exists():
        return _recorded(root, {"key": key, "up_to_date": True, "html": str(html)})
    started = time.perf_counter()
    counts = execute_stale(root, jobs)
    executed_at = time.perf_counter()
    counts["execute_seconds"] = round(executed_at - started, 1)
    ran = set(counts.get("executed_chapters", []))  # type: ignore[call-overload]
    note_reread(root, to_reread(root, [docname(root, path) for path in chapters(root) if path.name in ran]))
    if execute_only:
        return _recorded(root, {"key": key, **counts})
    write_execution_record(root, key, ran)
    everything = not html.exists()
    reread = pending(root)
    run_sphinx(root, everything=everything)
    stamp.write_text(whole)
    return _recorded(
        root,
        {
            "key": key,
            **counts,
            "sphinx_all": everything,
            "reread": reread,
            "sphinx_seconds": round(time.perf_counter() - executed_at, 1),
            "html": str(html),
        },
    )


def _recorded(root: Path, counts: dict[str, object]) -> dict[str, object]:
    path = root / BUILD_RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(counts, indent=1) + "\n")
    return counts


def report(counts: dict[str, object]) -> str:
    """One sentence for the terminal: where the book is and what the build did (the details are in
    ``_build/book-build.json``)."""
    where = counts.get("html", "_build/html/index.html")
    if counts.get("up_to_date"):
        return f"The book at {where} is up to date: nothing it depends on has changed, so nothing ran."
    executed, total = counts.get("executed", 0), counts.get("chapters", 0)
    ran = "no chapter re-executed" if not executed else f"{executed} of {total} chapters executed"
    if "sphinx_seconds" not in counts:
        return f"The book's chapters are executed into the cache: {ran} ({counts.get('cached', 0)} from the cache) in {counts.get('execute_seconds', 0)} s; no HTML was built."
    return (
        f"The book is at {where}: {ran} ({counts.get('cached', 0)} from the cache) in "
        f"{counts.get('execute_seconds', 0)} s, then Sphinx built the pages in {counts.get('sphinx_seconds', 0)} s."
    )
