"""Chapters executed on warm kernels: the stale ones into the book's cache (``make book``), or every one
into the committed notebooks (``make outputs``).

A chapter is stale when it never ran, when its key (:mod:`sinoiran.make.keys`)
differs from the one recorded when it last ran, or when the cache holds no
execution of its current code. Executing the stale chapters writes each one's
notebook into the cache and its new key, files read and run time into the
record, and leaves every other chapter alone.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sinoiran.make import cache as book_cache
from sinoiran.make import record, warm
from sinoiran.make.keys import chapter_key
from sinoiran.make.project import chapters, execution_timeout


def stale_chapters(root: Path, cache, deps: dict[str, dict]) -> dict[Path, str]:
    """Chapters whose stored execution cannot be served, with the reason: never executed, an input changed,
    or no cached execution of their current code."""
    stale = {}
    for path in chapters(root):
        entry = deps.get(path.name)
        if entry is None:
            stale[path] = "never executed"
        elif chapter_key(root, path, entry["files_read"]) != entry["key"]:
            stale[path] = "an input changed"
        elif not book_cache.cached(cache, path):
            stale[path] = "no cached execution of this code"
    return stale


def execute_stale(root: Path, jobs: int | None = None, env: dict[str, str] | None = None) -> dict[str, object]:
    """Execute the stale chapters on warm kernels, in parallel, into the cache; record what each read.

    Returns what happened (``chapters``, ``executed``, ``cached``, ``executed_chapters``, the kernels'
    ``import_seconds`` and the chapters' own ``chapter_seconds``); raises when a chapter fails, after
    storing the others."""
    cache = book_cache.open_cache(root)
    paths = chapters(root)
    deps = record.load(root)
    stale = stale_chapters(root, cache, deps)
    counts: dict[str, object] = {"chapters": len(paths), "executed": 0, "cached": len(paths) - len(stale)}
    if stale:
        order = record.longest_first([p for p in paths if p in stale], deps)
        result = warm.run_many(order, jobs or os.cpu_count() or 1, timeout=execution_timeout(root), env=env)
        runs = result["runs"]
        done = {path: run for path, run in runs.items() if run.error is None}
        for path, run in done.items():
            book_cache.store(cache, path, run.notebook)
            deps[path.name] = record.entry(root, path, run.files_read, run.seconds)
        record.save(root, deps)
        failed = sorted(path.name for path in runs if path not in done)
        if failed:
            raise RuntimeError(
                f"{len(failed)} chapter(s) failed to execute: "
                + "; ".join(f"{p.name}: {runs[p].error}" for p in sorted(runs) if p not in done)
            )
        counts.update(
            executed=len(done),
            executed_chapters=sorted(p.name for p in done),
            import_seconds=[round(s, 2) for s in result["import_seconds"]],
            chapter_seconds=round(sum(run.seconds for run in done.values()), 2),
        )
    counts["pruned"] = book_cache.prune(cache)
    return counts


def store_outputs(root: Path, paths: list[Path] | None = None, jobs: int | None = None) -> dict[str, float]:
    """Execute chapters on warm kernels in parallel and write their outputs into the notebooks, without
    timing metadata (two runs in a row leave ``git diff`` empty); raise if any failed, after writing the
    others. A failed chapter's file is left untouched."""
    import nbformat

    paths = record.longest_first(paths or chapters(root), record.load(root))
    result = warm.run_many(paths, jobs or os.cpu_count() or 1, timeout=execution_timeout(root))
    times, failures = {}, {}
    for path, run in result["runs"].items():
        if run.error is None:
            partial = path.with_suffix(".ipynb.tmp")
            nbformat.write(run.notebook, partial)
            os.replace(partial, path)
            times[path.name] = run.seconds
            print(f"executed {path.name} in {run.seconds:.1f} s", file=sys.stderr)
        else:
            failures[path.name] = run.error
            print(f"FAILED {path.name}: {run.error} (stored outputs left unchanged)", file=sys.stderr)
    imports = ", ".join(f"{s:.1f} s" for s in result["import_seconds"])
    print(f"imports paid once per kernel: {imports}", file=sys.stderr)
    if failures:
        raise RuntimeError(f"{len(failures)} chapter(s) failed: {', '.join(sorted(failures))}")
    return times
