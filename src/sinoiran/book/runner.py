"""Execute the book's chapters: store their outputs (``make outputs``) or build the book (``make book``).

Two jobs, one module:

* :func:`store_outputs` re-executes every chapter in parallel and writes the
  outputs into the committed notebooks, without timing metadata, so that two
  runs in a row leave ``git diff`` empty. A chapter that fails keeps its old
  file untouched.
* :func:`build_book` builds the HTML book. Jupyter Book's execution cache keys
  on a notebook's code cells only, so a changed table in ``data/`` or function
  in ``src/`` would leave cached outputs stale. Here the cache folder is named
  after a hash of ``data/``, ``src/`` and the lock file, so any such change
  starts a fresh cache (every chapter re-executes), while a build with no change
  finds every notebook cached and executes nothing. The chapters are executed
  in parallel with jupyter-cache before the Sphinx pass, which then only reads
  the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import UTC, datetime
from pathlib import Path

import yaml

from sinoiran.base.paths import PROJECT_ROOT

#: Inputs every chapter depends on besides its own code cells.
DEPENDENCIES = ("data", "src/sinoiran", "requirements.txt")
VOLATILE_METADATA = ("execution",)


def chapters(root: Path = PROJECT_ROOT) -> list[Path]:
    """The chapter notebooks listed in ``_toc.yml``, in book order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [root / f"{f}.ipynb" for f in files if (root / f"{f}.ipynb").exists()]


def dependency_key(root: Path = PROJECT_ROOT, names: tuple[str, ...] = DEPENDENCIES) -> str:
    """sha256 (first 16 hex digits) over the bytes and relative paths of data/, src/ and the lock."""
    digest = hashlib.sha256()
    for name in names:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts or file.suffix == ".pyc":
                continue
            digest.update(str(file.relative_to(root)).encode())
            digest.update(b"\0")
            digest.update(file.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:16]


def kernel_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PYTHONHASHSEED", "0")
    env.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    return env


def execute(path: str, timeout: int = 600):
    """Execute one notebook in its own folder; return (executed notebook, seconds). Worker-process safe."""
    import nbformat
    from nbclient import NotebookClient

    os.environ["PYTHONHASHSEED"] = "0"
    notebook = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    client = NotebookClient(
        notebook,
        timeout=timeout,
        startup_timeout=300,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(Path(path).parent)}},
    )
    client.execute()
    for cell in notebook.cells:
        for key in VOLATILE_METADATA:
            cell.metadata.pop(key, None)
    return notebook, time.perf_counter() - started


def execute_notebook(path: str, timeout: int = 600) -> tuple[str, float]:
    """Execute one notebook and write it back without timing metadata (worker process).

    Returns (path, seconds). The file is replaced only after a successful run.
    """
    import nbformat

    notebook, seconds = execute(path, timeout)
    tmp = f"{path}.tmp"
    nbformat.write(notebook, tmp)
    os.replace(tmp, path)
    return path, seconds


def execute_to_string(path: str, timeout: int = 600) -> tuple[str, str, float]:
    """Execute one notebook; return (path, executed notebook as JSON text, seconds) for the parent to cache."""
    import nbformat

    notebook, seconds = execute(path, timeout)
    return path, nbformat.writes(notebook), seconds


def longest_first(paths: list[Path], seconds_file: Path) -> list[Path]:
    """Order chapters by their last known execution time, longest first (unknown ones first, largest file first).

    Handing the longest jobs out first keeps every core busy to the end (LPT scheduling).
    """
    known = json.loads(seconds_file.read_text()) if seconds_file.exists() else {}
    return sorted(paths, key=lambda p: (p.name in known, -known.get(p.name, 0.0), -p.stat().st_size))


