"""Warm execution: each worker pays the heavy imports once, then runs chapter after chapter in one kernel.

Importing what a chapter needs (pandas, seaborn, statsmodels, pandera and the
package) takes several seconds per kernel, more than most chapters' own
computation. A :class:`WarmKernel` starts one IPython kernel, imports that stack
once (:data:`PRELOAD`, timed as ``import_seconds``), and before every chapter
returns the kernel to the state a fresh kernel would have after those imports
(:data:`RESET`):

* an empty user namespace (``%reset -f``) and execution count 1;
* the chapter's folder as working directory;
* no open figures, matplotlib's rcParams and pandas' options as after the
  imports, the warning filters as they were and every module's record of
  warnings already shown cleared (so a warning shown in one chapter is shown
  again in the next, as in a fresh kernel);
* the record of data files read (:data:`sinoiran.data.tables.FILES_READ`)
  emptied, and read back after the chapter: each chapter's cache key covers the
  tables it actually read.

Modules stay imported; that is the point. The package keeps no other state
between calls (figures take their style inside each plotting function, tables
are cached by file and modification time and returned as copies). Strict nbval,
which runs every chapter in a fresh kernel, keeps guarding the stored outputs,
and ``tests/test_warm.py`` compares warm executions with them output by output.

:func:`run_many` runs a list of chapters on ``jobs`` warm kernels (one thread
each; the kernels are separate processes), in the order given. Its one retry
policy: a chapter whose kernel failed to start or died is given to a new kernel
once more; a chapter whose own cell raised (or timed out) has failed.
"""

from __future__ import annotations

import asyncio
import json
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sinoiran.make.kernel import kernel_config, kernel_env, tidy

#: Imports paid once per kernel: the scientific stack and every module of the package chapters use.
PRELOAD = """
import importlib as _importlib, json as _json, os as _os, sys as _sys, warnings as _warnings
import numpy, pandas, matplotlib, matplotlib.pyplot, seaborn, scipy.stats, statsmodels.api, pandera
import IPython.display, myst_nb
for _module in {modules!r}:
    _importlib.import_module(_module)
import sinoiran.make.warm as _warm
import gc as _gc
_warm.KERNEL_STATE.update(rc=matplotlib.rcParams.copy(), warnings=list(_warnings.filters), collect=_gc.collect)
"""

#: Run (without adding to the history) before each chapter: the state of a fresh kernel after PRELOAD.
RESET = """
import os as _os, sys as _sys, warnings as _warnings
import matplotlib as _mpl, matplotlib.pyplot as _plt, pandas as _pd
import sinoiran.make.warm as _warm, sinoiran.data.tables as _tables
_plt.close("all")
_mpl.rcParams.update(_warm.KERNEL_STATE["rc"])
with _warnings.catch_warnings():
    _warnings.simplefilter("ignore")
    _pd.reset_option("all")
_warnings.filters[:] = _warm.KERNEL_STATE["warnings"]
_warnings._filters_mutated()
for _module in list(_sys.modules.values()):
    _registry = getattr(_module, "__warningregistry__", None)
    if isinstance(_registry, dict):
        _registry.clear()
_tables.FILES_READ.clear()
_os.chdir({cwd!r})
# Last: an empty namespace, including the names above; then count from 1. %reset also runs a full
# garbage collection (0.3 s a time with the stack loaded): skipped here, since reference counting frees
# the chapter's objects and Python's own collector takes the cycles when it next runs.
import gc as _gc
_gc.collect = lambda *args, **kwargs: 0
get_ipython().run_line_magic("reset", "-f")
__import__("gc").collect = __import__("sinoiran.make.warm", fromlist=["KERNEL_STATE"]).KERNEL_STATE["collect"]
get_ipython().execution_count = 1
"""

#: Read back after a chapter (without adding to the history): the data files it read.
FILES_READ = "import json as _j, sinoiran.data.tables as _t; print(_j.dumps(sorted(_t.FILES_READ))); del _j, _t"

#: The state of a kernel just after :data:`PRELOAD` (filled inside the kernel, read by :data:`RESET`).
KERNEL_STATE: dict = {}


@dataclass
class Run:
    """One chapter's execution: the executed notebook, its own run time, the data files it read, or the error."""

    path: Path
    notebook: object | None = None
    seconds: float = 0.0
    files_read: list[str] = field(default_factory=list)
    error: str | None = None


def package_modules() -> list[str]:
    """Every module of the package that a chapter may import (all but the command line, the engine and the
    Sphinx extension)."""
    import pkgutil

    package = Path(__file__).resolve().parents[1]  # the sinoiran package folder
    skip = ("sinoiran.cli", "sinoiran.__main__", "sinoiran.make")
    names = [m.name for m in pkgutil.walk_packages([str(package)], "sinoiran.")]
    return sorted(n for n in names if not n.startswith(skip) and "sphinx" not in n)


