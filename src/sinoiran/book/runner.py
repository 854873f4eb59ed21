"""Execute the book's chapters: store their outputs (``make outputs``) or build the book (``make book``).

Both run the chapters on warm kernels (:mod:`sinoiran.book.warm`): each worker
imports the scientific stack and the package once, then executes chapter after
chapter in a kernel reset to a fresh kernel's state.

* :func:`store_outputs` re-executes every chapter in parallel and writes the
  outputs into the committed notebooks, without timing metadata, so that two
  runs in a row leave ``git diff`` empty. A chapter that fails keeps its old
  file untouched.
* :func:`build_book` builds the HTML book. Jupyter Book's execution cache keys
  on a notebook's code cells only, so a changed table in ``data/`` or function
  in ``src/`` would leave cached outputs stale. Here each chapter has its own
  key (:func:`chapter_key`): its code, the lock file, the package modules it can
  run, and the bytes of the files it read when it last ran (recorded by the
  warm kernel). A chapter is executed again only when its key changes, so a
  change to one table re-executes only the chapters that read it; a build with
  no change executes nothing. Sphinx then only reads the cache.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
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


def kernel_config():
    """Configuration of one kernel the book starts: it talks to this process over local sockets (IPC), not
    TCP, so no other user of the machine can read its traffic and the kernel has no unencrypted TCP to warn
    about. Each kernel gets sockets of its own (a unique path prefix in the temporary folder: kernels
    started at the same moment would otherwise pick the same names); they are removed when it stops."""
    import tempfile
    import uuid

    from traitlets.config import Config

    prefix = Path(tempfile.gettempdir()) / f"sinoiran-kernel-{os.getpid()}-{uuid.uuid4().hex[:12]}"
    return Config({"KernelManager": {"transport": "ipc", "ip": str(prefix)}})


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
        config=kernel_config(),
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
    """Execute chapters on warm kernels in parallel and store their outputs; raise if any failed (others are kept).

    A chapter that fails on a warm kernel is run once more on a fresh one, alone,
    before it counts as failed; a failed chapter's file is left untouched."""
    import nbformat

    from sinoiran.book import warm

    paths = longest_first(paths or chapters(), PROJECT_ROOT / "_build" / ".chapter-seconds.json")
    jobs = jobs or os.cpu_count() or 1
    result = warm.run_many(paths, jobs)
    times, failures = {}, {}
    for path, run in result["runs"].items():
        if run.error is None:
            tmp = path.with_suffix(".ipynb.tmp")
            nbformat.write(run.notebook, tmp)
            os.replace(tmp, path)
            times[path.name] = run.seconds
            print(f"executed {path.name} in {run.seconds:.1f} s", file=sys.stderr)
        else:
            failures[path.name] = run.error
    for name in list(failures):
        try:
            _, times[name] = execute_notebook(str(next(p for p in paths if p.name == name)))
            del failures[name]
        except Exception as err:
            failures[name] = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
            print(f"FAILED {name}: {failures[name]} (stored outputs left unchanged)", file=sys.stderr)
    imports = ", ".join(f"{s:.1f} s" for s in result["import_seconds"])
    print(f"imports paid once per kernel: {imports}", file=sys.stderr)
    if failures:
        raise RuntimeError(f"{len(failures)} chapter(s) failed: {', '.join(sorted(failures))}")
    return times


# --- the book ---------------------------------------------------------------------------------


#: The one jupyter-cache the book's Sphinx pass reads (a chapter's entry is replaced when it re-executes).
CACHE_NAME = "book"
#: Per chapter: its cache key, the files it read, its run time and when it ran.
DEPS_FILE = Path("_build") / ".chapter-deps.json"


def cache_path(root: Path) -> Path:
    """The jupyter-cache folder of the book."""
    return root / "_build" / ".jupyter_cache" / CACHE_NAME


def prune_caches(root: Path) -> None:
    """Remove cache folders other than the book's (an older layout keyed the whole cache on data/ and src/)."""
    base = root / "_build" / ".jupyter_cache"
    if base.is_dir():
        for old in base.iterdir():
            if old.is_dir() and old.name != CACHE_NAME:
                shutil.rmtree(old, ignore_errors=True)