def store_outputs(paths: list[Path] | None = None, jobs: int | None = None) -> dict[str, float]:
    """Execute chapters in parallel and store their outputs; raise if any failed (others are kept)."""
    paths = longest_first(paths or chapters(), PROJECT_ROOT / "_build" / ".chapter-seconds.json")
    jobs = jobs or os.cpu_count() or 1
    times, failures = {}, {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(execute_notebook, str(p)): p for p in paths}
        for future in as_completed(futures):
            name = futures[future].name
            try:
                _, seconds = future.result()
                times[name] = seconds
                print(f"executed {name} in {seconds:.1f} s", file=sys.stderr)
            except Exception as err:  # report every failure, not only the first
                failures[name] = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
    for name in list(failures):
        # Parallel kernel start-ups can race for ports: retry each failure once on its own.
        try:
            _, times[name] = execute_notebook(str(next(p for p in paths if p.name == name)))
            del failures[name]
        except Exception as err:
            failures[name] = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
            print(f"FAILED {name}: {failures[name]} (stored outputs left unchanged)", file=sys.stderr)
    if failures:
        raise RuntimeError(f"{len(failures)} chapter(s) failed: {', '.join(sorted(failures))}")
    return times


# --- the book ---------------------------------------------------------------------------------


def cache_path(root: Path, key: str) -> Path:
    """The jupyter-cache folder for a dependency key."""
    return root / "_build" / ".jupyter_cache" / key