class WarmKernel:
    """One kernel that executes chapters one after another, having imported the stack once.

    Use as an async context manager inside one event loop (one thread)."""

    def __init__(self, timeout: int = 600, startup_timeout: int = 300, env: dict[str, str] | None = None) -> None:
        import nbformat
        from nbclient import NotebookClient

        self.client = NotebookClient(
            nbformat.v4.new_notebook(),
            timeout=timeout,
            startup_timeout=startup_timeout,
            kernel_name="python3",
            record_timing=False,
            resources={"metadata": {"path": str(Path.cwd())}},
            config=kernel_config(),
        )
        self.env = env or kernel_env()
        self.import_seconds = 0.0
        self._setup: Any = None

    async def __aenter__(self) -> WarmKernel:
        self._setup = self.client.async_setup_kernel(env=self.env)
        await self._setup.__aenter__()
        started = time.perf_counter()
        await self._control(PRELOAD.format(modules=package_modules()))
        self.import_seconds = time.perf_counter() - started
        return self

    async def __aexit__(self, *exc) -> None:
        setup, self._setup = self._setup, None
        if setup is not None:  # nbclient created the kernel, so it shuts it down here
            await setup.__aexit__(*exc)
        import atexit

        atexit.unregister(self.client._cleanup_kernel)  # already done; nbclient registered it at start

    async def _control(self, code: str) -> str:
        """Run code outside the notebook (not stored, not counted); return its printed text; raise on error."""
        import nbformat

        cell = nbformat.v4.new_code_cell(code)
        chapter, self.client.nb = self.client.nb, nbformat.v4.new_notebook(cells=[cell])
        try:
            await self.client.async_execute_cell(cell, 0, store_history=False)
        finally:
            self.client.nb = chapter
        return "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")

    async def execute(self, path: Path, cwd: Path | None = None) -> Run:
        """Execute one notebook in ``cwd`` (default: its folder), as a fresh kernel would; the file is not written."""
        import nbformat

        folder = (cwd or path.parent).resolve()
        notebook = nbformat.read(path, as_version=4)
        await self._control(RESET.format(cwd=str(folder)))
        client = self.client
        client.nb = notebook
        client.resources = {"metadata": {"path": str(folder)}}
        client.reset_execution_trackers()
        started = time.perf_counter()
        assert client.kc is not None  # set up in __aenter__
        info = await client.async_wait_for_reply(client.kc.kernel_info())
        assert info is not None
        notebook.metadata["language_info"] = info["content"]["language_info"]
        for index, cell in enumerate(notebook.cells):
            await client.async_execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
        client.set_widgets_metadata()
        seconds = time.perf_counter() - started
        files_read = json.loads((await self._control(FILES_READ)).strip().splitlines()[-1])
        tidy(notebook)
        return Run(path, notebook, seconds, files_read)


def run_many(
    paths: list[Path],
    jobs: int,
    timeout: int = 600,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> dict:
    """Execute ``paths`` (in the order given, pulled from one queue) on ``jobs`` warm kernels, each in its
    own folder or in ``cwd``.

    Returns ``{"runs": {path: Run}, "import_seconds": [one per kernel]}``. A chapter
    whose cell raises is reported in its ``Run.error`` and the kernel is replaced, so
    one failure never leaks into the next chapter. A chapter whose kernel failed to
    start or died goes back to the queue once, for a new kernel (:data:`ATTEMPTS`).
    """
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    todo: queue.Queue[Path] = queue.Queue()
    for path in paths:
        todo.put(path)
    runs: dict[Path, Run] = {}
    imports: list[float] = []
    tries: dict[Path, int] = {}
    lock = threading.Lock()

    def take() -> Path | None:
        try:
            path = todo.get_nowait()
        except queue.Empty:
            return None
        with lock:
            tries[path] = tries.get(path, 0) + 1
        return path

    def kernel_failed(path: Path, err: Exception) -> None:
        if tries[path] < ATTEMPTS:
            todo.put(path)
        else:
            with lock:
                runs[path] = Run(path, error=f"kernel failed: {_summary(err)}")

    async def worker() -> None:
        path = take()
        while path is not None:
            try:
                async with WarmKernel(timeout=timeout, env=env) as kernel:
                    with lock:
                        imports.append(kernel.import_seconds)
                    while path is not None:
                        try:
                            run = await kernel.execute(path, cwd)
                        except (CellExecutionError, CellTimeoutError) as err:  # the chapter's own failure
                            with lock:
                                runs[path] = Run(path, error=_summary(err))
                            path = take()
                            break  # a new kernel for the next chapter
                        with lock:
                            runs[path] = run
                        path = take()
            except Exception as err:  # the kernel failed to start, or died under a chapter
                if path is not None and path not in runs:
                    kernel_failed(path, err)
                path = take()

    threads = [threading.Thread(target=lambda: asyncio.run(worker())) for _ in range(max(1, min(jobs, len(paths))))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"runs": runs, "import_seconds": imports}


#: How many kernels a chapter is given when kernels fail under it (a cell that raises is not retried).
ATTEMPTS = 2


def _summary(err: Exception) -> str:
    """One line for a failure: the chapter's own exception (``ValueError: ...``) when a cell raised, else
    the error's name and the first line of its message."""
    ename, evalue = getattr(err, "ename", None), getattr(err, "evalue", None)
    if ename:  # a CellExecutionError carries the kernel's exception
        return f"{ename}: {str(evalue or '').strip().splitlines()[0] if str(evalue or '').strip() else ''}"
    lines = [line for line in str(err).strip().splitlines() if line.strip()]
    return f"{type(err).__name__}: {lines[0] if lines else ''}"