def chapter_modules(root: Path, path: Path) -> list[Path]:
    """The package's source files a chapter can run: the modules its code cells import, and theirs, transitively.

    Found by reading the import statements (also those inside functions), so it
    errs on the side of more files, never fewer; every parent package's
    ``__init__.py`` is included, since importing a module runs it."""
    import nbformat

    src = root / "src"

    def files_of(module: str) -> list[Path]:
        parts = module.split(".")
        found = []
        for depth in range(1, len(parts) + 1):
            base = src.joinpath(*parts[:depth])
            for candidate in (base / "__init__.py", base.with_suffix(".py")):
                if candidate.is_file():
                    found.append(candidate)
        return found

    def imported(code: str) -> frozenset[str]:
        return _package_imports(code)

    notebook = nbformat.read(path, as_version=4)
    code = "\n".join(
        "\n".join(line for line in c.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        for c in notebook.cells
        if c.cell_type == "code"
    )
    todo = [f for name in imported(code) for f in files_of(name)]
    seen: set[Path] = set()
    while todo:
        file = todo.pop()
        if file in seen:
            continue
        seen.add(file)
        stat = file.stat()
        names = _module_imports(str(file), stat.st_mtime_ns, stat.st_size)
        todo += [f for name in names for f in files_of(name) if f not in seen]
    return sorted(seen)


def _package_imports(code: str) -> frozenset[str]:
    """The ``sinoiran`` modules a piece of code imports (also inside functions; "from pkg import x" counts
    both ``pkg`` and ``pkg.x``, which may be a module)."""
    import ast

    try:
        tree = ast.parse(code)
    except SyntaxError:
        return frozenset()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return frozenset(n for n in names if n == "sinoiran" or n.startswith("sinoiran."))


@functools.lru_cache(maxsize=512)
def _module_imports(path: str, mtime_ns: int, size: int) -> frozenset[str]:
    """:func:`_package_imports` of a source file, parsed once per version of the file (keyed by mtime and size)."""
    return _package_imports(Path(path).read_text())


def chapter_key(root: Path, path: Path, files_read: list[str]) -> str:
    """sha256 (16 hex digits) of everything a chapter's outputs can depend on.

    Its code cells (the prose does not run), the lock file, the package modules it
    can run (:func:`chapter_modules`), the data manifest read on import, the list
    of files in ``data/`` (a table added or removed changes every key), and the
    bytes of each file it read when it last ran (``files_read``, relative to the
    project or absolute)."""
    import nbformat

    digest = hashlib.sha256()

    def add(label: str, payload: bytes) -> None:
        digest.update(label.encode() + b"\0" + payload + b"\0")

    notebook = nbformat.read(path, as_version=4)
    add("code", json.dumps([c.source for c in notebook.cells if c.cell_type == "code"]).encode())
    add("kernel", json.dumps(notebook.metadata.get("kernelspec", {}), sort_keys=True).encode())
    add("lock", (root / "requirements.txt").read_bytes())
    for module in chapter_modules(root, path):
        add(str(module.relative_to(root)), module.read_bytes())
    data = root / "data"
    add("data listing", "\n".join(sorted(p.name for p in data.iterdir() if p.is_file())).encode())
    if (data / "sources.toml").exists():
        add("data/sources.toml", (data / "sources.toml").read_bytes())
    for name in sorted(files_read):
        add(name, _read_dependency(root, name))
    return digest.hexdigest()[:16]


def _read_dependency(root: Path, name: str) -> bytes:
    """The bytes a recorded dependency stands for: a file's, or one field of a JSON file (``file::field``)."""
    name, _, field = name.partition("::")
    file = Path(name) if Path(name).is_absolute() else root / name
    if not file.is_file():
        return b"<missing>"
    if field:
        return json.dumps(json.loads(file.read_text()).get(field), sort_keys=True).encode()
    return file.read_bytes()


def _relative(root: Path, name: str) -> str:
    name, sep, field = name.partition("::")
    try:
        return str(Path(name).resolve().relative_to(root.resolve())) + sep + field
    except ValueError:
        return name + sep + field


def load_deps(root: Path) -> dict:
    """The per-chapter record (``_build/.chapter-deps.json``); empty when there is none."""
    path = root / DEPS_FILE
    return json.loads(path.read_text()) if path.exists() else {}


def stale_chapters(root: Path, cache, deps: dict) -> dict[Path, str]:
    """Chapters whose stored execution cannot be served, with the reason: never run, an input changed, or no
    cached execution of their current code."""
    stale = {}
    for path in chapters(root):
        record = deps.get(path.name)
        if record is None:
            stale[path] = "never executed"
        elif chapter_key(root, path, record["files_read"]) != record["key"]:
            stale[path] = "an input changed"
        elif cache.get_cached_project_nb(str(path)) is None:
            stale[path] = "no cached execution of this code"
    return stale


def execute_into_cache(root: Path, jobs: int | None = None) -> dict[str, object]:
    """Execute the stale chapters on warm kernels, in parallel, and cache them; record what each read."""
    from jupyter_cache import get_cache

    from sinoiran.book import warm

    cache = get_cache(cache_path(root))
    paths = chapters(root)
    for path in paths:
        cache.add_nb_to_project(str(path))
    deps = load_deps(root)
    stale = stale_chapters(root, cache, deps)
    counts: dict[str, object] = {"chapters": len(paths), "executed": 0, "cached": len(paths) - len(stale), "failed": 0}
    if not stale:
        return counts
    seconds_file = root / "_build" / ".chapter-seconds.json"
    order = longest_first([p for p in paths if p in stale], seconds_file)
    timings = json.loads(seconds_file.read_text()) if seconds_file.exists() else {}
    result = warm.run_many(order, jobs or os.cpu_count() or 1)
    runs = result["runs"]
    failed = [path for path, run in runs.items() if run.error is not None]
    if failed:
        # Kernels started at the same moment can race for ports; a chapter that really fails
        # fails again when run on its own, in a kernel of its own.
        counts["retried"] = len(failed)
        again = warm.run_many(failed, 1)
        runs.update(again["runs"])
        result["import_seconds"] += again["import_seconds"]
    for path, run in runs.items():
        if run.error is not None:
            counts["failed"] = 1
            raise RuntimeError(f"chapter {path.name} failed to execute: {run.error}")
    for path, run in runs.items():
        _cache_executed(cache, path, run.notebook)
        files_read = sorted(_relative(root, f) for f in run.files_read)
        deps[path.name] = {
            "key": chapter_key(root, path, files_read),
            "files_read": files_read,
            "seconds": round(run.seconds, 2),
            "executed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        timings[path.name] = round(run.seconds, 2)
    counts["executed"] = len(runs)
    counts["executed_chapters"] = sorted(p.name for p in runs)
    counts["import_seconds"] = [round(s, 2) for s in result["import_seconds"]]
    counts["chapter_seconds"] = round(sum(run.seconds for run in runs.values()), 2)
    seconds_file.write_text(json.dumps(timings, indent=1, sort_keys=True))
    (root / DEPS_FILE).write_text(json.dumps(deps, indent=1, sort_keys=True))
    return counts


def write_execution_record(root: Path, key: str, this_build: set[str] | None = None) -> Path:
    """``_build/execution-record.json``: the commit, the inputs' key, and every chapter's real run time.

    The reproducibility report renders it at build time (a Sphinx directive, not a
    chapter output, so stored outputs stay the same from run to run)."""
    deps = load_deps(root)
    chapters_run = {
        name: {
            "seconds": run["seconds"],
            "executed_at": run["executed_at"],
            "this_build": name in (this_build or set()),
        }
        for name, run in sorted(deps.items())
    }
    record = {
        "commit": source_commit(root),
        "inputs_key": key,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "chapters": chapters_run,
    }
    out = root / "_build" / "execution-record.json"
    out.write_text(json.dumps(record, indent=1))
    return out


def _cache_executed(cache, path: Path, notebook) -> None:
    """Store an executed notebook in the jupyter-cache under the project notebook's URI (replacing any entry)."""
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.cache.main import NbArtifacts

    cache.cache_notebook_bundle(
        CacheBundleIn(notebook, str(path), artifacts=NbArtifacts([], in_folder=path.parent)),
        check_validity=True,
        overwrite=True,
    )


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


def write_build_config(root: Path) -> Path:
    """A copy of ``_config.yml`` that reads executions from the book's cache (written under _build)."""
    config = yaml.safe_load((root / "_config.yml").read_text())
    config.setdefault("execute", {})
    config["execute"]["execute_notebooks"] = "cache"
    config["execute"]["cache"] = str(cache_path(root))
    out = root / "_build" / "_config.keyed.yml"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(config, sort_keys=False))
    return out


def run_sphinx(
    root: Path, config: Path, builder: str = "html", output: Path | None = None, everything: bool = False
) -> None:
    """Jupyter Book's Sphinx pass over the cached executions: warnings as errors (``-W -n --keep-going``).

    ``builder`` is ``html`` for the book, ``singlehtml`` for the PDF; ``everything`` re-reads every page."""
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(root), "--builder", builder]
    command += ["-W", "-n", "--keep-going", "--config", str(config)]
    if output is not None:
        command += ["--path-output", str(output)]
    if everything:
        command.append("--all")
    # Quiet when it works (Sphinx's progress and the extensions' configuration dumps are noise);
    # everything it said when it fails, warnings first.
    result = subprocess.run(command, env=kernel_env(), capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr + "\n" + "\n".join(result.stdout.splitlines()[-40:]) + "\n")
        raise RuntimeError(f"the {builder} build failed (warnings are errors); Sphinx's messages are above")


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
        return _recorded(root, {"key": key, "up_to_date": True, "html": str(html)})
    started = time.perf_counter()
    counts = execute_into_cache(root, jobs)
    executed_at = time.perf_counter()
    write_execution_record(root, key, set(counts.get("executed_chapters", [])))  # type: ignore[call-overload]
    config = write_build_config(root)
    # Sphinx re-reads every page when a chapter was executed (pages glue numbers from other pages).
    force_all = not html.exists() or bool(counts["executed"])
    run_sphinx(root, config, output=output, everything=force_all)
    stamp.write_text(whole)
    prune_caches(root)
    return _recorded(
        root,
        {
            "key": key,
            **counts,
            "sphinx_all": force_all,
            "execute_seconds": round(executed_at - started, 1),
            "sphinx_seconds": round(time.perf_counter() - executed_at, 1),
            "html": str(html),
        },
    )


#: What the last ``make book`` did, as JSON (read by the tests and ``make bench``; the terminal gets a sentence).
BUILD_RECORD = Path("_build") / "book-build.json"


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
    return (
        f"The book is at {where}: {ran} ({counts.get('cached', 0)} from the cache) in "
        f"{counts.get('execute_seconds', 0)} s, then Sphinx built the pages in {counts.get('sphinx_seconds', 0)} s."
    )