def prune_caches(root: Path, keep: str, keep_last: int = 2) -> None:
    """Remove cache folders of old keys, keeping the current one and the most recent others."""
    base = root / "_build" / ".jupyter_cache"
    if not base.is_dir():
        return
    others = sorted(
        (p for p in base.iterdir() if p.is_dir() and p.name != keep), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in others[keep_last - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def execute_into_cache(root: Path, key: str, jobs: int | None = None) -> dict[str, int]:
    """Make sure every chapter has an up-to-date cached execution under ``key``; run the missing ones in parallel."""
    from jupyter_cache import get_cache

    cache = get_cache(cache_path(root, key))
    paths = chapters(root)
    for path in paths:
        cache.add_nb_to_project(str(path))
    stale = {Path(r.uri) for r in cache.list_project_records() if cache.get_cached_project_nb(r.uri) is None}
    counts = {"chapters": len(paths), "executed": 0, "cached": len(paths) - len(stale), "failed": 0}
    if not stale:
        return counts
    seconds_file = root / "_build" / ".chapter-seconds.json"
    order = longest_first([p for p in paths if p in stale], seconds_file)
    timings = json.loads(seconds_file.read_text()) if seconds_file.exists() else {}
    failures: list[Path] = []
    with ProcessPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        futures = {pool.submit(execute_to_string, str(p)): p for p in order}
        for future in as_completed(futures):
            try:
                _, text, seconds = future.result()
            except Exception:
                failures.append(futures[future])
                continue
            _cache_executed(cache, futures[future], text)
            timings[futures[future].name] = round(seconds, 2)
            _record_execution(root, key, futures[future].name, seconds)
            counts["executed"] += 1
    for path in failures:
        # Kernels started at the same moment can race for ports; a chapter that really
        # fails fails again when run on its own, so each failure is retried once, alone.
        counts["retried"] = counts.get("retried", 0) + 1
        try:
            _, text, seconds = execute_to_string(str(path))
        except Exception as err:
            counts["failed"] += 1
            raise RuntimeError(f"chapter {path.name} failed to execute: {type(err).__name__}: {err}") from None
        _cache_executed(cache, path, text)
        timings[path.name] = round(seconds, 2)
        _record_execution(root, key, path.name, seconds)
        counts["executed"] += 1
    seconds_file.write_text(json.dumps(timings, indent=1, sort_keys=True))
    return counts


def _record_execution(root: Path, key: str, name: str, seconds: float) -> None:
    """Note in the keyed cache how long a chapter took and when it ran (read by :func:`write_execution_record`)."""
    record_file = cache_path(root, key) / "execution.json"
    record = json.loads(record_file.read_text()) if record_file.exists() else {}
    record[name] = {"seconds": round(seconds, 2), "executed_at": datetime.now(UTC).isoformat(timespec="seconds")}
    record_file.write_text(json.dumps(record, indent=1, sort_keys=True))


def source_commit(root: Path) -> str:
    """The git commit the book is built from, with "+ uncommitted changes" when the tree differs from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{commit} + uncommitted changes" if dirty else commit


def write_execution_record(root: Path, key: str, this_build: set[str] | None = None) -> Path:
    """``_build/execution-record.json``: the commit, the inputs' key, and every chapter's real run time.

    The reproducibility report renders it at build time (a Sphinx directive, not a
    chapter output, so stored outputs stay the same from run to run)."""
    record_file = cache_path(root, key) / "execution.json"
    chapters_run = json.loads(record_file.read_text()) if record_file.exists() else {}
    record = {
        "commit": source_commit(root),
        "inputs_key": key,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "chapters": {
            name: {**run, "this_build": name in (this_build or set())} for name, run in sorted(chapters_run.items())
        },
    }
    out = root / "_build" / "execution-record.json"
    out.write_text(json.dumps(record, indent=1))
    return out


def _cache_executed(cache, path: Path, text: str) -> None:
    """Store an executed notebook in the jupyter-cache under the project notebook's URI."""
    import nbformat
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.cache.main import NbArtifacts

    notebook = nbformat.reads(text, as_version=4)
    cache.cache_notebook_bundle(
        CacheBundleIn(notebook, str(path), artifacts=NbArtifacts([], in_folder=path.parent)),
        check_validity=True,
        overwrite=True,
    )


def write_build_config(root: Path, key: str) -> Path:
    """A copy of ``_config.yml`` that reads executions from the keyed cache (written under _build)."""
    config = yaml.safe_load((root / "_config.yml").read_text())
    config.setdefault("execute", {})
    config["execute"]["execute_notebooks"] = "cache"
    config["execute"]["cache"] = str(cache_path(root, key))
    out = root / "_build" / "_config.keyed.yml"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(config, sort_keys=False))
    return out


def book_sources(root: Path) -> tuple[str, ...]:
    """Every file the HTML depends on besides data/, src/ and the lock: config, toc, pages, chapters, bibliography."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    pages = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    files = ["_config.yml", "_toc.yml", "references.bib"]
    for page in pages:
        files += [f"{page}{ext}" for ext in (".md", ".ipynb") if (root / f"{page}{ext}").exists()]
    return tuple(files)


def build_book(root: Path = PROJECT_ROOT, jobs: int | None = None, output: Path | None = None) -> dict[str, object]:
    """Execute what is stale into the keyed cache, then run Sphinx (warnings as errors) reading only the cache.

    When nothing the book depends on has changed since the last build (same
    data, code, lock and book sources, HTML present), nothing is executed and
    Sphinx is not started.
    """
    key = dependency_key(root)
    # The commit is part of the stamp: the reproducibility report names it.
    whole = dependency_key(root, DEPENDENCIES + book_sources(root)) + " " + source_commit(root)
    stamp = root / "_build" / ".book-stamp"
    html = (output or root) / "_build" / "html" / "index.html"
    if stamp.exists() and stamp.read_text() == whole and html.exists():
        return {"key": key, "up_to_date": True}
    started = time.perf_counter()
    before = time.time()
    counts = execute_into_cache(root, key, jobs)
    executed_at = time.perf_counter()
    write_execution_record(root, key, _executed_since(root, key, before))
    config = write_build_config(root, key)
    last_key_file = root / "_build" / ".book-key"
    force_all = not last_key_file.exists() or last_key_file.read_text() != key or counts["executed"] > 0
    command = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        str(root),
        "-W",
        "-n",
        "--keep-going",
        "--config",
        str(config),
    ]
    if output is not None:
        command += ["--path-output", str(output)]
    if force_all:
        command.append("--all")
    subprocess.run(command, check=True, env=kernel_env())
    last_key_file.write_text(key)
    stamp.write_text(whole)
    prune_caches(root, key)
    return {
        "key": key,
        **counts,
        "sphinx_all": force_all,
        "execute_seconds": round(executed_at - started, 1),
        "sphinx_seconds": round(time.perf_counter() - executed_at, 1),
    }


def _executed_since(root: Path, key: str, since: float) -> set[str]:
    record_file = cache_path(root, key) / "execution.json"
    if not record_file.exists():
        return set()
    runs = json.loads(record_file.read_text())
    return {name for name, run in runs.items() if datetime.fromisoformat(run["executed_at"]).timestamp() >= since - 1}


def report(counts: dict[str, object]) -> str:
    """One line for the terminal."""
    return json.dumps(counts)
